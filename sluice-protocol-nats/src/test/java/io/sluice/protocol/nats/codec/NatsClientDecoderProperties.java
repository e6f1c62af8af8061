package io.sluice.protocol.nats.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** TCP may split a byte stream anywhere: decoding must not depend on where. */
class NatsClientDecoderProperties {

    /** Decoded ops, the bytes written back and whether the channel is still open. */
    private record Outcome(List<Object> ops, String written, boolean open) {
    }

    private static Outcome decode(byte[] input, List<Integer> cuts) {
        EmbeddedChannel channel = new EmbeddedChannel(new NatsServerEncoder(), new NatsClientDecoder(128, 256));
        TreeSet<Integer> points = new TreeSet<>();
        for (int c : cuts) {
            if (input.length > 0) {
                points.add(Math.floorMod(c, input.length));
            }
        }
        points.add(input.length);
        int from = 0;
        for (int to : points) {
            if (to > from && channel.isOpen()) {
                channel.writeInbound(Unpooled.wrappedBuffer(input, from, to - from));
            }
            from = Math.max(from, to);
        }
        List<Object> ops = new ArrayList<>();
        Object o;
        while ((o = channel.readInbound()) != null) {
            ops.add(o);
        }
        StringBuilder written = new StringBuilder();
        ByteBuf b;
        while ((b = channel.readOutbound()) != null) {
            written.append(b.toString(StandardCharsets.UTF_8));
            b.release();
        }
        boolean open = channel.isOpen();
        channel.finishAndReleaseAll();
        return new Outcome(ops, written.toString(), open);
    }

    @Property(tries = 300)
    void validStreamDecodesIdenticallyWhereverItIsSplit(@ForAll("wireOps") List<String> wire,
                                                        @ForAll @Size(max = 20) List<Integer> cuts) {
        byte[] input = String.join("", wire).getBytes(StandardCharsets.UTF_8);
        Outcome whole = decode(input, List.of());
        Outcome split = decode(input, cuts);
        assertThat(whole.ops()).hasSize(wire.size());
        assertThat(whole.open()).isTrue();
        assertThat(split).isEqualTo(whole);
    }

    @Property(tries = 300)
    void arbitraryBytesDecodeIdenticallyWhereverTheyAreSplit(@ForAll("noisyInput") byte[] input,
                                                             @ForAll @Size(max = 20) List<Integer> cuts) {
        Outcome whole = decode(input, List.of());
        Outcome split = decode(input, cuts);
        assertThat(split).isEqualTo(whole);
        if (!whole.open()) {
            assertThat(whole.written()).startsWith("-ERR '").endsWith("'\r\n");
        }
    }

    @Provide
    Arbitrary<List<String>> wireOps() {
        return Arbitraries.oneOf(pub(), hpub(), sub(), unsub(), simple()).list().ofMaxSize(12);
    }

    @Provide
    Arbitrary<byte[]> noisyInput() {
        // Mostly protocol-shaped text with random damage, so that both valid prefixes and every error path occur.
        Arbitrary<byte[]> damaged = wireOps().map(ops -> String.join("", ops).getBytes(StandardCharsets.UTF_8))
                .flatMap(bytes -> Arbitraries.integers().between(0, Math.max(0, bytes.length - 1)).list().ofMaxSize(3)
                        .flatMap(positions -> Arbitraries.bytes().list().ofSize(positions.size()).map(values -> {
                            byte[] copy = bytes.clone();
                            for (int i = 0; i < positions.size() && copy.length > 0; i++) {
                                copy[positions.get(i)] = values.get(i);
                            }
                            return copy;
                        })));
        return Arbitraries.oneOf(damaged, Arbitraries.bytes().array(byte[].class).ofMaxSize(300));
    }

    private static Arbitrary<String> token() {
        return Arbitraries.strings().withChars("abcXYZ09_-.*>é").ofMinLength(1).ofMaxLength(12);
    }

    private static Arbitrary<String> sep() {
        return Arbitraries.of(" ", "\t", "  ", " \t ");
    }

    private static Arbitrary<String> name(String op) {
        return Arbitraries.integers().between(0, (1 << op.length()) - 1).map(mask -> {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < op.length(); i++) {
                char c = op.charAt(i);
                sb.append((mask & (1 << i)) != 0 ? Character.toLowerCase(c) : c);
            }
            return sb.toString();
        });
    }

    private static Arbitrary<String> body() {
        return Arbitraries.strings().withChars("ab\r\n \t{}PUB").ofMaxLength(40);
    }

    private static Arbitrary<String> pub() {
        return Combinators.combine(name("PUB"), sep(), token(), token().injectNull(0.5), body())
                .as((op, s, subject, reply, body) -> op + s + subject + s + (reply == null ? "" : reply + s)
                        + body.getBytes(StandardCharsets.UTF_8).length + "\r\n" + body + "\r\n");
    }

    private static Arbitrary<String> hpub() {
        return Combinators.combine(name("HPUB"), token(), token().injectNull(0.5), token(), body())
                .as((op, subject, reply, value, body) -> {
                    String headers = "NATS/1.0\r\nK: " + value + "\r\n\r\n";
                    int h = headers.getBytes(StandardCharsets.UTF_8).length;
                    int t = h + body.getBytes(StandardCharsets.UTF_8).length;
                    return op + " " + subject + " " + (reply == null ? "" : reply + " ") + h + " " + t + "\r\n"
                            + headers + body + "\r\n";
                });
    }

    private static Arbitrary<String> sub() {
        return Combinators.combine(name("SUB"), sep(), token(), token().injectNull(0.5), Arbitraries.integers().between(1, 999))
                .as((op, s, subject, queue, sid) -> op + s + subject + s + (queue == null ? "" : queue + s) + sid + "\r\n");
    }

    private static Arbitrary<String> unsub() {
        return Combinators.combine(name("UNSUB"), Arbitraries.integers().between(1, 999), Arbitraries.integers().between(0, 50).injectNull(0.5))
                .as((op, sid, max) -> op + " " + sid + (max == null ? "" : " " + max) + "\r\n");
    }

    private static Arbitrary<String> simple() {
        return Arbitraries.oneOf(name("PING").map(n -> n + "\r\n"), name("PONG").map(n -> n + "\n"),
                name("CONNECT").map(n -> n + " {\"verbose\":false,\"name\":\"x\"}\r\n"));
    }

    static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }
}
