package io.sluice.it.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Exchanges and routing: direct, fanout, topic, headers, the default exchange, e2e bindings, alternate exchanges. */
@Tag("it")
class AmqpRoutingTest {

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

    private String queue() throws Exception {
        return ch.queueDeclare().getQueue();
    }

    private List<String> drain(String queue) throws Exception {
        List<String> out = new ArrayList<>();
        GetResponse r;
        while ((r = ch.basicGet(queue, true)) != null) {
            out.add(new String(r.getBody(), StandardCharsets.UTF_8));
        }
        return out;
    }

    private void publish(String exchange, String key, String body) throws Exception {
        ch.basicPublish(exchange, key, null, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void defaultExchangeRoutesByQueueName() throws Exception {
        String q = queue();
        publish("", q, "hello");
        publish("", "no-such-queue", "lost");
        assertThat(drain(q)).containsExactly("hello");
        AmqpItAssertions.assertClosedWith(403, () -> ch.queueBind(q, "", q));
    }

    @Test
    void directExchange() throws Exception {
        ch.exchangeDeclare("r.direct", "direct");
        String a = queue();
        String b = queue();
        ch.queueBind(a, "r.direct", "red");
        ch.queueBind(b, "r.direct", "green");
        ch.queueBind(b, "r.direct", "red");
        publish("r.direct", "red", "1");
        publish("r.direct", "green", "2");
        publish("r.direct", "blue", "3");
        assertThat(drain(a)).containsExactly("1");
        assertThat(drain(b)).containsExactly("1", "2");
        ch.queueUnbind(b, "r.direct", "red");
        publish("r.direct", "red", "4");
        assertThat(drain(b)).isEmpty();
    }

    @Test
    void fanoutExchange() throws Exception {
        ch.exchangeDeclare("r.fanout", "fanout");
        String a = queue();
        String b = queue();
        ch.queueBind(a, "r.fanout", "");
        ch.queueBind(b, "r.fanout", "ignored");
        publish("r.fanout", "anything", "x");
        assertThat(drain(a)).containsExactly("x");
        assertThat(drain(b)).containsExactly("x");
    }

    @Test
    void topicExchange() throws Exception {
        ch.exchangeDeclare("r.topic", "topic");
        String star = queue();
        String hash = queue();
        String exact = queue();
        ch.queueBind(star, "r.topic", "stock.*.nyse");
        ch.queueBind(hash, "r.topic", "stock.#");
        ch.queueBind(exact, "r.topic", "stock.ibm.nyse");
        publish("r.topic", "stock.ibm.nyse", "a");
        publish("r.topic", "stock.nyse", "b");
        publish("r.topic", "stock.ibm.x.nyse", "c");
        publish("r.topic", "bond.ibm.nyse", "d");
        assertThat(drain(star)).containsExactly("a");
        assertThat(drain(hash)).containsExactly("a", "b", "c");
        assertThat(drain(exact)).containsExactly("a");
    }

    @Test
    void headersExchange() throws Exception {
        ch.exchangeDeclare("r.headers", "headers");
        String all = queue();
        String any = queue();
        ch.queueBind(all, "r.headers", "", Map.of("x-match", "all", "format", "pdf", "type", "report"));
        ch.queueBind(any, "r.headers", "", Map.of("x-match", "any", "format", "pdf", "type", "log"));
        ch.basicPublish("r.headers", "", new AMQP.BasicProperties.Builder()
                .headers(Map.of("format", "pdf", "type", "report")).build(), "1".getBytes());
        ch.basicPublish("r.headers", "", new AMQP.BasicProperties.Builder()
                .headers(Map.of("format", "zip", "type", "log")).build(), "2".getBytes());
        ch.basicPublish("r.headers", "", new AMQP.BasicProperties.Builder()
                .headers(Map.of("format", "zip")).build(), "3".getBytes());
        assertThat(drain(all)).containsExactly("1");
        assertThat(drain(any)).containsExactly("1", "2");
    }

    @Test
    void exchangeToExchangeBindings() throws Exception {
        ch.exchangeDeclare("r.e2e.src", "topic");
        ch.exchangeDeclare("r.e2e.dst", "direct");
        ch.exchangeBind("r.e2e.dst", "r.e2e.src", "orders.#");
        String q = queue();
        ch.queueBind(q, "r.e2e.dst", "orders.eu");
        publish("r.e2e.src", "orders.eu", "routed");
        publish("r.e2e.src", "orders.us", "not-bound-downstream");
        publish("r.e2e.src", "invoices.eu", "not-bound-upstream");
        assertThat(drain(q)).containsExactly("routed");
        ch.exchangeUnbind("r.e2e.dst", "r.e2e.src", "orders.#");
        publish("r.e2e.src", "orders.eu", "after-unbind");
        assertThat(drain(q)).isEmpty();
    }

    @Test
    void alternateExchangeGetsUnroutedMessages() throws Exception {
        ch.exchangeDeclare("r.ae", "fanout");
        String unrouted = queue();
        ch.queueBind(unrouted, "r.ae", "");
        ch.exchangeDeclare("r.main", "direct", false, false, Map.of("alternate-exchange", "r.ae"));
        String q = queue();
        ch.queueBind(q, "r.main", "known");
        publish("r.main", "known", "k");
        publish("r.main", "unknown", "u");
        assertThat(drain(q)).containsExactly("k");
        assertThat(drain(unrouted)).containsExactly("u");
    }

    @Test
    void internalExchangeRefusesPublishes() throws Exception {
        ch.exchangeDeclare("r.internal", "fanout", false, false, true, null);
        publish("r.internal", "", "x");
        AmqpItAssertions.assertClosedWith(403, () -> ch.queueDeclare());
    }

    @Test
    void exchangeDeleteIfUnused() throws Exception {
        ch.exchangeDeclare("r.used", "direct");
        String q = queue();
        ch.queueBind(q, "r.used", "k");
        AmqpItAssertions.assertClosedWith(406, () -> ch.exchangeDelete("r.used", true));
        Channel again = connection.createChannel();
        again.queueUnbind(q, "r.used", "k");
        again.exchangeDelete("r.used", true);
        AmqpItAssertions.assertClosedWith(404, () -> again.exchangeDeclarePassive("r.used"));
    }
}
