package io.sluice.protocol.kafka.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Splits the inbound byte stream into Kafka frames: a big-endian int32 size followed by that many bytes. Emits each
 * frame's bytes (without the size) as a retained slice; the next handler releases it.
 *
 * <p>A size that is negative or larger than {@code maxFrameBytes} closes the connection at once: there is no way to
 * resynchronise a length-prefixed stream, and reading a claimed 2 GB would let one client exhaust the heap. This is
 * what Kafka does with {@code socket.request.max.bytes}.
 */
public final class KafkaFrameDecoder extends ByteToMessageDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaFrameDecoder.class);

    private final int maxFrameBytes;

    public KafkaFrameDecoder(int maxFrameBytes) {
        if (maxFrameBytes <= 0) {
            throw new IllegalArgumentException("maxFrameBytes must be positive: " + maxFrameBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= 4) {
            int size = in.getInt(in.readerIndex());
            if (size < 0 || size > maxFrameBytes) {
                LOG.warn("closing {}: frame of {} bytes (limit {})", ctx.channel().remoteAddress(), size, maxFrameBytes);
                in.skipBytes(in.readableBytes());
                ctx.close();
                return;
            }
            if (in.readableBytes() < 4 + size) {
                return;
            }
            in.skipBytes(4);
            out.add(in.readRetainedSlice(size));
        }
    }
}
