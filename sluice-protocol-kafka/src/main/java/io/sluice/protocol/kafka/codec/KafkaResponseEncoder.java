package io.sluice.protocol.kafka.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;

import java.util.List;

/**
 * Encodes {@link KafkaResponse}s into frames:
 * <pre>
 *   int32 size | int32 correlation_id | [header v1: tagged-field section, always empty] | body
 * </pre>
 * The size counts everything after itself. Records that can be sent by reference (see
 * {@link KafkaSegmentedWritable}) leave the encoder as separate file regions between heap buffers, in order, so a
 * fetch response's log data goes from the segment file to the socket without being copied. Stateless.
 */
@ChannelHandler.Sharable
public final class KafkaResponseEncoder extends MessageToMessageEncoder<KafkaResponse> {

    private final boolean zeroCopy;

    /** @param zeroCopy whether file-backed records may be sent as file regions (false for TLS or tests) */
    public KafkaResponseEncoder(boolean zeroCopy) {
        super(KafkaResponse.class);
        this.zeroCopy = zeroCopy;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, KafkaResponse msg, List<Object> out) {
        encode(ctx.alloc(), msg, out, zeroCopy);
    }

    /** Encodes one response into {@code out} (buffers and file regions, to be written in order). */
    public static void encode(io.netty.buffer.ByteBufAllocator alloc, KafkaResponse msg, List<Object> out,
                              boolean zeroCopy) {
        short headerVersion = msg.headerVersion();
        int bodySize = msg.body().size(msg.version());
        int size = 4 + (headerVersion >= 1 ? 1 : 0) + bodySize;
        KafkaSegmentedWritable w = new KafkaSegmentedWritable(alloc, zeroCopy, Math.min(size + 4, 64 * 1024));
        w.writeInt(size);
        w.writeInt(msg.correlationId());
        if (headerVersion >= 1) {
            w.writeUnsignedVarint(0);
        }
        msg.body().write(w, msg.version());
        w.finish(out);
    }

    /** Encodes into a single heap buffer (copies records); for tests and tools. */
    public static ByteBuf encodeToBuffer(io.netty.buffer.ByteBufAllocator alloc, KafkaResponse msg) {
        List<Object> parts = new java.util.ArrayList<>();
        encode(alloc, msg, parts, false);
        return (ByteBuf) parts.get(0);
    }
}
