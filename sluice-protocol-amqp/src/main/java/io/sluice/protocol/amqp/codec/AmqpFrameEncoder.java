package io.sluice.protocol.amqp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;

import java.util.List;

/**
 * Writes {@link AmqpFrame}s and {@link AmqpCommand}s as AMQP 0-9-1 frames (layout in {@link AmqpFrame}). One
 * instance per connection, used only on its event loop.
 *
 * <p>A command's body is split into body frames of at most frame-max minus 8 payload bytes, frame-max being what
 * the session set with {@link #frameMax(int)} after tuning (0: one body frame). Bodies above a small size are not
 * copied: the frames are a composite of small header buffers and slices of the body.
 */
public final class AmqpFrameEncoder extends MessageToMessageEncoder<Object> {

    /** Below this, copying the body is cheaper than a composite buffer's bookkeeping. */
    private static final int COPY_THRESHOLD = 2048;

    private int frameMax = AmqpFrameDecoder.MIN_FRAME_MAX;

    public AmqpFrameEncoder() {
        super(Object.class);
    }

    /** Sets the largest frame to write, header and frame-end included; 0 means no limit. */
    public void frameMax(int frameMax) {
        this.frameMax = frameMax;
    }

    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return msg instanceof AmqpFrame || msg instanceof AmqpCommand;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) {
        ByteBufAllocator alloc = ctx.alloc();
        switch (msg) {
            case AmqpCommand c -> out.add(encodeCommand(alloc, c));
            case AmqpFrame.Body b -> {
                ByteBuf header = alloc.buffer(7);
                header.writeByte(AmqpFrame.TYPE_BODY).writeShort(b.channel()).writeInt(b.content().readableBytes());
                CompositeByteBuf composite = alloc.compositeBuffer(3);
                composite.addComponent(true, header);
                composite.addComponent(true, b.content().retain());
                composite.addComponent(true, alloc.buffer(1).writeByte(AmqpFrame.FRAME_END));
                out.add(composite);
            }
            case AmqpFrame f -> {
                ByteBuf buf = alloc.buffer();
                writeFrame(buf, f);
                out.add(buf);
            }
            default -> throw new IllegalArgumentException("not an AMQP frame: " + msg);
        }
    }

    /** Writes one method, header or heartbeat frame into {@code out}. */
    public static void writeFrame(ByteBuf out, AmqpFrame frame) {
        switch (frame) {
            case AmqpFrame.Method m -> {
                int sizeAt = beginFrame(out, AmqpFrame.TYPE_METHOD, m.channel());
                AmqpMethods.encode(m.method(), out);
                endFrame(out, sizeAt);
            }
            case AmqpFrame.Header h -> {
                int sizeAt = beginFrame(out, AmqpFrame.TYPE_HEADER, h.channel());
                out.writeShort(h.classId()).writeShort(0).writeLong(h.bodySize());
                h.properties().encode(out);
                endFrame(out, sizeAt);
            }
            case AmqpFrame.Heartbeat hb -> {
                out.writeByte(AmqpFrame.TYPE_HEARTBEAT).writeShort(hb.channel()).writeInt(0)
                        .writeByte(AmqpFrame.FRAME_END);
            }
            case AmqpFrame.Body b -> {
                ByteBuf payload = b.content();
                out.writeByte(AmqpFrame.TYPE_BODY).writeShort(b.channel()).writeInt(payload.readableBytes());
                out.writeBytes(payload, payload.readerIndex(), payload.readableBytes());
                out.writeByte(AmqpFrame.FRAME_END);
            }
            case AmqpFrame.Malformed m -> throw new IllegalArgumentException("a decode report is not written: " + m);
        }
    }

    private static int beginFrame(ByteBuf out, int type, int channel) {
        out.writeByte(type).writeShort(channel);
        int sizeAt = out.writerIndex();
        out.writeInt(0);
        return sizeAt;
    }

    private static void endFrame(ByteBuf out, int sizeAt) {
        out.setInt(sizeAt, out.writerIndex() - sizeAt - 4);
        out.writeByte(AmqpFrame.FRAME_END);
    }

    private ByteBuf encodeCommand(ByteBufAllocator alloc, AmqpCommand c) {
        ByteBuf body = c.content();
        int bodySize = body.readableBytes();
        int maxPayload = frameMax == 0 ? Integer.MAX_VALUE : frameMax - AmqpFrame.OVERHEAD;
        boolean copy = bodySize <= COPY_THRESHOLD;
        ByteBuf head = alloc.buffer(256 + (copy ? bodySize + 16 : 0));
        writeFrame(head, new AmqpFrame.Method(c.channel(), c.method()));
        writeFrame(head, new AmqpFrame.Header(c.channel(), AmqpBasic.CLASS_ID, bodySize, c.properties()));
        if (copy) {
            for (long offset = 0; offset < bodySize; offset += maxPayload) {
                int len = (int) Math.min(maxPayload, bodySize - offset);
                head.writeByte(AmqpFrame.TYPE_BODY).writeShort(c.channel()).writeInt(len);
                head.writeBytes(body, body.readerIndex() + (int) offset, len);
                head.writeByte(AmqpFrame.FRAME_END);
            }
            return head;
        }
        CompositeByteBuf composite = alloc.compositeBuffer(2 + 2 * (bodySize / maxPayload + 1));
        ByteBuf glue = head;
        for (long offset = 0; offset < bodySize; offset += maxPayload) {
            int len = (int) Math.min(maxPayload, bodySize - offset);
            if (glue == null) {
                glue = alloc.buffer(8);
                glue.writeByte(AmqpFrame.FRAME_END);
            }
            glue.writeByte(AmqpFrame.TYPE_BODY).writeShort(c.channel()).writeInt(len);
            composite.addComponent(true, glue);
            composite.addComponent(true, body.retainedSlice(body.readerIndex() + (int) offset, len));
            glue = null;
        }
        composite.addComponent(true, alloc.buffer(1).writeByte(AmqpFrame.FRAME_END));
        return composite;
    }
}
