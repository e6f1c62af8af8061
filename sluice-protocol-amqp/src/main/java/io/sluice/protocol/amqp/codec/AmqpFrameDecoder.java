package io.sluice.protocol.amqp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Turns the bytes of one AMQP 0-9-1 connection into {@link AmqpFrame}s. One instance per connection, used only on
 * its event loop.
 *
 * <p>First it expects the 8-byte protocol header {@code 'A' 'M' 'Q' 'P' 0 0 9 1}. Anything else is answered, as the
 * specification requires, with the header this server supports, and the connection is closed; a mismatch is
 * detected on the first differing byte so that garbage shorter than 8 bytes is refused too.
 *
 * <p>Then it decodes frames (layout in {@link AmqpFrame}). A frame whose total size exceeds the negotiated frame-max
 * (4096, the specification's minimum, until the session calls {@link #frameMax(int)} after {@code tune-ok}), a bad
 * frame-end octet, an unknown frame type or an undecodable payload produce one {@link AmqpFrame.Malformed} carrying
 * the reply code to close the connection with — 501 FRAME_ERROR, or 540 NOT_IMPLEMENTED for an unknown class or
 * method id, or 505 UNEXPECTED_FRAME for a content header of a class without content — after which all further input
 * is discarded. No exception escapes for bad input.
 */
public final class AmqpFrameDecoder extends ByteToMessageDecoder {

    /** The header of AMQP 0-9-1: "AMQP", protocol id 0, version 0-9-1. */
    private static final byte[] PROTOCOL_HEADER = {'A', 'M', 'Q', 'P', 0, 0, 9, 1};
    /** The frame-max every peer must accept before tuning (the specification's frame-min-size). */
    public static final int MIN_FRAME_MAX = 4096;

    /**
     * Fired as a user event once the client's protocol header was accepted: the server's cue to send
     * {@code connection.start}.
     */
    public static final Object PROTOCOL_HEADER_ACCEPTED = new Object() {
        @Override
        public String toString() {
            return "PROTOCOL_HEADER_ACCEPTED";
        }
    };

    private enum State { PROTOCOL_HEADER, FRAMES, FAILED }

    private State state = State.PROTOCOL_HEADER;
    private int frameMax = MIN_FRAME_MAX;

    /** Sets the largest accepted frame, header and frame-end included; 0 means no limit. */
    public void frameMax(int frameMax) {
        this.frameMax = frameMax;
    }

    public int frameMax() {
        return frameMax;
    }

    /** The 8 bytes this server announces: AMQP 0-9-1. */
    public static ByteBuf protocolHeader() {
        return Unpooled.wrappedBuffer(PROTOCOL_HEADER.clone());
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        switch (state) {
            case PROTOCOL_HEADER -> decodeProtocolHeader(ctx, in, out);
            case FRAMES -> decodeFrames(in, out);
            case FAILED -> in.skipBytes(in.readableBytes());
        }
    }

    private void decodeProtocolHeader(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int available = Math.min(in.readableBytes(), PROTOCOL_HEADER.length);
        for (int i = 0; i < available; i++) {
            if (in.getByte(in.readerIndex() + i) != PROTOCOL_HEADER[i]) {
                state = State.FAILED;
                in.skipBytes(in.readableBytes());
                ctx.writeAndFlush(protocolHeader()).addListener(ChannelFutureListener.CLOSE);
                return;
            }
        }
        if (available == PROTOCOL_HEADER.length) {
            in.skipBytes(PROTOCOL_HEADER.length);
            state = State.FRAMES;
            ctx.fireUserEventTriggered(PROTOCOL_HEADER_ACCEPTED);
            decodeFrames(in, out);
        }
    }

    private void decodeFrames(ByteBuf in, List<Object> out) {
        while (state == State.FRAMES && in.readableBytes() >= 7) {
            int start = in.readerIndex();
            int type = in.getUnsignedByte(start);
            int channel = in.getUnsignedShort(start + 1);
            long size = in.getUnsignedInt(start + 3);
            long limit = frameMax == 0 ? Integer.MAX_VALUE - AmqpFrame.OVERHEAD : frameMax - AmqpFrame.OVERHEAD;
            if (size > limit) {
                fail(in, out, channel, new AmqpProtocolException(AmqpReplyCode.FRAME_ERROR,
                        "frame of type " + type + " has a payload of " + size + " bytes, larger than frame-max "
                                + frameMax + " allows (" + limit + ")"));
                return;
            }
            if (in.readableBytes() < size + AmqpFrame.OVERHEAD) {
                return;
            }
            int end = in.getUnsignedByte(start + 7 + (int) size);
            if (end != AmqpFrame.FRAME_END) {
                fail(in, out, channel, new AmqpProtocolException(AmqpReplyCode.FRAME_ERROR,
                        String.format("invalid frame end marker 0x%02x on a frame of type %d", end, type)));
                return;
            }
            in.skipBytes(7);
            ByteBuf payload = in.readSlice((int) size);
            in.skipBytes(1);
            try {
                out.add(decodePayload(type, channel, payload));
            } catch (AmqpProtocolException e) {
                fail(in, out, channel, e);
            } catch (IndexOutOfBoundsException e) {
                fail(in, out, channel, AmqpWire.malformed("truncated payload in a frame of type " + type));
            } catch (IllegalArgumentException e) {
                fail(in, out, channel, AmqpWire.malformed(e.getMessage()));
            }
        }
    }

    private static AmqpFrame decodePayload(int type, int channel, ByteBuf payload) {
        return switch (type) {
            case AmqpFrame.TYPE_METHOD -> new AmqpFrame.Method(channel, AmqpMethods.decode(payload));
            case AmqpFrame.TYPE_HEADER -> decodeHeader(channel, payload);
            case AmqpFrame.TYPE_BODY -> new AmqpFrame.Body(channel, payload.retainedSlice());
            case AmqpFrame.TYPE_HEARTBEAT -> {
                if (payload.isReadable()) {
                    throw AmqpWire.malformed("heartbeat frame with a payload of " + payload.readableBytes() + " bytes");
                }
                yield channel == 0 ? AmqpFrame.Heartbeat.INSTANCE : new AmqpFrame.Heartbeat(channel);
            }
            default -> throw AmqpWire.malformed("unknown frame type " + type);
        };
    }

    private static AmqpFrame.Header decodeHeader(int channel, ByteBuf payload) {
        int classId = payload.readUnsignedShort();
        payload.readUnsignedShort(); // weight, always 0
        long bodySize = payload.readLong();
        if (classId != AmqpBasic.CLASS_ID) {
            throw new AmqpProtocolException(AmqpReplyCode.UNEXPECTED_FRAME,
                    "content header for class " + classId + ", which has no content");
        }
        if (bodySize < 0) {
            throw AmqpWire.malformed("content body size " + Long.toUnsignedString(bodySize) + " is too large");
        }
        AmqpBasicProperties properties = AmqpBasicProperties.decode(payload);
        if (payload.isReadable()) {
            throw AmqpWire.malformed("content header has " + payload.readableBytes() + " trailing bytes");
        }
        return new AmqpFrame.Header(channel, classId, bodySize, properties);
    }

    private void fail(ByteBuf in, List<Object> out, int channel, AmqpProtocolException error) {
        state = State.FAILED;
        in.skipBytes(in.readableBytes());
        out.add(new AmqpFrame.Malformed(channel, error));
    }
}
