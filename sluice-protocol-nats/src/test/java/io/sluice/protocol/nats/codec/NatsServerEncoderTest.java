package io.sluice.protocol.nats.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class NatsServerEncoderTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(new NatsServerEncoder());

    private String write(NatsServerOp op) {
        channel.writeOutbound(op);
        ByteBuf b = channel.readOutbound();
        try {
            return b.toString(StandardCharsets.UTF_8);
        } finally {
            b.release();
        }
    }

    @Test
    void encodesControlOperations() {
        assertThat(write(NatsServerOp.Ping.INSTANCE)).isEqualTo("PING\r\n");
        assertThat(write(NatsServerOp.Pong.INSTANCE)).isEqualTo("PONG\r\n");
        assertThat(write(NatsServerOp.Ok.INSTANCE)).isEqualTo("+OK\r\n");
        assertThat(write(NatsServerOp.Err.of(NatsError.SLOW_CONSUMER))).isEqualTo("-ERR 'Slow Consumer'\r\n");
        assertThat(write(new NatsServerOp.Info("{\"a\":1}"))).isEqualTo("INFO {\"a\":1}\r\n");
    }

    @Test
    void encodesMsgWithAndWithoutReply() {
        assertThat(write(new NatsServerOp.Msg("a.b", "7", null, null, "hello".getBytes())))
                .isEqualTo("MSG a.b 7 5\r\nhello\r\n");
        assertThat(write(new NatsServerOp.Msg("a.b", "7", "_INBOX.x", null, new byte[0])))
                .isEqualTo("MSG a.b 7 _INBOX.x 0\r\n\r\n");
    }

    @Test
    void encodesHmsgWithTotalSize() {
        byte[] headers = NatsHeaders.status(503, "").encode();
        assertThat(write(new NatsServerOp.Msg("r", "1", null, headers, new byte[0])))
                .isEqualTo("HMSG r 1 16 16\r\nNATS/1.0 503\r\n\r\n\r\n");
        assertThat(write(new NatsServerOp.Msg("s", "2", "rep", "NATS/1.0\r\n\r\n".getBytes(), "xy".getBytes())))
                .isEqualTo("HMSG s 2 rep 12 14\r\nNATS/1.0\r\n\r\nxy\r\n");
    }

    @Test
    void serverInfoIsJsonWithNatsFieldNames() {
        String json = new NatsServerInfo("id1", "sluice", "2.10.0", 1, "java", "127.0.0.1", 4222, true, null,
                1048576, true, 5, "127.0.0.1").toJson();
        assertThat(json).contains("\"server_id\":\"id1\"", "\"max_payload\":1048576", "\"headers\":true", "\"proto\":1",
                "\"jetstream\":true").doesNotContain("auth_required");
    }

    @Test
    void sizesAreWrittenAsDecimalDigits() {
        for (int v : new int[] {0, 7, 9, 10, 99, 100, 1024, 65_535, 1_048_576, Integer.MAX_VALUE}) {
            io.netty.buffer.ByteBuf out = io.netty.buffer.Unpooled.buffer(1); // too small: the digits must grow it
            out.writeByte('x');
            NatsServerEncoder.writeDecimal(out, v);
            assertThat(out.toString(java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("x" + v);
            out.release();
        }
    }
}
