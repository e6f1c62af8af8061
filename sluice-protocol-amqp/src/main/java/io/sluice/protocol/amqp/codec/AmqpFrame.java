package io.sluice.protocol.amqp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * A decoded AMQP frame, or the decoder's report that the input was malformed. Inbound, {@link AmqpFrameDecoder}
 * emits these; outbound, {@link AmqpFrameEncoder} accepts them (and {@link AmqpCommand}s).
 *
 * <p>Frame layout: octet type (1 method, 2 content header, 3 body, 8 heartbeat), uint16 channel, uint32 payload
 * size, the payload, then the frame-end octet 0xCE. {@link Body} holds a reference-counted payload; whoever receives
 * it releases it.
 */
public sealed interface AmqpFrame {

    int TYPE_METHOD = 1;
    int TYPE_HEADER = 2;
    int TYPE_BODY = 3;
    int TYPE_HEARTBEAT = 8;
    int FRAME_END = 0xCE;
    /** Frame type, channel, size and frame-end: what a frame costs beyond its payload. */
    int OVERHEAD = 8;

    int channel();

    record Method(int channel, AmqpMethod method) implements AmqpFrame {
    }

    /**
     * A content header: class id (always basic, 60), a weight of 0, the total body size, then the properties (see
     * {@link AmqpBasicProperties}).
     */
    record Header(int channel, int classId, long bodySize, AmqpBasicProperties properties) implements AmqpFrame {
    }

    /** One body frame's payload; the receiver releases it. */
    final class Body extends DefaultByteBufHolder implements AmqpFrame {
        private final int channel;

        public Body(int channel, ByteBuf payload) {
            super(payload);
            this.channel = channel;
        }

        @Override
        public int channel() {
            return channel;
        }

        @Override
        public Body replace(ByteBuf content) {
            return new Body(channel, content);
        }

        @Override
        public String toString() {
            return "Body[channel=" + channel + ", " + content().readableBytes() + " bytes]";
        }
    }

    /** A heartbeat; only valid on channel 0, which the session checks. */
    record Heartbeat(int channel) implements AmqpFrame {
        public static final Heartbeat INSTANCE = new Heartbeat(0);
    }

    /**
     * Not a wire frame: the decoder met input it cannot decode. The session must close the connection with
     * {@code error.replyCode()}; the decoder discards everything after it.
     */
    record Malformed(int channel, AmqpProtocolException error) implements AmqpFrame {
    }
}
