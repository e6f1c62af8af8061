package io.sluice.it.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Stream queues (x-queue-type=stream) read from an x-stream-offset, non-destructively, with credit from acks. */
@Tag("it")
class AmqpStreamQueueTest {

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

    private String stream(String name, int messages) throws Exception {
        ch.queueDeclare(name, true, false, false, Map.of("x-queue-type", "stream"));
        ch.confirmSelect();
        for (int i = 0; i < messages; i++) {
            ch.basicPublish("", name, null, ("m" + i).getBytes(StandardCharsets.UTF_8));
        }
        ch.waitForConfirmsOrDie(10_000);
        return name;
    }

    private List<String> consume(String queue, Object offset, int expected) throws Exception {
        Channel c = connection.createChannel();
        c.basicQos(3);
        List<String> got = new CopyOnWriteArrayList<>();
        Map<String, Object> args = offset == null ? Map.of() : Map.of("x-stream-offset", offset);
        c.basicConsume(queue, false, args, new DefaultConsumer(c) {
            @Override
            public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties props, byte[] body)
                    throws java.io.IOException {
                got.add(new String(body, StandardCharsets.UTF_8));
                c.basicAck(env.getDeliveryTag(), false);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> got.size() >= expected);
        return got;
    }

    @Test
    void firstReadsEverythingAndDoesNotConsume() throws Exception {
        String s = stream("s.first", 10);
        assertThat(consume(s, "first", 10)).hasSize(10).startsWith("m0", "m1").endsWith("m9");
        assertThat(consume(s, "first", 10)).hasSize(10).startsWith("m0");
    }

    @Test
    void numericOffsetStartsThere() throws Exception {
        String s = stream("s.offset", 10);
        assertThat(consume(s, 7, 3)).containsExactly("m7", "m8", "m9");
    }

    @Test
    void nextOnlySeesNewMessages() throws Exception {
        String s = stream("s.next", 5);
        Channel c = connection.createChannel();
        c.basicQos(10);
        List<String> got = new CopyOnWriteArrayList<>();
        c.basicConsume(s, false, Map.of("x-stream-offset", "next"), new DefaultConsumer(c) {
            @Override
            public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties props, byte[] body)
                    throws java.io.IOException {
                got.add(new String(body, StandardCharsets.UTF_8));
                c.basicAck(env.getDeliveryTag(), false);
            }
        });
        ch.basicPublish("", s, null, "new".getBytes());
        await().atMost(Duration.ofSeconds(10)).until(() -> got.contains("new"));
        assertThat(got).containsExactly("new");
    }

    @Test
    void lastStartsAtTheEnd() throws Exception {
        String s = stream("s.last", 5);
        assertThat(consume(s, "last", 1).getFirst()).isEqualTo("m4");
    }

    @Test
    void timestampOffsetInThePastReadsFromThere() throws Exception {
        String s = stream("s.time", 4);
        java.util.Date longAgo = new java.util.Date(0);
        assertThat(consume(s, longAgo, 4)).containsExactly("m0", "m1", "m2", "m3");
    }

    @Test
    void streamQueuesNeedDurableAndAcks() throws Exception {
        AmqpItAssertions.assertClosedWith(406, () -> ch.queueDeclare("s.transient", false, false, false,
                Map.of("x-queue-type", "stream")));
        Channel c = connection.createChannel();
        String s = "s.noack";
        c.queueDeclare(s, true, false, false, Map.of("x-queue-type", "stream"));
        c.basicQos(10);
        AmqpItAssertions.assertClosedWith(406, () -> c.basicConsume(s, true, new DefaultConsumer(c)));
    }
}
