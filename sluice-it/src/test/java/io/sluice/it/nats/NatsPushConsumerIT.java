package io.sluice.it.nats;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.NatsMessage;
import io.sluice.testkit.EmbeddedSluice;
import io.sluice.testkit.SluiceExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * JetStream push consumers with the official Java client: durable and ephemeral {@code js.subscribe}, queue push
 * consumers, ack policies, AckWait redelivery and MaxDeliver, deliver policies, filter subjects, idle heartbeats and
 * flow control, ordered consumers, and nats-server's error codes for invalid push configurations.
 */
@Tag("it")
class NatsPushConsumerIT {

    @RegisterExtension
    static final SluiceExtension SLUICE = new SluiceExtension(EmbeddedSluice.builder().set("log.durability", "os-cache"));

    private static Connection connect() throws Exception {
        return Nats.connect(new Options.Builder().server(SLUICE.natsUrl()).noReconnect()
                .connectionTimeout(Duration.ofSeconds(20)).build());
    }

    private static JetStreamOptions jsOptions() {
        return JetStreamOptions.builder().requestTimeout(Duration.ofSeconds(20)).build();
    }

    /** A stream named {@code name} capturing {@code <name lower>.>} with {@code count} messages on {@code .a}. */
    private static JetStream stream(Connection nc, String name, int count) throws Exception {
        JetStreamManagement jsm = nc.jetStreamManagement(jsOptions());
        jsm.addStream(StreamConfiguration.builder().name(name).subjects(name.toLowerCase() + ".>").build());
        JetStream js = nc.jetStream(jsOptions());
        publish(js, name.toLowerCase() + ".a", 0, count);
        return js;
    }

    private static void publish(JetStream js, String subject, int from, int to) throws Exception {
        for (int i = from; i < to; i++) {
            js.publish(subject, ("m" + i).getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String text(Message m) {
        return new String(m.getData(), StandardCharsets.UTF_8);
    }

    private static List<String> next(JetStreamSubscription sub, int n, boolean ack) throws Exception {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Message m = sub.nextMessage(Duration.ofSeconds(10));
            assertThat(m).as("message %d of %d", i + 1, n).isNotNull();
            out.add(text(m));
            if (ack) {
                m.ack();
            }
        }
        return out;
    }

    @Test
    void durablePushConsumerDeliversStoredAndNewMessagesWithMetadata() throws Exception {
        try (Connection nc = connect()) {
            JetStream js = stream(nc, "PUSHD", 3);
            JetStreamSubscription sub = js.subscribe("pushd.a",
                    PushSubscribeOptions.builder().durable("d1").build());
            List<Message> got = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                got.add(sub.nextMessage(Duration.ofSeconds(10)));
            }
            assertThat(got).extracting(NatsPushConsumerIT::text).containsExactly("m0", "m1", "m2");
            assertThat(got.get(0).getSubject()).isEqualTo("pushd.a");
            assertThat(got.get(2).metaData().streamSequence()).isEqualTo(3);
            assertThat(got.get(2).metaData().consumerSequence()).isEqualTo(3);
            got.forEach(Message::ack);
            publish(js, "pushd.a", 3, 5);
            assertThat(next(sub, 2, true)).containsExactly("m3", "m4");

            JetStreamManagement jsm = nc.jetStreamManagement(jsOptions());
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                ConsumerInfo ci = jsm.getConsumerInfo("PUSHD", "d1");
                assertThat(ci.getNumAckPending()).isZero();
                assertThat(ci.getConsumerConfiguration().getDeliverSubject()).isNotBlank();
                assertThat(ci.isPushBound()).isTrue();
            });
        }
    }

    @Test
    void unackedMessagesAreRedeliveredAfterAckWaitUntilMaxDeliver() throws Exception {
        try (Connection nc = connect()) {
            JetStream js = stream(nc, "PUSHR", 1);
            JetStreamSubscription sub = js.subscribe("pushr.a", PushSubscribeOptions.builder()
                    .configuration(ConsumerConfiguration.builder().durable("r").ackWait(Duration.ofMillis(300))
                            .maxDeliver(2).build()).build());
            Message first = sub.nextMessage(Duration.ofSeconds(10));
            assertThat(first.metaData().deliveredCount()).isEqualTo(1);
            Message again = sub.nextMessage(Duration.ofSeconds(10));
            assertThat(again).isNotNull();
            assertThat(text(again)).isEqualTo("m0");
            assertThat(again.metaData().deliveredCount()).isEqualTo(2);
            assertThat(again.metaData().consumerSequence()).isEqualTo(2);
            assertThat(sub.nextMessage(Duration.ofMillis(1500))).as("MaxDeliver 2 stops redelivery").isNull();
        }
    }

    @Test
    void ackNoneDoesNotRedeliverAndAckAllCoversEarlierMessages() throws Exception {
        try (Connection nc = connect()) {
            JetStream js = stream(nc, "PUSHA", 4);
            JetStreamSubscription none = js.subscribe("pusha.a", PushSubscribeOptions.builder()
                    .configuration(ConsumerConfiguration.builder().durable("none").ackPolicy(AckPolicy.None).build())
                    .build());
            assertThat(next(none, 4, false)).containsExactly("m0", "m1", "m2", "m3");
            assertThat(none.nextMessage(Duration.ofMillis(500))).isNull();

            JetStreamSubscription all = js.subscribe("pusha.a", PushSubscribeOptions.builder()
                    .configuration(ConsumerConfiguration.builder().durable("all").ackPolicy(AckPolicy.All)
                            .ackWait(Duration.ofSeconds(30)).build()).build());
            List<Message> got = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                got.add(all.nextMessage(Duration.ofSeconds(10)));
            }
            got.get(2).ackSync(Duration.ofSeconds(10)); // covers m0, m1 and m2
            JetStreamManagement jsm = nc.jetStreamManagement(jsOptions());
            assertThat(jsm.getConsumerInfo("PUSHA", "all").getNumAckPending()).isEqualTo(1);
        }
    }

    @Test
    void deliverPoliciesAndFilterSubject() throws Exception {
        try (Connection nc = connect()) {
            JetStream js = stream(nc, "PUSHP", 3);
            publish(js, "pushp.b", 3, 5);
            // Stored timestamps are milliseconds: keep the mark strictly between the fifth and sixth message.
            Thread.sleep(20);
            ZonedDateTime afterFirstFive = ZonedDateTime.now();
            Thread.sleep(20);
            publish(js, "pushp.a", 5, 6);

            JetStreamSubscription last = js.subscribe("pushp.>", PushSubscribeOptions.builder()
                    .configuration(ConsumerConfiguration.builder().deliverPolicy(DeliverPolicy.Last).build()).build());
            assertThat(next(last, 1, true)).containsExactly("m5");

            JetStreamSubscription bySeq = js.subscribe("pushp.>", PushSubscribeOptions.builder()
                    .configuration(ConsumerConfiguration.builder().deliverPolicy(DeliverPolicy.ByStartSequence)
                            .startSequence(4).build()).build());
            assertThat(next(bySeq, 3, true)).containsExactly("m3", "m4", "m5");

            JetStreamSubscription byTime = js.subscribe("pushp.>", PushSubscribeOptions.builder()
                    .configuration(ConsumerConfiguration.builder().deliverPolicy(DeliverPolicy.ByStartTime)
                            .startTime(afterFirstFive).build()).build());
            assertThat(next(byTime, 1, true)).containsExactly("m5");

            JetStreamSubscription filtered = js.subscribe("pushp.b");
            assertThat(next(filtered, 2, true)).containsExactly("m3", "m4");
            assertThat(filtered.nextMessage(Duration.ofMillis(300))).isNull();

            JetStreamSubscription fresh = js.subscribe("pushp.>", PushSubscribeOptions.builder()
                    .configuration(ConsumerConfiguration.builder().deliverPolicy(DeliverPolicy.New).build()).build());
            assertThat(fresh.nextMessage(Duration.ofMillis(300))).isNull();
            publish(js, "pushp.a", 6, 7);
            assertThat(next(fresh, 1, true)).containsExactly("m6");
        }
    }

    @Test
    void lastPerSubjectShowsTheLatestMessageOfEachSubjectThenEverythingNew() throws Exception {
        try (Connection nc = connect()) {
            JetStream js = stream(nc, "PUSHL", 2); // m0, m1 on pushl.a
            publish(js, "pushl.b", 2, 3);
            publish(js, "pushl.a", 3, 4);
            publish(js, "pushl.c", 4, 6);
            JetStreamSubscription sub = js.subscribe("pushl.>", PushSubscribeOptions.builder()
                    .configuration(ConsumerConfiguration.builder().deliverPolicy(DeliverPolicy.LastPerSubject).build())
                    .build());
            List<Message> got = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                got.add(sub.nextMessage(Duration.ofSeconds(10)));
            }
            assertThat(got).extracting(NatsPushConsumerIT::text).containsExactly("m2", "m3", "m5");
            assertThat(got).extracting(m -> m.metaData().consumerSequence()).containsExactly(1L, 2L, 3L);
            assertThat(sub.nextMessage(Duration.ofMillis(300))).isNull();
            publish(js, "pushl.a", 6, 8);
            assertThat(next(sub, 2, true)).containsExactly("m6", "m7");
        }
    }

    @Test
    void queuePushConsumerSplitsMessagesAmongMembers() throws Exception {
        try (Connection nc = connect()) {
            JetStream js = stream(nc, "PUSHQ", 0);
            ConcurrentLinkedQueue<String> a = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<String> b = new ConcurrentLinkedQueue<>();
            Dispatcher d = nc.createDispatcher();
            PushSubscribeOptions pso = PushSubscribeOptions.builder().durable("workers").build();
            js.subscribe("pushq.a", "workers", d, m -> {
                a.add(text(m));
                m.ack();
            }, false, pso);
            js.subscribe("pushq.a", "workers", d, m -> {
                b.add(text(m));
                m.ack();
            }, false, pso);
            publish(js, "pushq.a", 0, 40);
            await().atMost(Duration.ofSeconds(20)).until(() -> a.size() + b.size() >= 40);
            List<String> all = new ArrayList<>(a);
            all.addAll(b);
            assertThat(all).hasSize(40).doesNotHaveDuplicates();
            ConsumerInfo ci = nc.jetStreamManagement(jsOptions()).getConsumerInfo("PUSHQ", "workers");
            assertThat(ci.getConsumerConfiguration().getDeliverGroup()).isEqualTo("workers");
        }
    }

    @Test
    void heartbeatsCarryTheLastSequencesAndFlowControlIsAnswered() throws Exception {
        try (Connection nc = connect()) {
            JetStream js = stream(nc, "PUSHH", 2);
            JetStreamManagement jsm = nc.jetStreamManagement(jsOptions());
            // A raw subscription on the deliver subject sees the statuses jnats would otherwise consume.
            io.nats.client.Subscription raw = nc.subscribe("hb.deliver");
            jsm.addOrUpdateConsumer("PUSHH", ConsumerConfiguration.builder().durable("hb").deliverSubject("hb.deliver")
                    .ackPolicy(AckPolicy.None).idleHeartbeat(Duration.ofMillis(200)).flowControl(Duration.ofMillis(200))
                    .build());
            assertThat(text(raw.nextMessage(Duration.ofSeconds(10)))).isEqualTo("m0");
            assertThat(text(raw.nextMessage(Duration.ofSeconds(10)))).isEqualTo("m1");
            Message hb = raw.nextMessage(Duration.ofSeconds(10));
            assertThat(hb.isStatusMessage()).isTrue();
            assertThat(hb.getStatus().isHeartbeat()).isTrue();
            assertThat(hb.getHeaders().getFirst("Nats-Last-Consumer")).isEqualTo("2");
            assertThat(hb.getHeaders().getFirst("Nats-Last-Stream")).isEqualTo("2");
            raw.unsubscribe();

            // Enough bytes for several flow control requests: jnats answers them, so everything arrives.
            JetStreamSubscription sub = js.subscribe("pushh.big", PushSubscribeOptions.builder()
                    .configuration(ConsumerConfiguration.builder().ackPolicy(AckPolicy.None)
                            .idleHeartbeat(Duration.ofMillis(500)).flowControl(Duration.ofMillis(500)).build()).build());
            byte[] body = new byte[64 * 1024];
            int count = 200; // 12.8 MB, three times the flow control window
            for (int i = 0; i < count; i++) {
                js.publishAsync("pushh.big", body);
            }
            int received = 0;
            while (received < count) {
                Message m = sub.nextMessage(Duration.ofSeconds(20));
                assertThat(m).as("message %d", received).isNotNull();
                received++;
            }
            assertThat(received).isEqualTo(count);
        }
    }

    @Test
    void orderedConsumerDeliversEverythingInOrder() throws Exception {
        try (Connection nc = connect()) {
            JetStream js = stream(nc, "PUSHO", 20);
            JetStreamSubscription sub = js.subscribe("pusho.a", PushSubscribeOptions.builder().ordered(true).build());
            List<Message> got = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                got.add(sub.nextMessage(Duration.ofSeconds(10)));
            }
            assertThat(got).extracting(NatsPushConsumerIT::text).containsExactlyElementsOf(
                    java.util.stream.IntStream.range(0, 20).mapToObj(i -> "m" + i).toList());
            assertThat(got.get(19).metaData().consumerSequence()).isEqualTo(20);
            publish(js, "pusho.a", 20, 22);
            assertThat(next(sub, 2, false)).containsExactly("m20", "m21");
        }
    }

    @Test
    void ephemeralPushConsumerGoesAwayWithItsSubscriber() throws Exception {
        try (Connection nc = connect()) {
            JetStream js = stream(nc, "PUSHE", 1);
            JetStreamManagement jsm = nc.jetStreamManagement(jsOptions());
            JetStreamSubscription sub = js.subscribe("pushe.a", PushSubscribeOptions.builder()
                    .configuration(ConsumerConfiguration.builder().inactiveThreshold(Duration.ofMillis(300)).build())
                    .build());
            assertThat(next(sub, 1, true)).containsExactly("m0");
            assertThat(jsm.getConsumerNames("PUSHE")).hasSize(1);
            sub.unsubscribe();
            await().atMost(Duration.ofSeconds(20)).until(() -> jsm.getConsumerNames("PUSHE").isEmpty());
        }
    }

    @Test
    void invalidPushConfigurationsGetNatsServersErrors() throws Exception {
        try (Connection nc = connect()) {
            stream(nc, "PUSHX", 0);
            JetStreamManagement jsm = nc.jetStreamManagement(jsOptions());
            assertThatThrownBy(() -> jsm.addOrUpdateConsumer("PUSHX", ConsumerConfiguration.builder().durable("w")
                    .deliverSubject("x.*").build()))
                    .isInstanceOfSatisfying(JetStreamApiException.class, e -> assertThat(e.getApiErrorCode()).isEqualTo(10079));
            // jnats always pairs flow control with heartbeats: send the bare request.
            Message fc = nc.request("$JS.API.CONSUMER.DURABLE.CREATE.PUSHX.fc", ("{\"stream_name\":\"PUSHX\",\"config\":"
                    + "{\"durable_name\":\"fc\",\"deliver_subject\":\"x.fc\",\"flow_control\":true}}")
                    .getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(10));
            assertThat(text(fc)).contains("\"err_code\":10108");
            assertThatThrownBy(() -> jsm.addOrUpdateConsumer("PUSHX", ConsumerConfiguration.builder().durable("hb")
                    .idleHeartbeat(Duration.ofSeconds(1)).build()))
                    .isInstanceOfSatisfying(JetStreamApiException.class, e -> assertThat(e.getApiErrorCode()).isEqualTo(10088));
            assertThatThrownBy(() -> jsm.addOrUpdateConsumer("PUSHX", ConsumerConfiguration.builder().durable("cyc")
                    .deliverSubject("$JS.API.INFO").build()))
                    .isInstanceOfSatisfying(JetStreamApiException.class, e -> assertThat(e.getApiErrorCode()).isEqualTo(10081));
            assertThatThrownBy(() -> jsm.addOrUpdateConsumer("PUSHX", ConsumerConfiguration.builder().durable("seq")
                    .deliverSubject("x.seq").deliverPolicy(DeliverPolicy.ByStartSequence).build()))
                    .isInstanceOfSatisfying(JetStreamApiException.class, e -> assertThat(e.getApiErrorCode()).isEqualTo(10094));
            // A pull request to a push consumer is refused with nats-server's status.
            jsm.addOrUpdateConsumer("PUSHX", ConsumerConfiguration.builder().durable("p").deliverSubject("x.p").build());
            Message reply = nc.request(NatsMessage.builder().subject("$JS.API.CONSUMER.MSG.NEXT.PUSHX.p")
                    .data("{\"batch\":1,\"no_wait\":true}".getBytes(StandardCharsets.UTF_8)).build(), Duration.ofSeconds(10));
            assertThat(reply.getStatus().getCode()).isEqualTo(409);
            assertThat(reply.getStatus().getMessage()).isEqualTo("Consumer is push based");
        }
    }
}
