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

    @Test
    void xDeathIsRenderedAsRabbitMqWritesIt() {
        Message m = AmqpMessages.toMessage("orders", AmqpBasicProperties.EMPTY.withExpiration("5000"), new byte[0]);
        // what the core's dead-lettering appends (see its DeadLetters): JSON history plus first/last summaries
        String json = "[{\"count\":2,\"reason\":\"rejected\",\"queue\":\"work\",\"time\":1700000000,"
                + "\"exchange\":\"ex\",\"routing-keys\":[\"orders\"],\"original-expiration\":\"5000\"},"
                + "{\"count\":1,\"reason\":\"expired\",\"queue\":\"retry\",\"time\":1699999999,"
                + "\"exchange\":\"\",\"routing-keys\":[\"orders\"]}]";
        List<Header> hs = new ArrayList<>(m.headers());
        hs.add(new Header("x-death", json.getBytes(StandardCharsets.UTF_8)));
        hs.add(new Header("x-first-death-reason", "rejected".getBytes()));
        hs.add(new Header("x-last-death-queue", "work".getBytes()));
        Message dead = new Message(m.subject(), null, m.value(), hs, 0, -1, -1);

        AmqpBasicProperties p = AmqpDeadLetters.withDeathHeaders(AmqpMessages.properties(dead), dead);
        assertThat(p.expiration()).as("a dead letter loses its per-message TTL").isNull();
        List<AmqpValue> deaths = ((AmqpValue.Array) p.headers().get("x-death")).values();
        assertThat(deaths).hasSize(2);
        AmqpTable latest = ((AmqpValue.Table) deaths.getFirst()).table();
        assertThat(latest.get("count")).isEqualTo(new AmqpValue.Int64(2));
        assertThat(latest.getString("reason")).isEqualTo("rejected");
        assertThat(latest.getString("queue")).isEqualTo("work");
        assertThat(latest.get("time")).isEqualTo(new AmqpValue.Timestamp(1_700_000_000L));
        assertThat(latest.getString("exchange")).isEqualTo("ex");
        assertThat(latest.get("routing-keys")).isEqualTo(new AmqpValue.Array(List.of(AmqpValue.LongString.of("orders"))));
        assertThat(latest.getString("original-expiration")).isEqualTo("5000");
        assertThat(p.headers().getString("x-first-death-reason")).isEqualTo("rejected");
        assertThat(p.headers().getString("x-last-death-queue")).isEqualTo("work");
    }

    @Test
    void messagesThatNeverDiedAreUntouched() {
        AmqpBasicProperties props = AmqpBasicProperties.EMPTY;
        Message m = AmqpMessages.toMessage("rk", props, new byte[0]);
        assertThat(AmqpDeadLetters.withDeathHeaders(props, m)).isSameAs(props);
    }

    @Test
    void malformedHistoryIsIgnored() {
        Message m = Message.of("rk", new byte[0], List.of(new Header("x-death", "not json".getBytes())));
        AmqpBasicProperties props = AmqpMessages.properties(m);
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
