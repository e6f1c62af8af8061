package io.sluice.protocol.amqp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AmqpFrameEncoderTest {

    private final AmqpFrameEncoder encoder = new AmqpFrameEncoder();
    private final EmbeddedChannel out = new EmbeddedChannel(encoder);
    private final AmqpFrameDecoder decoder = new AmqpFrameDecoder();
    private final EmbeddedChannel in = new EmbeddedChannel(decoder);

    @AfterEach
    void tearDown() {
        out.finishAndReleaseAll();
        in.finishAndReleaseAll();
    }

    /** Writes what the encoder produced into a decoder and returns the frames. */
    private List<AmqpFrame> roundTrip() {
        in.writeInbound(AmqpFrameDecoder.protocolHeader());
        ByteBuf b;
        while ((b = out.readOutbound()) != null) {
            in.writeInbound(b);
        }
        List<AmqpFrame> frames = new ArrayList<>();
        AmqpFrame f;
        while ((f = in.readInbound()) != null) {
            frames.add(f);
        }
        return frames;
    }

    @Test
    void writesMethodFrameBytesExactly() {
        out.writeOutbound(new AmqpFrame.Method(2, new AmqpBasic.Nack(5, true, false)));
        ByteBuf b = out.readOutbound();
        assertThat(ByteBufUtil.hexDump(b)).isEqualTo("01" + "0002" + "0000000d" + "003c0078" + "0000000000000005" + "01" + "ce");
        b.release();
    }

    @Test
    void writesHeartbeat() {
        out.writeOutbound(AmqpFrame.Heartbeat.INSTANCE);
        ByteBuf b = out.readOutbound();
        assertThat(ByteBufUtil.hexDump(b)).isEqualTo("08000000000000ce");
        b.release();
    }

    @Test
    void splitsASmallBodyByFrameMax() {
        encoder.frameMax(4096);
        byte[] body = new byte[2000];
        body[1999] = 7;
        var deliver = new AmqpBasic.Deliver("ctag", 1, false, "x", "rk");
        out.writeOutbound(new AmqpCommand(1, deliver, AmqpBasicProperties.EMPTY, Unpooled.wrappedBuffer(body)));
        List<AmqpFrame> frames = roundTrip();
        assertThat(frames).hasSize(3);
        assertThat(((AmqpFrame.Method) frames.get(0)).method()).isEqualTo(deliver);
        assertThat(((AmqpFrame.Header) frames.get(1)).bodySize()).isEqualTo(2000);
        AmqpFrame.Body b = (AmqpFrame.Body) frames.get(2);
        assertThat(ByteBufUtil.getBytes(b.content())).isEqualTo(body);
        b.release();
    }

    @Test
    void splitsALargeBodyIntoFramesOfAtMostFrameMax() {
        encoder.frameMax(4096);
        decoder.frameMax(4096);
        byte[] body = new byte[10_000];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i;
        }
        var getOk = new AmqpBasic.GetOk(9, true, "", "q", 3);
        out.writeOutbound(new AmqpCommand(4, getOk, AmqpBasicProperties.EMPTY, Unpooled.wrappedBuffer(body)));
        List<AmqpFrame> frames = roundTrip();
        assertThat(frames).hasSize(2 + 3);
        ByteBuf joined = Unpooled.buffer();
        for (AmqpFrame f : frames.subList(2, 5)) {
            AmqpFrame.Body b = (AmqpFrame.Body) f;
            assertThat(b.content().readableBytes()).isLessThanOrEqualTo(4096 - 8);
            assertThat(b.channel()).isEqualTo(4);
            joined.writeBytes(b.content());
            b.release();
        }
        assertThat(ByteBufUtil.getBytes(joined)).isEqualTo(body);
        joined.release();
    }

    @Test
    void emptyBodyHasNoBodyFrame() {
        var ret = new AmqpBasic.Return(312, "NO_ROUTE", "x", "rk");
        out.writeOutbound(new AmqpCommand(1, ret, null, Unpooled.EMPTY_BUFFER));
        List<AmqpFrame> frames = roundTrip();
        assertThat(frames).hasSize(2);
        assertThat(((AmqpFrame.Header) frames.get(1)).bodySize()).isZero();
    }

    @Test
    void bodyFramePassesThrough() {
        out.writeOutbound(new AmqpFrame.Body(3, Unpooled.wrappedBuffer(new byte[]{1, 2, 3})));
        List<AmqpFrame> frames = roundTrip();
        AmqpFrame.Body b = (AmqpFrame.Body) frames.getFirst();
        assertThat(ByteBufUtil.getBytes(b.content())).containsExactly(1, 2, 3);
        b.release();
    }
}
