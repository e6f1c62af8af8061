package io.sluice.protocol.amqp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class AmqpFrameDecoderTest {

    private static final byte[] HEADER = {'A', 'M', 'Q', 'P', 0, 0, 9, 1};

    private final AmqpFrameDecoder decoder = new AmqpFrameDecoder();
    private final EmbeddedChannel channel = new EmbeddedChannel(decoder);

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
    }

    private static ByteBuf frame(int type, int ch, byte[] payload) {
        ByteBuf b = Unpooled.buffer();
        b.writeByte(type).writeShort(ch).writeInt(payload.length).writeBytes(payload).writeByte(0xCE);
        return b;
    }

    private static byte[] methodPayload(AmqpMethod m) {
        ByteBuf b = Unpooled.buffer();
        AmqpMethods.encode(m, b);
        return ByteBufUtil.getBytes(b);
    }

    private static byte[] hex(String s) {
        return ByteBufUtil.decodeHexDump(s.replace(" ", ""));
    }

    private AmqpFrame.Malformed expectMalformed() {
        Object o = channel.readInbound();
        assertThat(o).isInstanceOf(AmqpFrame.Malformed.class);
        return (AmqpFrame.Malformed) o;
    }

    @Test
    void decodesMethodFrameAfterProtocolHeader() {
        channel.writeInbound(Unpooled.wrappedBuffer(HEADER));
        channel.writeInbound(frame(1, 3, methodPayload(new AmqpBasic.Ack(42, true))));
        AmqpFrame.Method m = channel.readInbound();
        assertThat(m.channel()).isEqualTo(3);
        assertThat(m.method()).isEqualTo(new AmqpBasic.Ack(42, true));
    }

    @Test
    void decodesTheSameFramesWhenFedOneByteAtATime() {
        ByteBuf all = Unpooled.buffer();
        all.writeBytes(HEADER);
        all.writeBytes(frame(1, 1, methodPayload(new AmqpBasic.Publish("ex", "rk", true, false))));
        ByteBuf header = Unpooled.buffer();
        header.writeShort(60).writeShort(0).writeLong(5);
        new AmqpBasicProperties("text/plain", null, null, 2, null, null, null, null, null, null, null, null, null, null)
                .encode(header);
        all.writeBytes(frame(2, 1, ByteBufUtil.getBytes(header)));
        all.writeBytes(frame(3, 1, "hello".getBytes(StandardCharsets.US_ASCII)));
        all.writeBytes(frame(8, 0, new byte[0]));
        while (all.isReadable()) {
            channel.writeInbound(all.readRetainedSlice(1));
        }
        all.release();
        AmqpFrame.Method publish = channel.readInbound();
        assertThat(publish.method()).isEqualTo(new AmqpBasic.Publish("ex", "rk", true, false));
        AmqpFrame.Header h = channel.readInbound();
        assertThat(h.bodySize()).isEqualTo(5);
        assertThat(h.properties().contentType()).isEqualTo("text/plain");
        assertThat(h.properties().persistent()).isTrue();
        AmqpFrame.Body body = channel.readInbound();
        assertThat(body.content().toString(StandardCharsets.US_ASCII)).isEqualTo("hello");
        body.release();
        assertThat((Object) channel.readInbound()).isEqualTo(AmqpFrame.Heartbeat.INSTANCE);
    }

    @Test
    void wrongProtocolHeaderIsAnsweredWithTheSupportedOneAndClosed() {
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[]{'A', 'M', 'Q', 'P', 1, 1, 0, 10}));
        ByteBuf reply = channel.readOutbound();
        assertThat(ByteBufUtil.getBytes(reply)).containsExactly(HEADER);
        reply.release();
        assertThat(channel.isOpen()).isFalse();
        assertThat((Object) channel.readInbound()).isNull();
    }

    @Test
    void shortGarbageIsRefusedWithoutWaitingForEightBytes() {
        channel.writeInbound(Unpooled.copiedBuffer("GET", StandardCharsets.US_ASCII));
        ByteBuf reply = channel.readOutbound();
        assertThat(ByteBufUtil.getBytes(reply)).containsExactly(HEADER);
        reply.release();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void partialCorrectHeaderWaitsForMore() {
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[]{'A', 'M', 'Q'}));
        assertThat((Object) channel.readOutbound()).isNull();
        assertThat(channel.isOpen()).isTrue();
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[]{'P', 0, 0, 9, 1}));
        channel.writeInbound(frame(8, 0, new byte[0]));
        assertThat((Object) channel.readInbound()).isEqualTo(AmqpFrame.Heartbeat.INSTANCE);
    }

    @Test
    void frameLargerThanFrameMaxIsAFrameErrorAndStopsDecoding() {
        channel.writeInbound(Unpooled.wrappedBuffer(HEADER));
        // Only the 7 header bytes are sent: the size alone must trigger the error, without buffering the payload.
        ByteBuf b = Unpooled.buffer().writeByte(3).writeShort(1).writeInt(4096 - 8 + 1);
        channel.writeInbound(b);
        AmqpFrame.Malformed m = expectMalformed();
        assertThat(m.error().replyCode()).isEqualTo(AmqpReplyCode.FRAME_ERROR);
        assertThat(m.channel()).isEqualTo(1);
        channel.writeInbound(frame(8, 0, new byte[0]));
        assertThat((Object) channel.readInbound()).isNull();
    }

    @Test
    void frameExactlyAtFrameMaxIsAccepted() {
        channel.writeInbound(Unpooled.wrappedBuffer(HEADER));
        channel.writeInbound(frame(3, 1, new byte[4096 - 8]));
        AmqpFrame.Body body = channel.readInbound();
        assertThat(body.content().readableBytes()).isEqualTo(4088);
        body.release();
    }

    @Test
    void raisedFrameMaxAcceptsLargerFrames() {
        decoder.frameMax(131072);
        channel.writeInbound(Unpooled.wrappedBuffer(HEADER));
        channel.writeInbound(frame(3, 1, new byte[100_000]));
        AmqpFrame.Body body = channel.readInbound();
        assertThat(body.content().readableBytes()).isEqualTo(100_000);
        body.release();
    }

    @Test
    void badFrameEndIsAFrameError() {
        channel.writeInbound(Unpooled.wrappedBuffer(HEADER));
        ByteBuf b = frame(1, 1, methodPayload(new AmqpChannel.Open()));
        b.setByte(b.writerIndex() - 1, 0x00);
        channel.writeInbound(b);
        assertThat(expectMalformed().error().replyCode()).isEqualTo(AmqpReplyCode.FRAME_ERROR);
    }

    @Test
    void unknownClassIsNotImplemented() {
        channel.writeInbound(Unpooled.wrappedBuffer(HEADER));
        channel.writeInbound(frame(1, 1, hex("00 63 00 0a")));
        AmqpProtocolException e = expectMalformed().error();
        assertThat(e.replyCode()).isEqualTo(AmqpReplyCode.NOT_IMPLEMENTED);
        assertThat(e.classId()).isEqualTo(99);
        assertThat(e.methodId()).isEqualTo(10);
    }

    @Test
    void unknownMethodOfAKnownClassIsNotImplemented() {
        channel.writeInbound(Unpooled.wrappedBuffer(HEADER));
        channel.writeInbound(frame(1, 1, hex("00 3c 00 ff")));
        assertThat(expectMalformed().error().replyCode()).isEqualTo(AmqpReplyCode.NOT_IMPLEMENTED);
    }

    @Test
    void truncatedMethodFieldsAreAFrameError() {
        channel.writeInbound(Unpooled.wrappedBuffer(HEADER));
        // queue.declare: ticket, then a short string claiming 200 bytes with only 3 present
        channel.writeInbound(frame(1, 1, hex("00 32 00 0a 00 00 c8 61 62 63")));
        AmqpProtocolException e = expectMalformed().error();
        assertThat(e.replyCode()).isEqualTo(AmqpReplyCode.FRAME_ERROR);
        assertThat(e.classId()).isEqualTo(50);
    }

    @Test
    void methodWithTrailingBytesIsAFrameError() {
        channel.writeInbound(Unpooled.wrappedBuffer(HEADER));
        channel.writeInbound(frame(1, 0, hex("00 0a 00 33 ff")));
        assertThat(expectMalformed().error().replyCode()).isEqualTo(AmqpReplyCode.FRAME_ERROR);
    }

    @Test
    void methodFrameTooShortForIdsIsAFrameError() {
        channel.writeInbound(Unpooled.wrappedBuffer(HEADER));
        channel.writeInbound(frame(1, 0, hex("00 0a")));
        assertThat(expectMalformed().error().replyCode()).isEqualTo(AmqpReplyCode.FRAME_ERROR);
    }

    @Test
    void unknownFieldTypeInATableIsAFrameError() {
        channel.writeInbound(Unpooled.wrappedBuffer(HEADER));
        // queue.declare with arguments {"k": 'Z' ...}
        ByteBuf p = Unpooled.buffer();
        p.writeShort(50).writeShort(10).writeShort(0).writeByte(1).writeByte('q').writeByte(0);
        p.writeInt(4).writeByte(1).writeByte('k').writeByte('Z').writeByte(0);
        channel.writeInbound(frame(1, 1, ByteBufUtil.getBytes(p)));
        AmqpProtocolException e = expectMalformed().error();
        assertThat(e.replyCode()).isEqualTo(AmqpReplyCode.FRAME_ERROR);
        assertThat(e.getMessage()).contains("unknown field value type 'Z'");
    }

    @Test
    void deeplyNestedTableIsRefusedNotAStackOverflow() {
        channel.writeInbound(Unpooled.wrappedBuffer(HEADER));
        int depth = AmqpWire.MAX_NESTING + 10;
        ByteBuf inner = Unpooled.buffer().writeInt(0);
        for (int i = 0; i < depth; i++) {
            ByteBuf outer = Unpooled.buffer();
            outer.writeInt(inner.readableBytes() + 3).writeByte(1).writeByte('k').writeByte('F').writeBytes(inner);
            inner.release();
            inner = outer;
        }
        ByteBuf p = Unpooled.buffer().writeShort(60).writeShort(20).writeShort(0).writeByte(0).writeByte(0)
                .writeByte(0).writeBytes(inner);
        inner.release();
        decoder.frameMax(0);
        channel.writeInbound(frame(1, 1, ByteBufUtil.getBytes(p)));
        assertThat(expectMalformed().error().replyCode()).isEqualTo(AmqpReplyCode.FRAME_ERROR);
    }

    @Test
    void unknownFrameTypeIsAFrameError() {
        channel.writeInbound(Unpooled.wrappedBuffer(HEADER));
        channel.writeInbound(frame(7, 0, new byte[]{1}));
        assertThat(expectMalformed().error().replyCode()).isEqualTo(AmqpReplyCode.FRAME_ERROR);
    }

    @Test
    void heartbeatWithPayloadIsAFrameError() {
        channel.writeInbound(Unpooled.wrappedBuffer(HEADER));
        channel.writeInbound(frame(8, 0, new byte[]{1}));
        assertThat(expectMalformed().error().replyCode()).isEqualTo(AmqpReplyCode.FRAME_ERROR);
    }

    @Test
    void contentHeaderOfAClassWithoutContentIsUnexpected() {
        channel.writeInbound(Unpooled.wrappedBuffer(HEADER));
        channel.writeInbound(frame(2, 1, hex("00 32 00 00 00 00 00 00 00 00 00 00 00 00")));
        assertThat(expectMalformed().error().replyCode()).isEqualTo(AmqpReplyCode.UNEXPECTED_FRAME);
    }

    @Test
    void truncatedContentHeaderIsAFrameError() {
        channel.writeInbound(Unpooled.wrappedBuffer(HEADER));
        // flags announce a content-type that is not there
        channel.writeInbound(frame(2, 1, hex("00 3c 00 00 00 00 00 00 00 00 00 05 80 00")));
        assertThat(expectMalformed().error().replyCode()).isEqualTo(AmqpReplyCode.FRAME_ERROR);
    }

    @Test
    void heartbeatOnAChannelIsPassedOnForTheSessionToRefuse() {
        channel.writeInbound(Unpooled.wrappedBuffer(HEADER));
        channel.writeInbound(frame(8, 5, new byte[0]));
        assertThat((Object) channel.readInbound()).isEqualTo(new AmqpFrame.Heartbeat(5));
    }

    @Test
    void decodesBitPackedFieldsAtKnownOffsets() {
        channel.writeInbound(Unpooled.wrappedBuffer(HEADER));
        // queue.declare ticket=0 queue="q" bits: passive=0 durable=1 exclusive=0 auto-delete=1 no-wait=0 -> 0b01010
        channel.writeInbound(frame(1, 1, hex("00 32 00 0a 00 00 01 71 0a 00 00 00 00")));
        AmqpFrame.Method m = channel.readInbound();
        assertThat(m.method()).isEqualTo(new AmqpQueue.Declare("q", false, true, false, true, false, AmqpTable.EMPTY));
    }
}
