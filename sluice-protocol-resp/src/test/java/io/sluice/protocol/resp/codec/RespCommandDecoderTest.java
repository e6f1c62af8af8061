package io.sluice.protocol.resp.codec;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RespCommandDecoderTest {

    static List<Object> decode(String... chunks) {
        EmbeddedChannel ch = new EmbeddedChannel(new RespCommandDecoder());
        for (String c : chunks) {
            ch.writeInbound(Unpooled.copiedBuffer(c, StandardCharsets.ISO_8859_1));
        }
        List<Object> out = new ArrayList<>();
        for (Object o; (o = ch.readInbound()) != null; ) {
            out.add(o);
        }
        ch.finishAndReleaseAll();
        return out;
    }

    @Test
    void multibulkCommand() {
        assertThat(decode("*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$0\r\n\r\n"))
                .containsExactly(RespCommand.of("SET", "x", ""));
    }

    @Test
    void bulkPayloadIsBinarySafe() {
        assertThat(decode("*2\r\n$4\r\nECHO\r\n$4\r\na\r\nb\r\n"))
                .containsExactly(RespCommand.of("ECHO", "a\r\nb"));
    }

    @Test
    void pipelinedCommandsInOneBuffer() {
        assertThat(decode("*1\r\n$4\r\nPING\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n"))
                .containsExactly(RespCommand.of("PING"), RespCommand.of("PING"), RespCommand.of("ECHO", "hi"));
    }

    @Test
    void emptyAndNegativeMultibulkAreSkipped() {
        assertThat(decode("*0\r\n*-1\r\n*-10\r\n\r\n \r\n*1\r\n$4\r\nPING\r\n"))
                .containsExactly(RespCommand.of("PING"));
    }

    @Test
    void inlineCommandWithQuotes() {
        assertThat(decode("set \"a b\" 'it\\'s' \"\\x41\\n\"\r\n"))
                .containsExactly(RespCommand.of("set", "a b", "it's", "A\n"));
        assertThat(decode("PING\n")).containsExactly(RespCommand.of("PING"));
        assertThat(decode("  echo   foo\"bar baz\"  \r\n")).containsExactly(RespCommand.of("echo", "foobar baz"));
    }

    @Test
    void inlineNulEndsTheLine() {
        assertThat(decode("echo a\0b c\r\n")).containsExactly(RespCommand.of("echo", "a"));
    }

    @Test
    void unbalancedQuotes() {
        assertThat(decode("set \"foo\r\n")).containsExactly(new RespProtocolError("Protocol error: unbalanced quotes in request"));
        assertThat(decode("set \"foo\"bar\r\n")).containsExactly(new RespProtocolError("Protocol error: unbalanced quotes in request"));
        assertThat(decode("set 'foo\r\n")).containsExactly(new RespProtocolError("Protocol error: unbalanced quotes in request"));
    }

    @Test
    void outOfRangeMultibulkLength() {
        assertThat(decode("*1048577\r\n")).containsExactly(new RespProtocolError("Protocol error: invalid multibulk length"));
        assertThat(decode("*3000000000\r\n")).containsExactly(new RespProtocolError("Protocol error: invalid multibulk length"));
        assertThat(decode("*99999999999999999999999\r\n")).containsExactly(new RespProtocolError("Protocol error: invalid multibulk length"));
        assertThat(decode("*abc\r\n")).containsExactly(new RespProtocolError("Protocol error: invalid multibulk length"));
        assertThat(decode("*+1\r\n")).containsExactly(new RespProtocolError("Protocol error: invalid multibulk length"));
        assertThat(decode("*01\r\n")).containsExactly(new RespProtocolError("Protocol error: invalid multibulk length"));
    }

    @Test
    void integersAreParsedUpToTheLongRangeAndNoFurther() {
        for (String ok : new String[] {"0", "7", "-7", "999999999999999999", "1000000000000000000",
                "9223372036854775807", "-9223372036854775807", "-999999999999999999"}) {
            assertThat(parse(ok)).as(ok).isEqualTo(Long.parseLong(ok));
        }
        for (String bad : new String[] {"9223372036854775808", "9999999999999999999", "10000000000000000000",
                "-9223372036854775808", "00", "-0", "+1", "1 ", "", "-", "123456789012345678901"}) {
            assertThat(parse(bad)).as(bad).isEqualTo(Long.MIN_VALUE);
        }
    }

    private static long parse(String text) {
        io.netty.buffer.ByteBuf buf = io.netty.buffer.Unpooled.copiedBuffer("x" + text + "y", StandardCharsets.US_ASCII);
        try {
            return RespCommandDecoder.parseLong(buf, 1, 1 + text.length(), new byte[20]);
        } finally {
            buf.release();
        }
    }

    @Test
    void largestMultibulkLengthIsAcceptedAndWaitsForElements() {
        assertThat(decode("*1048576\r\n$4\r\nPING\r\n")).isEmpty();
    }

    @Test
    void badBulkLengths() {
        RespProtocolError invalid = new RespProtocolError("Protocol error: invalid bulk length");
        assertThat(decode("*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$-10\r\n")).containsExactly(invalid);
        assertThat(decode("*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$-1\r\n")).containsExactly(invalid);
        assertThat(decode("*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$2000000000\r\n")).containsExactly(invalid);
        assertThat(decode("*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$536870913\r\n")).containsExactly(invalid);
        assertThat(decode("*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$blabla\r\n")).containsExactly(invalid);
    }

    @Test
    void elementNotABulk() {
        assertThat(decode("*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n"))
                .containsExactly(new RespProtocolError("Protocol error: expected '$', got 'f'"));
        assertThat(decode("*1\r\n\r\n"))
                .containsExactly(new RespProtocolError("Protocol error: expected '$', got ' '"));
    }

    @Test
    void commandsBeforeTheErrorAreKeptAndEverythingAfterIsDropped() {
        assertThat(decode("PING\r\n*x\r\n", "*1\r\n$4\r\nPING\r\n"))
                .containsExactly(RespCommand.of("PING"), new RespProtocolError("Protocol error: invalid multibulk length"));
    }

    @Test
    void tooLongLinesWithoutTerminator() {
        String junk = "a".repeat(RespCommandDecoder.MAX_INLINE_LENGTH);
        assertThat(decode(junk)).isEmpty();
        assertThat(decode(junk, "a")).containsExactly(new RespProtocolError("Protocol error: too big inline request"));
        assertThat(decode("*" + "1".repeat(RespCommandDecoder.MAX_INLINE_LENGTH + 1)))
                .containsExactly(new RespProtocolError("Protocol error: too big mbulk count string"));
        assertThat(decode("*1\r\n$" + "1".repeat(RespCommandDecoder.MAX_INLINE_LENGTH + 1)))
                .containsExactly(new RespProtocolError("Protocol error: too big bulk count string"));
    }

    @Test
    void configuredLimitsApply() {
        EmbeddedChannel ch = new EmbeddedChannel(new RespCommandDecoder(2, 3));
        ch.writeInbound(Unpooled.copiedBuffer("*2\r\n$3\r\nabc\r\n$4\r\n", StandardCharsets.US_ASCII));
        assertThat((Object) ch.readInbound()).isEqualTo(new RespProtocolError("Protocol error: invalid bulk length"));
        ch.finishAndReleaseAll();
        ch = new EmbeddedChannel(new RespCommandDecoder(2, 3));
        ch.writeInbound(Unpooled.copiedBuffer("*3\r\n", StandardCharsets.US_ASCII));
        assertThat((Object) ch.readInbound()).isEqualTo(new RespProtocolError("Protocol error: invalid multibulk length"));
        ch.finishAndReleaseAll();
    }
}
