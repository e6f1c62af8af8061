package io.sluice.protocol.nats.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NatsClientDecoderTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(new NatsServerEncoder(), new NatsClientDecoder(64, 100));

    private List<Object> feed(String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
        List<Object> ops = new ArrayList<>();
        Object o;
        while ((o = channel.readInbound()) != null) {
            ops.add(o);
        }
        return ops;
    }

    private String outbound() {
        StringBuilder sb = new StringBuilder();
        ByteBuf b;
        while ((b = channel.readOutbound()) != null) {
            sb.append(b.toString(StandardCharsets.UTF_8));
            b.release();
        }
        return sb.toString();
    }

    @Test
    void decodesEveryOperation() {
        List<Object> ops = feed("CONNECT {\"verbose\":true}\r\nPUB a.b 5\r\nhello\r\nPUB a.b _INBOX.1 0\r\n\r\n"
                + "HPUB h r 12 14\r\nNATS/1.0\r\n\r\nhi\r\nSUB foo.* 1\r\nSUB foo.> grp 2\r\nUNSUB 1\r\nUNSUB 2 10\r\nPING\r\nPONG\r\n");
        assertThat(ops).containsExactly(
                new NatsClientOp.Connect("{\"verbose\":true}"),
                new NatsClientOp.Pub("a.b", null, null, "hello".getBytes()),
                new NatsClientOp.Pub("a.b", "_INBOX.1", null, new byte[0]),
                new NatsClientOp.Pub("h", "r", "NATS/1.0\r\n\r\n".getBytes(), "hi".getBytes()),
                new NatsClientOp.Sub("foo.*", null, "1"),
                new NatsClientOp.Sub("foo.>", "grp", "2"),
                new NatsClientOp.Unsub("1", 0),
                new NatsClientOp.Unsub("2", 10),
                NatsClientOp.Ping.INSTANCE,
                NatsClientOp.Pong.INSTANCE);
        assertThat(channel.isOpen()).isTrue();
        assertThat(outbound()).isEmpty();
    }

    @Test
    void opNamesAreCaseInsensitiveAndFieldsMaySeparateByTabsAndRuns() {
        List<Object> ops = feed("pub\t a  3\r\nabc\r\nSuB \tx\t\tq  7\r\nping\r\nPoNg\n");
        assertThat(ops).containsExactly(
                new NatsClientOp.Pub("a", null, null, "abc".getBytes()),
                new NatsClientOp.Sub("x", "q", "7"),
                NatsClientOp.Ping.INSTANCE,
                NatsClientOp.Pong.INSTANCE);
    }

    @Test
    void payloadMayContainLineEnds() {
        assertThat(feed("PUB s 4\r\n\r\n\r\n\r\n")).containsExactly(new NatsClientOp.Pub("s", null, null, "\r\n\r\n".getBytes()));
    }

    @Test
    void unknownOperationIsRejectedBeforeItsLineEnds() {
        List<Object> ops = feed("PING\r\nJUNK");
        assertThat(ops).containsExactly(NatsClientOp.Ping.INSTANCE);
        assertThat(outbound()).isEqualTo("-ERR 'Unknown Protocol Operation'\r\n");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void knownPrefixWaitsForMoreBytes() {
        assertThat(feed("UNS")).isEmpty();
        assertThat(channel.isOpen()).isTrue();
        assertThat(feed("UB 5\r\n")).containsExactly(new NatsClientOp.Unsub("5", 0));
    }

    @Test
    void emptyLineIsAnUnknownOperation() {
        feed("\r\n");
        assertThat(outbound()).isEqualTo("-ERR 'Unknown Protocol Operation'\r\n");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void controlLineWithoutLineEndOverTheLimitIsRejected() {
        feed("SUB " + "a".repeat(70));
        assertThat(outbound()).isEqualTo("-ERR 'Maximum Control Line Exceeded'\r\n");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void controlLineOfExactlyTheLimitIsAccepted() {
        String subject = "a".repeat(64 - "SUB  1".length());
        assertThat(feed("SUB " + subject + " 1\r\n")).containsExactly(new NatsClientOp.Sub(subject, null, "1"));
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void connectLineMayExceedTheControlLineLimit() {
        String json = "{\"auth_token\":\"" + "t".repeat(60) + "\"}";
        assertThat(feed("CONNECT " + json + "\r\n")).containsExactly(new NatsClientOp.Connect(json));
    }

    @Test
    void payloadOverTheLimitIsRejectedBeforeTheBody() {
        feed("PUB a 101\r\n");
        assertThat(outbound()).isEqualTo("-ERR 'Maximum Payload Violation'\r\n");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void headerPayloadTotalCountsAgainstTheLimit() {
        feed("HPUB a 12 101\r\n");
        assertThat(outbound()).isEqualTo("-ERR 'Maximum Payload Violation'\r\n");
    }

    @Test
    void bodyNotFollowedByLineEndIsRejected() {
        feed("PUB a 2\r\nabc\r\n");
        assertThat(outbound()).isEqualTo("-ERR 'Unknown Protocol Operation'\r\n");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void malformedArgumentsAreParserErrors() {
        feed("PUB a b c d\r\n");
        assertThat(outbound()).isEqualTo("-ERR 'Parser Error'\r\n");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void headerSizeLargerThanTotalIsAParserError() {
        feed("HPUB a 5 3\r\n");
        assertThat(outbound()).isEqualTo("-ERR 'Parser Error'\r\n");
    }

    @Test
    void inputAfterAViolationIsDiscarded() {
        assertThat(feed("XX\r\nPING\r\n")).isEmpty();
        assertThat(outbound()).isEqualTo("-ERR 'Unknown Protocol Operation'\r\n");
    }
}
