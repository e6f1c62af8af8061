package io.sluice.protocol.nats;

import io.netty.channel.socket.SocketChannel;
import io.sluice.protocol.nats.codec.NatsClientDecoder;
import io.sluice.protocol.nats.codec.NatsServerEncoder;
import io.sluice.protocol.nats.session.NatsConfig;
import io.sluice.protocol.nats.session.NatsServerContext;
import io.sluice.protocol.nats.session.NatsSession;
import io.sluice.transport.ProtocolContext;
import io.sluice.transport.ProtocolHandlers;
import io.sluice.transport.ProtocolPlugin;

/**
 * The NATS client protocol (core NATS plus a JetStream subset) as a server plug-in, registered in
 * {@code META-INF/services/io.sluice.transport.ProtocolPlugin}. Stateless; each listener gets one
 * {@link NatsServerContext} shared by its connections. Settings are the {@code nats.*} keys documented in
 * {@link NatsConfig}.
 *
 * <p>Pipeline of each connection: {@link NatsServerEncoder} (outbound) → {@link NatsClientDecoder} →
 * {@link NatsSession}.
 */
public final class NatsProtocolPlugin implements ProtocolPlugin {

    /** The IANA-registered NATS client port. */
    public static final int DEFAULT_PORT = 4222;

    @Override
    public String name() {
        return "nats";
    }

    @Override
    public int defaultPort() {
        return DEFAULT_PORT;
    }

    @Override
    public ProtocolHandlers create(ProtocolContext context) {
        NatsServerContext server = new NatsServerContext(NatsConfig.from(context.settings()), context.broker(),
                context.advertisedHost(), context.advertisedPort(), context.meters());
        NatsServerEncoder encoder = new NatsServerEncoder();
        return new ProtocolHandlers() {
            @Override
            public void initChannel(SocketChannel channel) {
                NatsConfig config = server.config();
                channel.pipeline().addLast("nats-encoder", encoder);
                channel.pipeline().addLast("nats-decoder", new NatsClientDecoder(config.maxControlLine(), config.maxPayload()));
                channel.pipeline().addLast("nats-session", new NatsSession(server));
            }

            @Override
            public void close() {
                server.close();
            }
        };
    }
}
