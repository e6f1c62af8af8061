package io.sluice.protocol.amqp.session;

import io.sluice.core.Message;
import io.sluice.core.queue.Overflow;
import io.sluice.core.queue.QueueArguments;
import io.sluice.protocol.amqp.codec.AmqpBasicProperties;
import io.sluice.protocol.amqp.codec.AmqpProtocolException;
import io.sluice.protocol.amqp.codec.AmqpReplyCode;
import io.sluice.protocol.amqp.codec.AmqpTable;
import io.sluice.protocol.amqp.codec.AmqpValue;
import io.sluice.storage.record.Header;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The session's pure mappings: queue arguments, stored message form, x-death, SASL, stream offsets. */
class AmqpSessionMappingTest {

    @Test
    void queueArgumentsAcceptEveryIntegerType() {
        QueueArguments a = AmqpQueueArguments.parse(AmqpTable.builder()
                .put("x-message-ttl", new AmqpValue.Int16((short) 500))
                .put("x-expires", new AmqpValue.Int32(60_000))
                .put("x-max-length", new AmqpValue.Int64(10))
                .put("x-max-length-bytes", new AmqpValue.UInt32(1_000_000))
                .put("x-overflow", "reject-publish-dlx")
                .put("x-max-priority", new AmqpValue.Int8((byte) 5))
                .put("x-dead-letter-exchange", "dlx")
                .put("x-dead-letter-routing-key", "dead")
                .put("x-delivery-limit", new AmqpValue.Int32(3))
                .put("x-single-active-consumer", true)
                .put("x-queue-type", "stream")
                .put("x-unknown", "ignored")
                .build());
        assertThat(a).isEqualTo(new QueueArguments(500, 60_000, 10, 1_000_000, Overflow.REJECT_PUBLISH_DLX, 5, "dlx",
                "dead", 3, true, -1, true));
        assertThat(AmqpQueueArguments.parse(AmqpTable.EMPTY)).isEqualTo(QueueArguments.DEFAULT);
    }

    @Test
    void invalidQueueArgumentsArePreconditionFailures() {
        List<AmqpTable> bad = List.of(
                AmqpTable.builder().put("x-message-ttl", "soon").build(),
                AmqpTable.builder().put("x-message-ttl", -1L).build(),
                AmqpTable.builder().put("x-expires", 0L).build(),
                AmqpTable.builder().put("x-overflow", "explode").build(),
                AmqpTable.builder().put("x-max-priority", 256L).build(),
                AmqpTable.builder().put("x-dead-letter-routing-key", "k").build(),
                AmqpTable.builder().put("x-single-active-consumer", "yes").build(),
                AmqpTable.builder().put("x-queue-type", "magic").build());
        for (AmqpTable t : bad) {
            assertThatThrownBy(() -> AmqpQueueArguments.parse(t)).as(t.toString())
                    .isInstanceOfSatisfying(AmqpProtocolException.class,
                            e -> assertThat(e.replyCode()).isEqualTo(AmqpReplyCode.PRECONDITION_FAILED));
        }
    }

    @Test
    void messagesKeepEveryPropertyAndExposeStringHeaders() {
        AmqpTable headers = AmqpTable.builder().put("s", "text").put("n", new AmqpValue.Int32(4))
                .put("d", new AmqpValue.Decimal(2, 150)).build();
        AmqpBasicProperties props = new AmqpBasicProperties("text/plain", "gzip", headers, 2, 7, "c", "r", "1500",
                "m", 1_700_000_000L, "t", "guest", "app", "cluster");
        Message m = AmqpMessages.toMessage("rk", props, new byte[]{1});
        assertThat(m.subject()).isEqualTo("rk");
        assertThat(m.priority()).isEqualTo(7);
        assertThat(m.expirationMs()).isEqualTo(1500);
        assertThat(m.header("s")).isEqualTo("text".getBytes(StandardCharsets.UTF_8));
        assertThat(m.header("n")).isNull();
        assertThat(AmqpMessages.properties(m)).isEqualTo(props);
    }

    @Test
    void messagesFromOtherProtocolsGetTheirHeadersAsLongStrings() {
        Message m = new Message("subj", null, new byte[0], List.of(new Header("k", "v".getBytes())), 5000, 3, -1);
        AmqpBasicProperties props = AmqpMessages.properties(m);
        assertThat(props.headers().get("k")).isEqualTo(AmqpValue.LongString.of("v"));
        assertThat(props.priority()).isEqualTo(3);
        assertThat(props.timestamp()).isEqualTo(5);
    }

    @Test
    void invalidExpirationIsRefused() {
        AmqpBasicProperties props = AmqpBasicProperties.EMPTY.withExpiration("later");
        assertThatThrownBy(() -> AmqpMessages.toMessage("rk", props, new byte[0]))
                .isInstanceOfSatisfying(AmqpProtocolException.class,
                        e -> assertThat(e.replyCode()).isEqualTo(AmqpReplyCode.PRECONDITION_FAILED));
    }

    private static Message deadLettered(Message m, String reason, String queue, long timeMs) {
        List<Header> hs = new ArrayList<>(m.headers());
        hs.add(new Header(AmqpDeadLetters.REASON, reason.getBytes()));
        hs.add(new Header(AmqpDeadLetters.QUEUE, queue.getBytes()));
        hs.add(new Header(AmqpDeadLetters.TIME, Long.toString(timeMs).getBytes()));
        return m.withHeaders(hs);
    }

    @Test
    void xDeathIsWrittenAsRabbitMqDoes() {
        Message m = AmqpMessages.toMessage("orders", AmqpBasicProperties.EMPTY, new byte[0]);
        List<Header> hs = new ArrayList<>(m.headers());
        hs.add(new Header(AmqpChannelSession.EXCHANGE_HEADER, "ex".getBytes()));
        m = m.withHeaders(hs);
        Message once = deadLettered(m, "rejected", "work", 1_700_000_000_000L);
        AmqpBasicProperties p = AmqpDeadLetters.withDeathHeaders(AmqpMessages.properties(once), once);
        AmqpValue.Array deaths = (AmqpValue.Array) p.headers().get("x-death");
        assertThat(deaths.values()).hasSize(1);
        AmqpTable death = ((AmqpValue.Table) deaths.values().getFirst()).table();
        assertThat(death.getString("reason")).isEqualTo("rejected");
        assertThat(death.getString("queue")).isEqualTo("work");
        assertThat(death.getLong("count")).isEqualTo(1);
        assertThat(death.get("time")).isEqualTo(new AmqpValue.Timestamp(1_700_000_000L));
        assertThat(death.getString("exchange")).isEqualTo("ex");
        assertThat(death.get("routing-keys")).isEqualTo(new AmqpValue.Array(List.of(AmqpValue.LongString.of("orders"))));
        assertThat(p.headers().getString("x-first-death-reason")).isEqualTo("rejected");
        assertThat(p.headers().containsKey(AmqpDeadLetters.REASON)).isFalse();

        Message twice = deadLettered(deadLettered(once, "expired", "retry", 1_700_000_001_000L), "rejected", "work",
                1_700_000_002_000L);
        AmqpBasicProperties p2 = AmqpDeadLetters.withDeathHeaders(AmqpMessages.properties(twice), twice);
        List<AmqpValue> all = ((AmqpValue.Array) p2.headers().get("x-death")).values();
        assertThat(all).hasSize(2);
        AmqpTable latest = ((AmqpValue.Table) all.getFirst()).table();
        assertThat(latest.getString("queue")).isEqualTo("work");
        assertThat(latest.getLong("count")).isEqualTo(2);
        assertThat(p2.headers().getString("x-last-death-queue")).isEqualTo("work");
        assertThat(p2.headers().getString("x-first-death-queue")).isEqualTo("work");
    }

    @Test
    void messagesThatNeverDiedAreUntouched() {
        AmqpBasicProperties props = AmqpBasicProperties.EMPTY;
        Message m = AmqpMessages.toMessage("rk", props, new byte[0]);
        assertThat(AmqpDeadLetters.withDeathHeaders(props, m)).isSameAs(props);
    }

    @Test
    void plainAndAmqplainAuthentication() throws Exception {
        AmqpAuthenticator auth = new AmqpAuthenticator(AmqpSessionConfig.from(new io.sluice.transport.ProtocolSettings(
                Map.of("users", "guest:guest,alice:s3cret"))));
        InetAddress loopback = InetAddress.getLoopbackAddress();
        InetAddress remote = InetAddress.getByAddress(new byte[]{10, 0, 0, 1});
        assertThat(auth.authenticate("PLAIN", "\0alice\0s3cret".getBytes(), remote)).isEqualTo("alice");
        assertThat(auth.authenticate("PLAIN", "\0alice\0wrong".getBytes(), remote)).isNull();
        assertThat(auth.authenticate("PLAIN", "garbage".getBytes(), remote)).isNull();
        assertThat(auth.authenticate("PLAIN", "\0guest\0guest".getBytes(), loopback)).isEqualTo("guest");
        assertThat(auth.authenticate("PLAIN", "\0guest\0guest".getBytes(), remote)).as("guest is loopback-only")
                .isNull();
        io.netty.buffer.ByteBuf t = io.netty.buffer.Unpooled.buffer();
        io.sluice.protocol.amqp.codec.AmqpWire.writeTable(t,
                AmqpTable.builder().put("LOGIN", "alice").put("PASSWORD", "s3cret").build());
        byte[] response = io.netty.buffer.ByteBufUtil.getBytes(t, 4, t.readableBytes() - 4);
        assertThat(auth.authenticate("AMQPLAIN", response, remote)).isEqualTo("alice");
        assertThat(auth.authenticate("AMQPLAIN", new byte[]{1, 2, 3}, remote)).isNull();
    }

    @Test
    void streamOffsetSpecifications() {
        assertThat(AmqpStreamConsumer.StartOffset.parse(null)).isInstanceOf(AmqpStreamConsumer.StartOffset.Next.class);
        assertThat(AmqpStreamConsumer.StartOffset.parse(AmqpValue.LongString.of("first")))
                .isInstanceOf(AmqpStreamConsumer.StartOffset.First.class);
        assertThat(AmqpStreamConsumer.StartOffset.parse(AmqpValue.LongString.of("last")))
                .isInstanceOf(AmqpStreamConsumer.StartOffset.Last.class);
        assertThat(AmqpStreamConsumer.StartOffset.parse(new AmqpValue.Int64(42)))
                .isEqualTo(new AmqpStreamConsumer.StartOffset.Offset(42));
        assertThat(AmqpStreamConsumer.StartOffset.parse(new AmqpValue.Timestamp(10)))
                .isEqualTo(new AmqpStreamConsumer.StartOffset.Timestamp(10_000));
        assertThat(AmqpStreamConsumer.StartOffset.parse(AmqpValue.LongString.of("1h")))
                .isInstanceOf(AmqpStreamConsumer.StartOffset.Timestamp.class);
        assertThat(AmqpStreamConsumer.StartOffset.parse(AmqpValue.LongString.of("sometime"))).isNull();
        assertThat(AmqpStreamConsumer.StartOffset.parse(new AmqpValue.Int64(-1))).isNull();
    }
}
