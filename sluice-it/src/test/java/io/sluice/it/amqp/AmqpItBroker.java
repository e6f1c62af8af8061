package io.sluice.it.amqp;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.sluice.core.internal.BrokerOptions;
import io.sluice.core.internal.DefaultBroker;
import io.sluice.storage.memory.MemoryLogStore;
import io.sluice.transport.ProtocolContext;
import io.sluice.transport.ProtocolHandlers;
import io.sluice.transport.ProtocolPlugin;
import io.sluice.transport.ProtocolSettings;
import org.junit.jupiter.api.Assumptions;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The core broker with in-memory logs and the AMQP plugin (found through {@link ServiceLoader}, as the server finds
 * it) on a random loopback port. Stands in for the test kit's extension until that lands; one per test class.
 */
final class AmqpItBroker implements AutoCloseable {

    final DefaultBroker broker;
    private final EventLoopGroup group;
    private final io.netty.channel.Channel server;
    private final ProtocolHandlers handlers;

    AmqpItBroker() {
        this(Map.of());
    }

    AmqpItBroker(Map<String, String> settings) {
        broker = DefaultBroker.start(BrokerOptions.of(new MemoryLogStore(), new MemoryLogStore()));
        ProtocolPlugin plugin = ServiceLoader.load(ProtocolPlugin.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("amqp")).findFirst().orElseThrow();
        handlers = plugin.create(new ProtocolContext(broker, new ProtocolSettings(settings), "127.0.0.1", 0,
                "127.0.0.1", 0, new SimpleMeterRegistry()));
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        handlers.initChannel(ch);
                    }
                })
                .bind("127.0.0.1", 0).syncUninterruptibly().channel();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    ConnectionFactory factory() {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost("127.0.0.1");
        f.setPort(port());
        f.setAutomaticRecoveryEnabled(false);
        f.setConnectionTimeout(5000);
        f.setHandshakeTimeout(5000);
        f.setChannelRpcTimeout(10_000);
        return f;
    }

    Connection connect() throws Exception {
        return factory().newConnection();
    }

    /** Skips the calling test while the core's queue engine is not on this branch yet. */
    void assumeQueues() {
        boolean available;
        try (Connection c = connect()) {
            Channel ch = c.createChannel();
            String q = "probe-" + UUID.randomUUID();
            ch.queueDeclare(q, false, false, true, null);
            ch.queueDelete(q);
            available = true;
        } catch (Exception e) {
            available = false;
        }
        Assumptions.assumeTrue(available, "the core queue engine is not available in this build");
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        handlers.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        broker.close();
    }
}
