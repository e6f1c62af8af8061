package io.sluice.it.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Durable exchanges, queues, bindings and persistent messages survive a broker restart; transient ones do not. */
@Tag("it")
class AmqpDurabilityTest {

    private static AmqpItBroker broker;

    @BeforeAll
    static void start() {
        broker = new AmqpItBroker();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void durableDefinitionsAndMessagesSurviveARestart() throws Exception {
        try (Connection c = broker.connect()) {
            Channel ch = c.createChannel();
            ch.exchangeDeclare("d.orders", "topic", true);
            ch.queueDeclare("d.queue", true, false, false, Map.of("x-max-priority", 5));
            ch.queueBind("d.queue", "d.orders", "order.#");
            ch.queueDeclare("d.transient", false, false, false, null);
            ch.queueDeclare("d.stream", true, false, false, Map.of("x-queue-type", "stream"));
            ch.confirmSelect();
            for (int i = 0; i < 5; i++) {
                ch.basicPublish("d.orders", "order.new", MessageProperties.PERSISTENT_TEXT_PLAIN,
                        ("o" + i).getBytes(StandardCharsets.UTF_8));
                ch.basicPublish("", "d.stream", MessageProperties.PERSISTENT_BASIC, ("s" + i).getBytes());
            }
            ch.waitForConfirmsOrDie(10_000);
            GetResponse first = ch.basicGet("d.queue", false);
            ch.basicAck(first.getEnvelope().getDeliveryTag(), false);
            GetResponse unacked = ch.basicGet("d.queue", false);
            assertThat(new String(unacked.getBody())).isEqualTo("o1");
        }

        broker.restart();

        try (Connection c = broker.connect()) {
            Channel ch = c.createChannel();
            ch.exchangeDeclarePassive("d.orders");
            AMQP.Queue.DeclareOk ok = ch.queueDeclarePassive("d.queue");
            assertThat(ok.getMessageCount()).isEqualTo(4);
            List<String> bodies = new ArrayList<>();
            GetResponse r;
            while ((r = ch.basicGet("d.queue", true)) != null) {
                bodies.add(new String(r.getBody(), StandardCharsets.UTF_8));
                assertThat(r.getProps().getContentType()).isEqualTo("text/plain");
                assertThat(r.getProps().getDeliveryMode()).isEqualTo(2);
            }
            assertThat(bodies).containsExactlyInAnyOrder("o1", "o2", "o3", "o4");
            ch.basicPublish("d.orders", "order.after-restart", null, "bound".getBytes());
            assertThat(new String(ch.basicGet("d.queue", true).getBody())).isEqualTo("bound");
            assertThat(ch.queueDeclarePassive("d.stream").getQueue()).isEqualTo("d.stream");
            AmqpItAssertions.assertClosedWith(404, () -> ch.queueDeclarePassive("d.transient"));
        }
    }
}
