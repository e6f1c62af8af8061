package io.sluice.protocol.amqp.session;

import io.netty.channel.socket.SocketChannel;
import io.sluice.core.Broker;
import io.sluice.protocol.amqp.codec.AmqpFrameDecoder;
import io.sluice.protocol.amqp.codec.AmqpFrameEncoder;
import io.sluice.transport.ProtocolContext;
import io.sluice.transport.ProtocolHandlers;
import io.sluice.transport.ProtocolPlugin;

/**
 * The AMQP 0-9-1 listener, found by the server through {@code META-INF/services}. Each accepted connection gets an
 * {@link AmqpFrameDecoder}, an {@link AmqpFrameEncoder} and an {@link AmqpConnectionSession}. Settings are the
 * constants of {@link AmqpSessionConfig} under the {@code amqp.} prefix.
 */
public final class AmqpProtocolPlugin implements ProtocolPlugin {

    @Override
    public String name() {
        return "amqp";
    }

    @Override
    public int defaultPort() {
        return 5672;
    }

    @Override
    public ProtocolHandlers create(ProtocolContext context) {
        return handlers(context.broker(), AmqpSessionConfig.from(context.settings()));
    }

    /** The pipeline builder for a broker and settings; also used by tests that bind their own server socket. */
    public static ProtocolHandlers handlers(Broker broker, AmqpSessionConfig config) {
        return new ProtocolHandlers() {
            @Override
            public void initChannel(SocketChannel channel) {
                channel.pipeline()
                        .addLast("amqp-decoder", new AmqpFrameDecoder())
                        .addLast("amqp-encoder", new AmqpFrameEncoder())
                        .addLast("amqp-session", new AmqpConnectionSession(broker, config));
            }
        };
    }
}
