package io.sluice.protocol.resp.codec;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RespCommandDecoderProperties {

    @Provide
    Arbitrary<List<byte[]>> command() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(40).list().ofMinSize(1).ofMaxSize(6);
    }

    @Provide
    Arbitrary<List<List<byte[]>>> commands() {
        return command().list().ofMinSize(1).ofMaxSize(8);
    }

    static byte[] multibulk(List<List<byte[]>> commands) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (List<byte[]> c : commands) {
            out.writeBytes(("*" + c.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (byte[] a : c) {
                out.writeBytes(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.writeBytes(a);
                out.writeBytes(new byte[]{'\r', '\n'});
            }
        }
        return out.toByteArray();
    }

    /** Feeds {@code bytes} in pieces cut at the given points and returns everything decoded. */
    static List<Object> decodeInPieces(byte[] bytes, List<Integer> cuts) {
        EmbeddedChannel ch = new EmbeddedChannel(new RespCommandDecoder());
        List<Integer> points = new ArrayList<>();
        for (int c : cuts) {
            points.add(bytes.length == 0 ? 0 : Math.floorMod(c, bytes.length + 1));
        }
        points.add(0);
        points.add(bytes.length);
        points.sort(Integer::compare);
        for (int i = 1; i < points.size(); i++) {
            int from = points.get(i - 1);
            int to = points.get(i);
            if (to > from) {
                ch.writeInbound(Unpooled.wrappedBuffer(bytes, from, to - from));
            }
        }
        List<Object> out = new ArrayList<>();
        for (Object o; (o = ch.readInbound()) != null; ) {
            out.add(o);
        }
        ch.finishAndReleaseAll();
        return out;
    }

    @Property(tries = 300)
    void arbitrarySplitPointsDecodeIdentically(@ForAll("commands") List<List<byte[]>> commands,
                                               @ForAll @Size(max = 12) List<@IntRange(min = 0, max = 100_000) Integer> cuts) {
        byte[] bytes = multibulk(commands);
        List<Object> whole = decodeInPieces(bytes, List.of());
        List<Object> pieces = decodeInPieces(bytes, cuts);
        List<RespCommand> expected = commands.stream().map(RespCommand::new).toList();
        assertThat(whole).containsExactlyElementsOf(expected);
        assertThat(pieces).containsExactlyElementsOf(expected);
    }

    @Property(tries = 200)
    void inlineCommandsSplitAnywhere(@ForAll @Size(min = 1, max = 6) List<@Size(min = 1, max = 5) List<@LongRange(min = 0) Long>> lines,
                                     @ForAll @Size(max = 8) List<@IntRange(min = 0, max = 10_000) Integer> cuts) {
        StringBuilder sb = new StringBuilder();
        List<RespCommand> expected = new ArrayList<>();
        for (List<Long> words : lines) {
            List<String> args = words.stream().map(w -> "w" + w).toList();
            sb.append(String.join("  ", args)).append(sb.length() % 2 == 0 ? "\r\n" : "\n");
            expected.add(RespCommand.of(args.toArray(String[]::new)));
        }
        assertThat(decodeInPieces(sb.toString().getBytes(StandardCharsets.US_ASCII), cuts)).containsExactlyElementsOf(expected);
    }

    @Property(tries = 300)
    void junkNeverThrowsAndEndsWithAtMostOneError(@ForAll @Size(max = 300) byte[] junk,
                                                  @ForAll @Size(max = 6) List<@IntRange(min = 0, max = 1000) Integer> cuts) {
        List<Object> out = decodeInPieces(junk, cuts);
        for (int i = 0; i < out.size(); i++) {
            Object o = out.get(i);
            assertThat(o).isInstanceOfAny(RespCommand.class, RespProtocolError.class);
            if (o instanceof RespProtocolError) {
                assertThat(i).as("error is the last thing decoded").isEqualTo(out.size() - 1);
            }
        }
    }

    @Property(tries = 200)
    void structuredJunkNeverThrows(@ForAll("respLikeJunk") byte[] junk,
                                   @ForAll @Size(max = 6) List<@IntRange(min = 0, max = 1000) Integer> cuts) {
        List<Object> out = decodeInPieces(junk, cuts);
        assertThat(out).allSatisfy(o -> assertThat(o).isInstanceOfAny(RespCommand.class, RespProtocolError.class));
        assertThat(out.stream().filter(o -> o instanceof RespProtocolError).count()).isLessThanOrEqualTo(1);
    }

    /** Fragments of valid RESP glued in random order, so headers with odd numbers are reached often. */
    @Provide
    Arbitrary<byte[]> respLikeJunk() {
        return Arbitraries.randoms().map(r -> {
            String[] parts = {"*", "$", "\r\n", "\r", "\n", "-1", "0", "3", "-", "2147483648", "999999999999", "abc",
                    "\"", "'", "\\x4", " ", "\0", "PING"};
            StringBuilder sb = new StringBuilder();
            int n = r.nextInt(40);
            for (int i = 0; i < n; i++) {
                sb.append(parts[r.nextInt(parts.length)]);
            }
            return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        });
    }

    @Property(tries = 200)
    void absurdMultibulkCountsAreProtocolErrors(@ForAll @LongRange(min = 1024 * 1024 + 1) long count,
                                                @ForAll @IntRange(min = 0, max = 30) int cut) {
        byte[] bytes = ("*" + count + "\r\n").getBytes(StandardCharsets.US_ASCII);
        assertThat(decodeInPieces(bytes, List.of(cut)))
                .containsExactly(new RespProtocolError("Protocol error: invalid multibulk length"));
    }

    @Property(tries = 200)
    void negativeOrAbsurdBulkLengthsAreProtocolErrors(@ForAll("badBulkLength") long length,
                                                      @ForAll @IntRange(min = 0, max = 40) int cut) {
        byte[] bytes = ("*2\r\n$4\r\nECHO\r\n$" + length + "\r\n").getBytes(StandardCharsets.US_ASCII);
        assertThat(decodeInPieces(bytes, List.of(cut)))
                .containsExactly(new RespProtocolError("Protocol error: invalid bulk length"));
    }

    @Provide
    Arbitrary<Long> badBulkLength() {
        return Arbitraries.oneOf(Arbitraries.longs().between(Long.MIN_VALUE + 1, -1),
                Arbitraries.longs().between(RespCommandDecoder.DEFAULT_MAX_BULK_LENGTH + 1, Long.MAX_VALUE));
    }

    @Property(tries = 100)
    void negativeMultibulkCountsAreIgnored(@ForAll @LongRange(min = Long.MIN_VALUE + 1, max = 0) long count) {
        byte[] bytes = ("*" + count + "\r\n*1\r\n$4\r\nPING\r\n").getBytes(StandardCharsets.US_ASCII);
        assertThat(decodeInPieces(bytes, List.of())).containsExactly(RespCommand.of("PING"));
    }

}
