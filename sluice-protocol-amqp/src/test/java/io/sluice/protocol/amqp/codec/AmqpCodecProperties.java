package io.sluice.protocol.amqp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Round-trip and robustness properties of the codec. */
class AmqpCodecProperties {

    @Provide
    Arbitrary<AmqpTable> tables() {
        return AmqpArbitraries.table(3);
    }

    @Provide
    Arbitrary<AmqpMethod> methods() {
        return AmqpArbitraries.method();
    }

    @Provide
    Arbitrary<AmqpBasicProperties> properties() {
        return AmqpArbitraries.properties();
    }

    @Property(tries = 300)
    void fieldTablesRoundTrip(@ForAll("tables") AmqpTable table) {
        ByteBuf buf = Unpooled.buffer();
        AmqpWire.writeTable(buf, table);
        byte[] first = ByteBufUtil.getBytes(buf);
        AmqpTable decoded = AmqpWire.readTable(buf);
        assertThat(buf.isReadable()).isFalse();
        assertThat(decoded).isEqualTo(table);
        ByteBuf again = Unpooled.buffer();
        AmqpWire.writeTable(again, decoded);
        assertThat(ByteBufUtil.getBytes(again)).isEqualTo(first);
    }

    @Property(tries = 300)
    void methodsRoundTripThroughFrames(@ForAll("methods") AmqpMethod method) {
        EmbeddedChannel out = new EmbeddedChannel(new AmqpFrameEncoder());
        AmqpFrameDecoder decoder = new AmqpFrameDecoder();
        decoder.frameMax(0);
        EmbeddedChannel in = new EmbeddedChannel(decoder);
        try {
            out.writeOutbound(new AmqpFrame.Method(7, method));
            in.writeInbound(AmqpFrameDecoder.protocolHeader());
            in.writeInbound((ByteBuf) out.readOutbound());
            AmqpFrame frame = in.readInbound();
            assertThat(frame).isEqualTo(new AmqpFrame.Method(7, method));
        } finally {
            out.finishAndReleaseAll();
            in.finishAndReleaseAll();
        }
    }

    @Property(tries = 300)
    void basicPropertiesRoundTrip(@ForAll("properties") AmqpBasicProperties props) {
        ByteBuf buf = Unpooled.buffer();
        props.encode(buf);
        AmqpBasicProperties decoded = AmqpBasicProperties.decode(buf);
        assertThat(buf.isReadable()).isFalse();
        assertThat(decoded).isEqualTo(props);
    }

    @Provide
    Arbitrary<byte[]> garbage() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
    }

    /** Whatever follows the protocol header, the decoder yields frames or one report, and never throws. */
    @Property(tries = 400)
    void arbitraryInputNeverEscapesAsAnException(@ForAll("garbage") byte[] input) {
        EmbeddedChannel in = new EmbeddedChannel(new AmqpFrameDecoder());
        try {
            in.writeInbound(AmqpFrameDecoder.protocolHeader());
            in.writeInbound(Unpooled.wrappedBuffer(input));
            in.checkException();
            List<Object> frames = new ArrayList<>();
            Object o;
            while ((o = in.readInbound()) != null) {
                frames.add(o);
            }
            long reports = frames.stream().filter(f -> f instanceof AmqpFrame.Malformed).count();
            assertThat(reports).isLessThanOrEqualTo(1);
            if (reports == 1) {
                assertThat(frames.getLast()).isInstanceOf(AmqpFrame.Malformed.class);
            }
            frames.forEach(io.netty.util.ReferenceCountUtil::release);
        } finally {
            in.finishAndReleaseAll();
        }
    }

    /** Valid frames with random bytes flipped: still frames or one report, never an exception. */
    @Property(tries = 400)
    void corruptedMethodFramesNeverEscapeAsAnException(@ForAll("methods") AmqpMethod method,
                                                       @ForAll("garbage") byte[] noise) {
        ByteBuf frame = Unpooled.buffer();
        AmqpFrameEncoder.writeFrame(frame, new AmqpFrame.Method(1, method));
        for (int i = 0; i + 1 < noise.length; i += 2) {
            int at = Math.floorMod(noise[i], frame.writerIndex());
            frame.setByte(at, noise[i + 1]);
        }
        EmbeddedChannel in = new EmbeddedChannel(new AmqpFrameDecoder());
        try {
            in.writeInbound(AmqpFrameDecoder.protocolHeader());
            in.writeInbound(frame);
            in.checkException();
        } finally {
            in.finishAndReleaseAll();
        }
    }
}
