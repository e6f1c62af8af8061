package io.sluice.it.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DeliverCallback;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Queue declaration and queue arguments: server names, exclusivity, TTL, length limits, priorities, SAC. */
@Tag("it")
class AmqpQueueTest {

    private static AmqpItBroker broker;
    private Connection connection;
    private Channel ch;

    @BeforeAll
    static void start() {
        broker = new AmqpItBroker();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @BeforeEach
    void open() throws Exception {
        connection = broker.connect();
        ch = connection.createChannel();
    }

    @AfterEach
    void close() {
        if (connection != null) {
            connection.abort();
        }
    }

    private List<String> drain(Channel c, String queue) throws Exception {
        List<String> out = new ArrayList<>();
        GetResponse r;
        while ((r = c.basicGet(queue, true)) != null) {
            out.add(new String(r.getBody(), StandardCharsets.UTF_8));
        }
        return out;
    }

    private void send(String queue, String body) throws Exception {
        ch.basicPublish("", queue, null, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void serverNamedQueueAndDeclareOkCounts() throws Exception {
        AMQP.Queue.DeclareOk ok = ch.queueDeclare();
        assertThat(ok.getQueue()).startsWith("amq.gen-");
        send(ok.getQueue(), "a");
        send(ok.getQueue(), "b");
        ch.basicConsume(ok.getQueue(), false, (tag, d) -> { }, tag -> { });
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            AMQP.Queue.DeclareOk again = ch.queueDeclarePassive(ok.getQueue());
            assertThat(again.getConsumerCount()).isEqualTo(1);
        });
    }

    @Test
    void passiveDeclareOfAMissingQueueIs404() {
        AmqpItAssertions.assertClosedWith(404, () -> ch.queueDeclarePassive("q.missing"));
    }

    @Test
    void redeclareWithDifferentArgumentsIs406() throws Exception {
        ch.queueDeclare("q.args", false, false, true, Map.of("x-max-length", 10));
        AmqpItAssertions.assertClosedWith(406, () -> ch.queueDeclare("q.args", false, false, true, Map.of("x-max-length", 20)));
    }

    @Test
    void invalidArgumentIs406() {
        AmqpItAssertions.assertClosedWith(406, () -> ch.queueDeclare("q.bad", false, false, true, Map.of("x-message-ttl", "soon")));
    }

    @Test
    void reservedNameIs403() {
        AmqpItAssertions.assertClosedWith(403, () -> ch.queueDeclare("amq.mine", false, false, false, null));
    }

    @Test
    void exclusiveQueueIsLockedForOtherConnectionsAndGoesWithItsOwner() throws Exception {
        Connection owner = broker.connect();
        Channel och = owner.createChannel();
        String q = och.queueDeclare("q.exclusive", false, true, false, null).getQueue();
        Channel other = connection.createChannel();
        AmqpItAssertions.assertClosedWith(405, () -> other.basicConsume(q, true, (t, d) -> { }, t -> { }));
        owner.close();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            Channel probe = connection.createChannel();
            AmqpItAssertions.assertClosedWith(404, () -> probe.queueDeclarePassive(q));
        });
    }

    @Test
    void autoDeleteQueueGoesWithItsLastConsumer() throws Exception {
        String q = ch.queueDeclare("q.autodelete", false, false, true, null).getQueue();
        String tag = ch.basicConsume(q, true, (t, d) -> { }, t -> { });
        ch.basicCancel(tag);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            Channel probe = connection.createChannel();
            AmqpItAssertions.assertClosedWith(404, () -> probe.queueDeclarePassive(q));
        });
    }

    @Test
    void purgeAndDeleteWithConditions() throws Exception {
        String q = ch.queueDeclare("q.purge", false, false, false, null).getQueue();
        send(q, "1");
        send(q, "2");
        assertThat(ch.queuePurge(q).getMessageCount()).isEqualTo(2);
        send(q, "3");
        AmqpItAssertions.assertClosedWith(406, () -> ch.queueDelete(q, false, true));
        Channel c2 = connection.createChannel();
        assertThat(c2.queueDelete(q).getMessageCount()).isEqualTo(1);
        assertThat(c2.queueDelete("q.never-existed").getMessageCount()).isZero();
    }

    @Test
    void messageTtlExpiresMessages() throws Exception {
        String q = ch.queueDeclare("q.ttl", false, false, true, Map.of("x-message-ttl", 200)).getQueue();
        send(q, "short-lived");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ch.basicGet(q, true)).isNull());
    }

    @Test
    void perMessageExpirationExpiresMessages() throws Exception {
        String q = ch.queueDeclare().getQueue();
        ch.basicPublish("", q, new AMQP.BasicProperties.Builder().expiration("200").build(), "x".getBytes());
        ch.basicPublish("", q, null, "kept".getBytes());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(ch.queueDeclarePassive(q).getMessageCount()).isEqualTo(1));
        assertThat(drain(ch, q)).containsExactly("kept");
    }

    @Test
    void maxLengthDropsTheOldest() throws Exception {
        String q = ch.queueDeclare("q.maxlen", false, false, true, Map.of("x-max-length", 2)).getQueue();
        for (int i = 1; i <= 4; i++) {
            send(q, "m" + i);
        }
        assertThat(drain(ch, q)).containsExactly("m3", "m4");
    }

    @Test
    void maxLengthWithRejectPublishNacksTheConfirm() throws Exception {
        String q = ch.queueDeclare("q.reject", false, false, true,
                Map.of("x-max-length", 1, "x-overflow", "reject-publish")).getQueue();
        ch.confirmSelect();
        send(q, "first");
        assertThat(ch.waitForConfirms(5000)).isTrue();
        send(q, "second");
        assertThat(ch.waitForConfirms(5000)).isFalse();
        assertThat(drain(ch, q)).containsExactly("first");
    }

    /**
     * A burst of publishes whose confirms mix acks and nacks: the client learns each outcome exactly once, and a
     * multiple ack never covers a nacked publish (confirms are coalesced per burst on the server).
     */
    @Test
    void aBurstOfConfirmsSettlesEachPublishOnceWithItsOwnOutcome() throws Exception {
        String q = ch.queueDeclare("q.reject.burst", false, false, true,
                Map.of("x-max-length", 3, "x-overflow", "reject-publish")).getQueue();
        ch.confirmSelect();
        Map<Long, Boolean> outcomes = new java.util.concurrent.ConcurrentHashMap<>();
        long[] settledUpTo = {0};
        List<String> violations = new CopyOnWriteArrayList<>();
        ch.addConfirmListener(new com.rabbitmq.client.ConfirmListener() {
            @Override
            public void handleAck(long tag, boolean multiple) {
                settle(tag, multiple, true);
            }

            @Override
            public void handleNack(long tag, boolean multiple) {
                settle(tag, multiple, false);
            }

            private synchronized void settle(long tag, boolean multiple, boolean ack) {
                for (long t = multiple ? settledUpTo[0] + 1 : tag; t <= tag; t++) {
                    if (outcomes.putIfAbsent(t, ack) != null) {
                        violations.add("publish " + t + " settled twice");
                    }
                }
                settledUpTo[0] = Math.max(settledUpTo[0], tag);
            }
        });
        int n = 20;
        for (int i = 1; i <= n; i++) {
            send(q, "m" + i);
        }
        assertThat(ch.waitForConfirms(10_000)).isFalse();
        assertThat(violations).isEmpty();
        assertThat(outcomes).hasSize(n);
        // the queue holds exactly the publishes confirmed with an ack
        List<String> acked = new ArrayList<>();
        for (long t = 1; t <= n; t++) {
            if (outcomes.get(t)) {
                acked.add("m" + t);
            }
        }
        // as RabbitMQ: the first x-max-length publishes are accepted, every later one refused
        assertThat(acked).containsExactly("m1", "m2", "m3");
        assertThat(drain(ch, q)).containsExactlyElementsOf(acked);
    }

    @Test
    void priorityQueueDeliversHigherPrioritiesFirst() throws Exception {
        String q = ch.queueDeclare("q.prio", false, false, true, Map.of("x-max-priority", 10)).getQueue();
        int[] priorities = {1, 5, 9, 3};
        for (int p : priorities) {
            ch.basicPublish("", q, new AMQP.BasicProperties.Builder().priority(p).build(),
                    ("p" + p).getBytes());
        }
        assertThat(drain(ch, q)).containsExactly("p9", "p5", "p3", "p1");
    }

    @Test
    void singleActiveConsumerDeliversToOneConsumerUntilItLeaves() throws Exception {
        String q = ch.queueDeclare("q.sac", false, false, false, Map.of("x-single-active-consumer", true))
                .getQueue();
        List<String> first = new CopyOnWriteArrayList<>();
        List<String> second = new CopyOnWriteArrayList<>();
        Channel c1 = connection.createChannel();
        Channel c2 = connection.createChannel();
        DeliverCallback d1 = (t, d) -> first.add(new String(d.getBody()));
        DeliverCallback d2 = (t, d) -> second.add(new String(d.getBody()));
        String tag1 = c1.basicConsume(q, true, d1, t -> { });
        c2.basicConsume(q, true, d2, t -> { });
        for (int i = 0; i < 5; i++) {
            send(q, "a" + i);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> first.size() == 5);
        assertThat(second).isEmpty();
        c1.basicCancel(tag1);
        send(q, "b");
        await().atMost(Duration.ofSeconds(5)).until(() -> second.contains("b"));
        ch.queueDelete(q);
    }
}
