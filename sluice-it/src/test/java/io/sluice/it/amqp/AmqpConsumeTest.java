package io.sluice.it.amqp;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.AMQP;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Consuming: push consumers, qos, ack/nack/reject/recover, basic.get, cancellation, exclusivity, priorities. */
@Tag("it")
class AmqpConsumeTest {

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

    private record Received(long tag, String body, boolean redelivered) {
    }

    private static final class Recorder extends DefaultConsumer {
        final List<Received> received = new CopyOnWriteArrayList<>();
        final AtomicReference<String> cancelledBy = new AtomicReference<>();

        Recorder(Channel ch) {
            super(ch);
        }

        @Override
        public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties props, byte[] body) {
            received.add(new Received(env.getDeliveryTag(), new String(body, StandardCharsets.UTF_8),
                    env.isRedeliver()));
        }

        @Override
        public void handleCancel(String consumerTag) {
            cancelledBy.set(consumerTag);
        }
    }

    private void send(String q, String... bodies) throws Exception {
        for (String b : bodies) {
            ch.basicPublish("", q, null, b.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void autoAckConsumerReceivesInOrder() throws Exception {
        String q = ch.queueDeclare().getQueue();
        Recorder r = new Recorder(ch);
        String tag = ch.basicConsume(q, true, r);
        assertThat(tag).startsWith("amq.ctag-");
        send(q, "1", "2", "3");
        await().atMost(Duration.ofSeconds(5)).until(() -> r.received.size() == 3);
        assertThat(r.received).extracting(Received::body).containsExactly("1", "2", "3");
        assertThat(r.received).extracting(Received::tag).containsExactly(1L, 2L, 3L);
    }

    @Test
    void prefetchLimitsUnacknowledgedDeliveries() throws Exception {
        String q = ch.queueDeclare().getQueue();
        send(q, "a", "b", "c", "d", "e");
        ch.basicQos(2);
        Recorder r = new Recorder(ch);
        ch.basicConsume(q, false, r);
        await().atMost(Duration.ofSeconds(5)).until(() -> r.received.size() == 2);
        assertThat(ch.queueDeclarePassive(q).getMessageCount()).isEqualTo(3);
        ch.basicAck(r.received.get(1).tag(), true);
        await().atMost(Duration.ofSeconds(5)).until(() -> r.received.size() == 4);
        ch.basicAck(r.received.get(3).tag(), true);
        await().atMost(Duration.ofSeconds(5)).until(() -> r.received.size() == 5);
    }

    @Test
    void globalQosIsOneLimitForAllConsumersOfTheChannel() throws Exception {
        // RabbitMQ: global=true limits the channel as a whole; global=false each consumer started afterwards
        String q1 = ch.queueDeclare().getQueue();
        String q2 = ch.queueDeclare().getQueue();
        send(q1, "a1", "a2", "a3");
        send(q2, "b1", "b2", "b3");
        ch.basicQos(3, true);
        ch.basicQos(2, false);
        Recorder a = new Recorder(ch);
        Recorder b = new Recorder(ch);
        ch.basicConsume(q1, false, a);
        ch.basicConsume(q2, false, b);
        await().atMost(Duration.ofSeconds(5)).until(() -> a.received.size() + b.received.size() == 3);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .until(() -> a.received.size() + b.received.size() == 3);
        assertThat(a.received.size()).isLessThanOrEqualTo(2);
        assertThat(b.received.size()).isLessThanOrEqualTo(2);

        // settling everything makes room for the other three, two per consumer at most
        ch.basicAck(Math.max(a.received.getLast().tag(), b.received.getLast().tag()), true);
        await().atMost(Duration.ofSeconds(5)).until(() -> a.received.size() + b.received.size() == 6);
        assertThat(a.received).extracting(Received::body).containsExactly("a1", "a2", "a3");
        assertThat(b.received).extracting(Received::body).containsExactly("b1", "b2", "b3");
    }

    @Test
    void nackWithRequeueRedeliversWithTheRedeliveredFlag() throws Exception {
        String q = ch.queueDeclare().getQueue();
        send(q, "again");
        Recorder r = new Recorder(ch);
        ch.basicConsume(q, false, r);
        await().atMost(Duration.ofSeconds(5)).until(() -> r.received.size() == 1);
        assertThat(r.received.getFirst().redelivered()).isFalse();
        ch.basicNack(r.received.getFirst().tag(), false, true);
        await().atMost(Duration.ofSeconds(5)).until(() -> r.received.size() == 2);
        assertThat(r.received.get(1).body()).isEqualTo("again");
        assertThat(r.received.get(1).redelivered()).isTrue();
        ch.basicAck(r.received.get(1).tag(), false);
    }

    @Test
    void rejectWithoutRequeueDropsTheMessage() throws Exception {
        String q = ch.queueDeclare().getQueue();
        send(q, "x");
        GetResponse g = ch.basicGet(q, false);
        ch.basicReject(g.getEnvelope().getDeliveryTag(), false);
        assertThat(ch.basicGet(q, true)).isNull();
    }

    @Test
    void getReportsRemainingCountAndUnackedReturnOnChannelClose() throws Exception {
        String q = ch.queueDeclare().getQueue();
        send(q, "1", "2");
        Channel getter = connection.createChannel();
        GetResponse g = getter.basicGet(q, false);
        assertThat(g.getMessageCount()).isEqualTo(1);
        assertThat(new String(g.getBody())).isEqualTo("1");
        getter.close();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(ch.queueDeclarePassive(q).getMessageCount()).isEqualTo(2));
        GetResponse again = ch.basicGet(q, true);
        assertThat(new String(again.getBody())).isEqualTo("1");
        assertThat(again.getEnvelope().isRedeliver()).isTrue();
    }

    @Test
    void recoverRedeliversUnacknowledged() throws Exception {
        String q = ch.queueDeclare().getQueue();
        send(q, "r");
        Recorder r = new Recorder(ch);
        ch.basicConsume(q, false, r);
        await().atMost(Duration.ofSeconds(5)).until(() -> r.received.size() == 1);
        ch.basicRecover(true);
        await().atMost(Duration.ofSeconds(5)).until(() -> r.received.size() == 2);
        assertThat(r.received.get(1).redelivered()).isTrue();
    }

    @Test
    void unknownDeliveryTagIs406() throws Exception {
        ch.basicAck(999, false);
        AmqpItAssertions.assertClosedWith(406, () -> ch.queueDeclare());
    }

    @Test
    void cancelStopsDeliveries() throws Exception {
        // not auto-delete: cancelling the only consumer of an auto-delete queue deletes it
        String q = ch.queueDeclare("c.cancel", false, true, false, null).getQueue();
        Recorder r = new Recorder(ch);
        String tag = ch.basicConsume(q, true, "my-tag", r);
        assertThat(tag).isEqualTo("my-tag");
        ch.basicCancel(tag);
        send(q, "after-cancel");
        assertThat(ch.basicGet(q, true)).isNotNull();
        assertThat(r.received).isEmpty();
    }

    @Test
    void deliveriesHeldAtCancelCanStillBeAcknowledgedAndReturnWhenTheChannelCloses() throws Exception {
        String q = ch.queueDeclare("c.ack-after-cancel", false, false, false, null).getQueue();
        ch.basicQos(10);
        Recorder r = new Recorder(ch);
        String tag = ch.basicConsume(q, false, r);
        send(q, "kept", "acked-late");
        await().atMost(Duration.ofSeconds(5)).until(() -> r.received.size() == 2);
        ch.basicCancel(tag);
        // as in RabbitMQ, the cancelled consumer's deliveries stay with the channel: not redelivered, still ackable
        ch.basicAck(r.received.get(1).tag(), false);
        assertThat(ch.queueDeclarePassive(q).getMessageCount()).isZero();
        Channel other = connection.createChannel();
        assertThat(other.basicGet(q, true)).isNull();
        // closing the channel returns what it still held, and only that
        ch.close();
        GetResponse back = awaitGet(other, q);
        assertThat(new String(back.getBody(), StandardCharsets.UTF_8)).isEqualTo("kept");
        assertThat(back.getEnvelope().isRedeliver()).isTrue();
        assertThat(other.basicGet(q, true)).isNull();
    }

    @Test
    void recoverWithoutRequeueIsNotImplementedAsInRabbitMq() throws Exception {
        AmqpItAssertions.assertClosedWith(540, () -> ch.basicRecover(false));
        await().atMost(Duration.ofSeconds(5)).until(() -> !connection.isOpen()); // 540 is a connection error
    }

    private static GetResponse awaitGet(Channel c, String q) {
        AtomicReference<GetResponse> got = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            got.set(c.basicGet(q, true));
            return got.get() != null;
        });
        return got.get();
    }

    @Test
    void deletingTheQueueCancelsItsConsumers() throws Exception {
        String q = ch.queueDeclare("c.deleted", false, false, false, null).getQueue();
        Recorder r = new Recorder(ch);
        String tag = ch.basicConsume(q, true, r);
        Channel admin = connection.createChannel();
        admin.queueDelete(q);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(r.cancelledBy.get()).isEqualTo(tag));
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void exclusiveConsumerLocksOutOthers() throws Exception {
        String q = ch.queueDeclare().getQueue();
        ch.basicConsume(q, true, "solo", false, true, Map.of(), new Recorder(ch));
        Channel other = connection.createChannel();
        AmqpItAssertions.assertClosedWith(403, () -> other.basicConsume(q, true, new Recorder(other)));
    }

    @Test
    void higherPriorityConsumerIsServedFirst() throws Exception {
        String q = ch.queueDeclare().getQueue();
        Channel low = connection.createChannel();
        Channel high = connection.createChannel();
        Recorder lowR = new Recorder(low);
        Recorder highR = new Recorder(high);
        low.basicConsume(q, true, Map.of("x-priority", 1), lowR);
        high.basicConsume(q, true, Map.of("x-priority", 10), highR);
        send(q, "1", "2", "3");
        await().atMost(Duration.ofSeconds(5)).until(() -> highR.received.size() == 3);
        assertThat(lowR.received).isEmpty();
    }

}
