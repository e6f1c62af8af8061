package io.sluice.it.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.Return;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Publishing: properties round trip, large bodies, mandatory returns, publisher confirms, transactions. */
@Tag("it")
class AmqpPublishTest {

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

    @Test
    void propertiesAndHeadersRoundTrip() throws Exception {
        String q = ch.queueDeclare().getQueue();
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                .contentType("application/json").contentEncoding("utf-8").deliveryMode(2).priority(3)
                .correlationId("corr").replyTo("reply").messageId("id-1").timestamp(new Date(1_700_000_000_000L))
                .type("order").userId("guest").appId("app")
                .headers(Map.of("s", "text", "i", 42, "l", 7L, "b", true, "nested", Map.of("k", "v"),
                        "list", List.of(1, "two")))
                .build();
        ch.basicPublish("", q, props, "{}".getBytes());
        GetResponse r = ch.basicGet(q, true);
        AMQP.BasicProperties got = r.getProps();
        assertThat(got.getContentType()).isEqualTo("application/json");
        assertThat(got.getContentEncoding()).isEqualTo("utf-8");
        assertThat(got.getDeliveryMode()).isEqualTo(2);
        assertThat(got.getPriority()).isEqualTo(3);
        assertThat(got.getCorrelationId()).isEqualTo("corr");
        assertThat(got.getReplyTo()).isEqualTo("reply");
        assertThat(got.getMessageId()).isEqualTo("id-1");
        assertThat(got.getTimestamp()).isEqualTo(new Date(1_700_000_000_000L));
        assertThat(got.getType()).isEqualTo("order");
        assertThat(got.getUserId()).isEqualTo("guest");
        assertThat(got.getAppId()).isEqualTo("app");
        assertThat(got.getHeaders().get("s").toString()).isEqualTo("text");
        assertThat(got.getHeaders()).containsEntry("i", 42).containsEntry("l", 7L).containsEntry("b", true);
        assertThat(r.getEnvelope().getExchange()).isEmpty();
        assertThat(r.getEnvelope().getRoutingKey()).isEqualTo(q);
    }

    @Test
    void largeBodySpansManyFrames() throws Exception {
        String q = ch.queueDeclare().getQueue();
        byte[] body = new byte[1_000_000];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 31);
        }
        ch.basicPublish("", q, null, body);
        assertThat(ch.basicGet(q, true).getBody()).isEqualTo(body);
    }

    @Test
    void emptyBody() throws Exception {
        String q = ch.queueDeclare().getQueue();
        ch.basicPublish("", q, null, new byte[0]);
        assertThat(ch.basicGet(q, true).getBody()).isEmpty();
    }

    @Test
    void wrongUserIdIsRefused() throws Exception {
        String q = ch.queueDeclare().getQueue();
        ch.basicPublish("", q, new AMQP.BasicProperties.Builder().userId("mallory").build(), new byte[0]);
        AmqpItAssertions.assertClosedWith(406, () -> ch.queueDeclarePassive(q));
    }

    @Test
    void mandatoryUnroutableMessageIsReturnedThenConfirmed() throws Exception {
        List<Return> returns = new CopyOnWriteArrayList<>();
        ch.addReturnListener(returns::add);
        ch.confirmSelect();
        ch.exchangeDeclare("p.nowhere", "direct");
        ch.basicPublish("p.nowhere", "no-binding", true, null, "bounced".getBytes());
        assertThat(ch.waitForConfirms(5000)).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> returns.size() == 1);
        Return r = returns.getFirst();
        assertThat(r.getReplyCode()).isEqualTo(312);
        assertThat(r.getReplyText()).isEqualTo("NO_ROUTE");
        assertThat(r.getExchange()).isEqualTo("p.nowhere");
        assertThat(new String(r.getBody())).isEqualTo("bounced");
        ch.basicPublish("p.nowhere", "no-binding", false, null, "dropped".getBytes());
        assertThat(ch.waitForConfirms(5000)).isTrue();
        assertThat(returns).hasSize(1);
    }

    @Test
    void confirmsAckEveryPublish() throws Exception {
        String q = ch.queueDeclare().getQueue();
        ch.confirmSelect();
        ConcurrentSkipListSet<Long> acked = new ConcurrentSkipListSet<>();
        ch.addConfirmListener((tag, multiple) -> {
            if (multiple) {
                for (long t = 1; t <= tag; t++) {
                    acked.add(t);
                }
            } else {
                acked.add(tag);
            }
        }, (tag, multiple) -> { });
        for (int i = 0; i < 200; i++) {
            ch.basicPublish("", q, null, ("m" + i).getBytes());
        }
        ch.waitForConfirmsOrDie(10_000);
        assertThat(acked).hasSize(200);
        assertThat(ch.queueDeclarePassive(q).getMessageCount()).isEqualTo(200);
    }

    @Test
    void transactionsCommitAndRollBack() throws Exception {
        String q = ch.queueDeclare().getQueue();
        ch.txSelect();
        ch.basicPublish("", q, null, "rolled-back".getBytes());
        ch.txRollback();
        ch.basicPublish("", q, null, "committed".getBytes());
        Channel observer = connection.createChannel();
        assertThat(observer.queueDeclarePassive(q).getMessageCount()).isZero();
        ch.txCommit();
        assertThat(observer.queueDeclarePassive(q).getMessageCount()).isEqualTo(1);
        GetResponse r = ch.basicGet(q, false);
        assertThat(new String(r.getBody(), StandardCharsets.UTF_8)).isEqualTo("committed");
        ch.basicAck(r.getEnvelope().getDeliveryTag(), false);
        ch.txRollback();
        assertThat(observer.queueDeclarePassive(q).getMessageCount()).isZero();
        ch.txCommit();
        AmqpItAssertions.assertClosedWith(406, ch::confirmSelect);
    }

    @Test
    void manyPublishersInterleaveWithoutLoss() throws Exception {
        String q = ch.queueDeclare().getQueue();
        List<Channel> publishers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Channel p = connection.createChannel();
            p.confirmSelect();
            publishers.add(p);
        }
        for (int n = 0; n < 50; n++) {
            for (Channel p : publishers) {
                p.basicPublish("", q, null, new byte[]{(byte) n});
            }
        }
        for (Channel p : publishers) {
            p.waitForConfirmsOrDie(10_000);
        }
        assertThat(ch.queueDeclarePassive(q).getMessageCount()).isEqualTo(200);
    }
}
