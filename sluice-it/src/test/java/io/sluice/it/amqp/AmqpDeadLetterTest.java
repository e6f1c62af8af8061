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

import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Dead-lettering (reject, expiry, length limit, delivery limit) and the x-death header as RabbitMQ writes it. */
@Tag("it")
class AmqpDeadLetterTest {

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

    private String deadLetterQueue(String dlx) throws Exception {
        ch.exchangeDeclare(dlx, "fanout");
        String dlq = ch.queueDeclare().getQueue();
        ch.queueBind(dlq, dlx, "");
        return dlq;
    }

    private GetResponse awaitOne(String queue) {
        AtomicReference<GetResponse> got = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            got.set(ch.basicGet(queue, true));
            return got.get() != null;
        });
        return got.get();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> firstDeath(GetResponse r) {
        List<Map<String, Object>> deaths = (List<Map<String, Object>>) r.getProps().getHeaders().get("x-death");
        assertThat(deaths).isNotEmpty();
        return deaths.getFirst();
    }

    @Test
    void rejectedMessageIsDeadLetteredWithXDeath() throws Exception {
        String dlq = deadLetterQueue("dl.rejected");
        String q = ch.queueDeclare("dl.work", false, false, true,
                Map.of("x-dead-letter-exchange", "dl.rejected")).getQueue();
        ch.basicPublish("", q, new AMQP.BasicProperties.Builder().headers(Map.of("app", "kept")).build(),
                "bad".getBytes());
        GetResponse g = ch.basicGet(q, false);
        ch.basicReject(g.getEnvelope().getDeliveryTag(), false);
        GetResponse dead = awaitOne(dlq);
        assertThat(new String(dead.getBody())).isEqualTo("bad");
        assertThat(dead.getProps().getHeaders().get("app").toString()).isEqualTo("kept");
        Map<String, Object> death = firstDeath(dead);
        assertThat(death.get("reason").toString()).isEqualTo("rejected");
        assertThat(death.get("queue").toString()).isEqualTo(q);
        assertThat(death.get("count")).isEqualTo(1L);
        assertThat(death.get("exchange").toString()).isEmpty();
        assertThat(((List<?>) death.get("routing-keys"))).extracting(Object::toString).containsExactly(q);
        assertThat(death.get("time")).isInstanceOf(Date.class);
        assertThat(dead.getProps().getHeaders().get("x-first-death-reason").toString()).isEqualTo("rejected");
        assertThat(dead.getProps().getHeaders().get("x-first-death-queue").toString()).isEqualTo(q);
    }

    @Test
    void expiredMessageIsDeadLetteredWithReasonExpired() throws Exception {
        String dlq = deadLetterQueue("dl.expired");
        String q = ch.queueDeclare("dl.ttl", false, false, true,
                Map.of("x-dead-letter-exchange", "dl.expired", "x-message-ttl", 100)).getQueue();
        ch.basicPublish("", q, null, "late".getBytes());
        GetResponse dead = awaitOne(dlq);
        assertThat(firstDeath(dead).get("reason").toString()).isEqualTo("expired");
    }

    @Test
    void overflowDropHeadDeadLettersWithReasonMaxlen() throws Exception {
        String dlq = deadLetterQueue("dl.maxlen");
        String q = ch.queueDeclare("dl.short", false, false, true,
                Map.of("x-dead-letter-exchange", "dl.maxlen", "x-max-length", 1)).getQueue();
        ch.basicPublish("", q, null, "first".getBytes());
        ch.basicPublish("", q, null, "second".getBytes());
        GetResponse dead = awaitOne(dlq);
        assertThat(new String(dead.getBody())).isEqualTo("first");
        assertThat(firstDeath(dead).get("reason").toString()).isEqualTo("maxlen");
    }

    @Test
    void deadLetterRoutingKeyReplacesTheRoutingKey() throws Exception {
        ch.exchangeDeclare("dl.direct", "direct");
        String dlq = ch.queueDeclare().getQueue();
        ch.queueBind(dlq, "dl.direct", "parked");
        String q = ch.queueDeclare("dl.rk", false, false, true, Map.of("x-dead-letter-exchange", "dl.direct",
                "x-dead-letter-routing-key", "parked")).getQueue();
        ch.basicPublish("", q, null, "m".getBytes());
        GetResponse g = ch.basicGet(q, false);
        ch.basicNack(g.getEnvelope().getDeliveryTag(), false, false);
        GetResponse dead = awaitOne(dlq);
        assertThat(dead.getEnvelope().getRoutingKey()).isEqualTo("parked");
        assertThat(dead.getEnvelope().getExchange()).isEqualTo("dl.direct");
        Map<String, Object> death = firstDeath(dead);
        assertThat(death.get("exchange").toString()).isEmpty();
        assertThat(((List<?>) death.get("routing-keys"))).extracting(Object::toString).containsExactly(q);
    }

    @Test
    void repeatedDeathsCountUp() throws Exception {
        // work -> (reject) -> retry exchange -> retry queue (ttl) -> (expire) -> back to work
        ch.exchangeDeclare("dl.retry", "fanout");
        ch.exchangeDeclare("dl.back", "fanout");
        String work = ch.queueDeclare("dl.cycle.work", false, false, true,
                Map.of("x-dead-letter-exchange", "dl.retry")).getQueue();
        String retry = ch.queueDeclare("dl.cycle.retry", false, false, true,
                Map.of("x-dead-letter-exchange", "dl.back", "x-message-ttl", 50)).getQueue();
        ch.queueBind(retry, "dl.retry", "");
        ch.queueBind(work, "dl.back", "");
        ch.basicPublish("", work, null, "cycled".getBytes());
        for (int round = 1; round <= 2; round++) {
            AtomicReference<GetResponse> g = new AtomicReference<>();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                g.set(ch.basicGet(work, false));
                return g.get() != null;
            });
            if (round == 2) {
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> deaths = (List<Map<String, Object>>) g.get().getProps().getHeaders()
                        .get("x-death");
                assertThat(deaths).hasSize(2);
                Map<String, Object> rejected = deaths.stream()
                        .filter(d -> d.get("reason").toString().equals("rejected")).findFirst().orElseThrow();
                assertThat(rejected.get("count")).isEqualTo(1L);
            }
            ch.basicReject(g.get().getEnvelope().getDeliveryTag(), false);
        }
        GetResponse third = awaitOne(work);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> deaths = (List<Map<String, Object>>) third.getProps().getHeaders().get("x-death");
        assertThat(deaths).allSatisfy(d -> assertThat(d.get("count")).isEqualTo(2L));
    }

    @Test
    void anExpiryCycleIsBrokenAsRabbitMqBreaksIt() throws Exception {
        // a -(expired)-> b -(expired)-> {a, witness}: back into a with no rejection on the way is a cycle, so a does
        // not get it again; the witness, outside the cycle, does
        ch.exchangeDeclare("dl.to-b", "fanout");
        ch.exchangeDeclare("dl.from-b", "fanout");
        String a = ch.queueDeclare("dl.loop.a", false, false, true,
                Map.of("x-dead-letter-exchange", "dl.to-b", "x-message-ttl", 20)).getQueue();
        String b = ch.queueDeclare("dl.loop.b", false, false, true,
                Map.of("x-dead-letter-exchange", "dl.from-b", "x-message-ttl", 20)).getQueue();
        String witness = ch.queueDeclare("dl.loop.witness", false, false, true, null).getQueue();
        ch.queueBind(b, "dl.to-b", "");
        ch.queueBind(a, "dl.from-b", "");
        ch.queueBind(witness, "dl.from-b", "");
        ch.basicPublish("", a, null, "looping".getBytes());
        GetResponse seen = awaitOne(witness);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> deaths = (List<Map<String, Object>>) seen.getProps().getHeaders().get("x-death");
        assertThat(deaths).extracting(d -> d.get("queue").toString()).containsExactly(b, a);
        assertThat(deaths).allSatisfy(d -> assertThat(d.get("count")).isEqualTo(1L));
        // without the rule the message would expire round the loop for ever and reach the witness again and again
        await().atMost(Duration.ofSeconds(10)).until(() -> ch.queueDeclarePassive(a).getMessageCount() == 0
                && ch.queueDeclarePassive(b).getMessageCount() == 0);
        Thread.sleep(300); // many TTLs: a message still looping would have come round again by now
        assertThat(ch.queueDeclarePassive(witness).getMessageCount()).isZero();
        assertThat(ch.queueDeclarePassive(a).getMessageCount() + ch.queueDeclarePassive(b).getMessageCount())
                .isZero();
    }

    @Test
    void deliveryLimitDeadLettersAfterTooManyDeliveries() throws Exception {
        String dlq = deadLetterQueue("dl.limit");
        String q = ch.queueDeclare("dl.limited", false, false, true,
                Map.of("x-dead-letter-exchange", "dl.limit", "x-delivery-limit", 1)).getQueue();
        ch.basicPublish("", q, null, "poison".getBytes());
        for (int i = 0; i < 2; i++) {
            GetResponse g = ch.basicGet(q, false);
            if (g == null) {
                break;
            }
            ch.basicNack(g.getEnvelope().getDeliveryTag(), false, true);
        }
        GetResponse dead = awaitOne(dlq);
        assertThat(new String(dead.getBody())).isEqualTo("poison");
        assertThat(firstDeath(dead).get("reason").toString()).isEqualTo("delivery_limit");
    }
}
