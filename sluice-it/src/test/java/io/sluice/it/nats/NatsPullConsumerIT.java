package io.sluice.it.nats;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.ConsumerContext;
import io.nats.client.FetchConsumeOptions;
import io.nats.client.FetchConsumer;
import io.nats.client.StreamContext;
import io.sluice.testkit.EmbeddedSluice;
import io.sluice.testkit.SluiceExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** JetStream durable pull consumers with the official Java client: fetch, ack, nak, term, AckWait, MaxDeliver. */
@Tag("it")
class NatsPullConsumerIT {

    @RegisterExtension
    static final SluiceExtension SLUICE = new SluiceExtension(EmbeddedSluice.builder().set("log.durability", "os-cache"));

    private static Connection connect() throws Exception {
        return Nats.connect(new Options.Builder().server(SLUICE.natsUrl()).noReconnect()
                .connectionTimeout(Duration.ofSeconds(20)).build());
    }

    private static JetStreamOptions jsOptions() {
        return JetStreamOptions.builder().requestTimeout(Duration.ofSeconds(20)).build();
    }

    /** Creates a stream with {@code count} messages on {@code <name>.data} and a durable pull consumer on it. */
    private static JetStreamSubscription setUp(Connection nc, String name, int count, ConsumerConfiguration.Builder cc)
            throws Exception {
        JetStreamManagement jsm = nc.jetStreamManagement(jsOptions());
        jsm.addStream(StreamConfiguration.builder().name(name).subjects(name.toLowerCase() + ".>").build());
        JetStream js = nc.jetStream(jsOptions());
        for (int i = 0; i < count; i++) {
            js.publish(name.toLowerCase() + ".data", ("m" + i).getBytes(StandardCharsets.UTF_8));
        }
        jsm.addOrUpdateConsumer(name, cc.durable("worker").ackPolicy(AckPolicy.Explicit).build());
        return js.subscribe(null, PullSubscribeOptions.bind(name, "worker"));
    }

    private static String text(Message m) {
        return new String(m.getData(), StandardCharsets.UTF_8);
    }

    @Test
    void fetchThenAckEmptiesTheConsumer() throws Exception {
        try (Connection nc = connect()) {
            JetStreamSubscription sub = setUp(nc, "FETCH", 10, ConsumerConfiguration.builder());
            List<Message> batch = sub.fetch(10, Duration.ofSeconds(10));
            assertThat(batch).extracting(NatsPullConsumerIT::text)
                    .containsExactly("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9");
            assertThat(batch.get(0).getSubject()).isEqualTo("fetch.data");
            assertThat(batch.get(0).metaData().streamSequence()).isEqualTo(1);
            assertThat(batch.get(9).metaData().streamSequence()).isEqualTo(10);
            ConsumerInfo before = nc.jetStreamManagement(jsOptions()).getConsumerInfo("FETCH", "worker");
            assertThat(before.getNumAckPending()).isEqualTo(10);
            for (Message m : batch) {
                m.ackSync(Duration.ofSeconds(10));
            }
            ConsumerInfo after = nc.jetStreamManagement(jsOptions()).getConsumerInfo("FETCH", "worker");
            assertThat(after.getNumAckPending()).isZero();
            assertThat(after.getNumPending()).isZero();
            assertThat(sub.fetch(5, Duration.ofMillis(500))).isEmpty();
        }
    }

    @Test
    void noWaitPullDeliversWhatIsThereAndEnds() throws Exception {
        try (Connection nc = connect()) {
            JetStreamSubscription sub = setUp(nc, "NOWAIT", 2, ConsumerConfiguration.builder());
            sub.pullNoWait(5);
            Message a = sub.nextMessage(Duration.ofSeconds(10));
            Message b = sub.nextMessage(Duration.ofSeconds(10));
            assertThat(List.of(text(a), text(b))).containsExactly("m0", "m1");
            // The 404 that ends the request is consumed by the client, not handed to the application.
            assertThat(sub.nextMessage(Duration.ofMillis(500))).isNull();
            a.ack();
            b.ack();
        }
    }

    @Test
    void streamConsumerAndUnackedMessagesSurviveARestart() throws Exception {
        try (Connection nc = connect()) {
            JetStreamSubscription sub = setUp(nc, "DURABLE", 3,
                    ConsumerConfiguration.builder().ackWait(Duration.ofSeconds(2)));
            List<Message> first = sub.fetch(2, Duration.ofSeconds(10));
            assertThat(first).hasSize(2);
            first.get(0).ackSync(Duration.ofSeconds(10));
        }
        SLUICE.restart();
        try (Connection nc = connect()) {
            JetStreamManagement jsm = nc.jetStreamManagement(jsOptions());
            assertThat(jsm.getStreamInfo("DURABLE").getStreamState().getMsgCount()).isEqualTo(3);
            assertThat(jsm.getConsumerInfo("DURABLE", "worker").getConsumerConfiguration().getAckPolicy())
                    .isEqualTo(AckPolicy.Explicit);
            JetStreamSubscription sub = nc.jetStream(jsOptions()).subscribe(null, PullSubscribeOptions.bind("DURABLE", "worker"));
            // m1 was delivered but not acknowledged before the restart: it stays pending and comes again once its
            // AckWait has passed, as with nats-server; m2 was never delivered. m0 was acknowledged and never returns.
            List<String> after = new java.util.ArrayList<>();
            for (int attempt = 0; attempt < 10 && after.size() < 2; attempt++) {
                for (Message m : sub.fetch(5, Duration.ofSeconds(2))) {
                    after.add(text(m));
                    m.ack();
                }
            }
            assertThat(after).containsExactlyInAnyOrder("m1", "m2");
        }
    }

    @Test
    void nakRedeliversAndTermDoesNot() throws Exception {
        try (Connection nc = connect()) {
            JetStreamSubscription sub = setUp(nc, "NAK", 2, ConsumerConfiguration.builder());
            List<Message> first = sub.fetch(2, Duration.ofSeconds(10));
            assertThat(first).hasSize(2);
            first.get(0).nak();
            first.get(1).term();
            Message again = sub.fetch(1, Duration.ofSeconds(10)).get(0);
            assertThat(text(again)).isEqualTo("m0");
            assertThat(again.metaData().deliveredCount()).isEqualTo(2);
            again.ackSync(Duration.ofSeconds(10));
            assertThat(sub.fetch(1, Duration.ofMillis(1500))).isEmpty();
        }
    }

    @Test
    void unackedMessageIsRedeliveredAfterAckWait() throws Exception {
        try (Connection nc = connect()) {
            JetStreamSubscription sub = setUp(nc, "ACKWAIT", 1,
                    ConsumerConfiguration.builder().ackWait(Duration.ofMillis(800)));
            Message first = sub.fetch(1, Duration.ofSeconds(10)).get(0);
            assertThat(first.metaData().deliveredCount()).isEqualTo(1);
            List<Message> redelivered = sub.fetch(1, Duration.ofSeconds(15));
            assertThat(redelivered).hasSize(1);
            assertThat(text(redelivered.get(0))).isEqualTo("m0");
            assertThat(redelivered.get(0).metaData().deliveredCount()).isEqualTo(2);
            redelivered.get(0).ack();
        }
    }

    @Test
    void maxDeliverStopsRedelivery() throws Exception {
        try (Connection nc = connect()) {
            JetStreamSubscription sub = setUp(nc, "MAXDEL", 2, ConsumerConfiguration.builder().maxDeliver(2));
            Message m = sub.fetch(1, Duration.ofSeconds(10)).get(0);
            assertThat(text(m)).isEqualTo("m0");
            m.nak();
            Message again = sub.fetch(1, Duration.ofSeconds(10)).get(0);
            assertThat(text(again)).isEqualTo("m0");
            assertThat(again.metaData().deliveredCount()).isEqualTo(2);
            again.nak();
            List<Message> rest = sub.fetch(5, Duration.ofSeconds(3));
            assertThat(rest).extracting(NatsPullConsumerIT::text).containsExactly("m1");
        }
    }

    @Test
    void consumersAreListedDescribedAndDeleted() throws Exception {
        try (Connection nc = connect()) {
            setUp(nc, "ADMIN", 3, ConsumerConfiguration.builder());
            JetStreamManagement jsm = nc.jetStreamManagement(jsOptions());
            assertThat(jsm.getConsumerNames("ADMIN")).containsExactly("worker");
            assertThat(jsm.getConsumers("ADMIN")).extracting(ConsumerInfo::getName).containsExactly("worker");
            ConsumerInfo info = jsm.getConsumerInfo("ADMIN", "worker");
            assertThat(info.getNumPending()).isEqualTo(3);
            assertThat(info.getConsumerConfiguration().getAckPolicy()).isEqualTo(AckPolicy.Explicit);
            assertThat(jsm.deleteConsumer("ADMIN", "worker")).isTrue();
            assertThatThrownBy(() -> jsm.getConsumerInfo("ADMIN", "worker"))
                    .isInstanceOf(JetStreamApiException.class)
                    .satisfies(e -> assertThat(((JetStreamApiException) e).getApiErrorCode()).isEqualTo(10014));
        }
    }

    @Test
    void subscribeCreatesTheDurableThroughTheSubjectLookup() throws Exception {
        try (Connection nc = connect()) {
            JetStreamManagement jsm = nc.jetStreamManagement(jsOptions());
            jsm.addStream(StreamConfiguration.builder().name("LOOKUP").subjects("lookup.*").build());
            JetStream js = nc.jetStream(jsOptions());
            js.publish("lookup.a", "x".getBytes());
            JetStreamSubscription sub = js.subscribe("lookup.*", PullSubscribeOptions.builder().durable("auto").build());
            List<Message> got = sub.fetch(1, Duration.ofSeconds(10));
            assertThat(got).extracting(NatsPullConsumerIT::text).containsExactly("x");
            got.get(0).ack();
        }
    }

    @Test
    void simplifiedApiFetchesAndWaitsWithHeartbeats() throws Exception {
        try (Connection nc = connect()) {
            JetStreamManagement jsm = nc.jetStreamManagement(jsOptions());
            jsm.addStream(StreamConfiguration.builder().name("SIMPLE").subjects("simple.>").build());
            JetStream js = nc.jetStream(jsOptions());
            for (int i = 0; i < 3; i++) {
                js.publish("simple.x", ("s" + i).getBytes(StandardCharsets.UTF_8));
            }
            StreamContext stream = nc.getStreamContext("SIMPLE", jsOptions());
            ConsumerContext consumer = stream.createOrUpdateConsumer(ConsumerConfiguration.builder().durable("simple")
                    .ackPolicy(AckPolicy.Explicit).build());
            List<String> got = new java.util.ArrayList<>();
            try (FetchConsumer fetch = consumer.fetch(FetchConsumeOptions.builder().maxMessages(3)
                    .expiresIn(10_000).build())) {
                Message m;
                while ((m = fetch.nextMessage()) != null) {
                    got.add(text(m));
                    m.ack();
                }
            }
            assertThat(got).containsExactly("s0", "s1", "s2");
            // A wait long enough for several idle heartbeats, then a message arrives.
            Thread publisher = new Thread(() -> {
                try {
                    Thread.sleep(3000);
                    js.publish("simple.x", "late".getBytes(StandardCharsets.UTF_8));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            publisher.start();
            Message late = consumer.next(Duration.ofSeconds(20));
            publisher.join();
            assertThat(late).isNotNull();
            assertThat(text(late)).isEqualTo("late");
            late.ack();
        }
    }
}
