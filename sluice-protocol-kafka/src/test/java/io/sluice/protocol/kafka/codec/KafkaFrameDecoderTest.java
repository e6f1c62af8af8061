package io.sluice.protocol.kafka.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaFrameDecoderTest {

    private static ByteBuf frame(String payload) {
        byte[] b = payload.getBytes(StandardCharsets.UTF_8);
        return Unpooled.buffer().writeInt(b.length).writeBytes(b);
    }

    private static String read(EmbeddedChannel ch) {
        ByteBuf f = ch.readInbound();
        if (f == null) {
            return null;
        }
        try {
            return f.toString(StandardCharsets.UTF_8);
        } finally {
            f.release();
        }
    }

    @Test
    void splitsSeveralFramesInOneRead() {
        EmbeddedChannel ch = new EmbeddedChannel(new KafkaFrameDecoder(1024));
        ch.writeInbound(Unpooled.wrappedBuffer(frame("one"), frame(""), frame("three")));
        assertThat(read(ch)).isEqualTo("one");
        assertThat(read(ch)).isEqualTo("");
        assertThat(read(ch)).isEqualTo("three");
        assertThat(read(ch)).isNull();
        assertThat(ch.finish()).isFalse();
    }

    @Property(tries = 50)
    void reassemblesFramesWhateverTheChunking(@ForAll @Size(min = 1, max = 5) List<@Size(max = 40) String> payloads,
                                             @ForAll @IntRange(min = 1, max = 7) int chunk) {
        ByteBuf all = Unpooled.buffer();
        for (String p : payloads) {
            all.writeBytes(frame(p));
        }
        EmbeddedChannel ch = new EmbeddedChannel(new KafkaFrameDecoder(1 << 20));
        while (all.isReadable()) {
            ch.writeInbound(all.readRetainedSlice(Math.min(chunk, all.readableBytes())));
        }
        all.release();
        List<String> got = new ArrayList<>();
        for (String s = read(ch); s != null; s = read(ch)) {
            got.add(s);
        }
        assertThat(got).isEqualTo(payloads);
        ch.finishAndReleaseAll();
    }

    @Test
    void absurdSizeClosesTheConnection() {
        EmbeddedChannel ch = new EmbeddedChannel(new KafkaFrameDecoder(1024));
        ch.writeInbound(Unpooled.buffer().writeInt(1025).writeBytes(new byte[100]));
        assertThat(ch.isOpen()).isFalse();
        assertThat((Object) ch.readInbound()).isNull();
    }

    @Test
    void negativeSizeClosesTheConnection() {
        EmbeddedChannel ch = new EmbeddedChannel(new KafkaFrameDecoder(1024));
        ch.writeInbound(Unpooled.buffer().writeInt(-5));
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void frameAtTheLimitIsAccepted() {
        EmbeddedChannel ch = new EmbeddedChannel(new KafkaFrameDecoder(3));
        ch.writeInbound(frame("abc"));
        assertThat(read(ch)).isEqualTo("abc");
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void truncatedFrameWaitsForTheRest() {
        EmbeddedChannel ch = new EmbeddedChannel(new KafkaFrameDecoder(1024));
        ByteBuf f = frame("hello");
        ch.writeInbound(f.readRetainedSlice(6));
        assertThat(read(ch)).isNull();
        ch.writeInbound(f);
        assertThat(read(ch)).isEqualTo("hello");
    }
}
