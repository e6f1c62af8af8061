package io.sluice.it.nats;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.sluice.core.Broker;
import io.sluice.core.internal.BrokerOptions;
import io.sluice.core.internal.DefaultBroker;
import io.sluice.storage.memory.MemoryLogStore;
import io.sluice.transport.ProtocolContext;
import io.sluice.transport.ProtocolHandlers;
import io.sluice.transport.ProtocolPlugin;
import io.sluice.transport.ProtocolSettings;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Starts the NATS plug-in (found through {@link ServiceLoader}, as the server finds it) on a random loopback port
 * with two event loops, over an in-memory core broker. A stand-in until the test kit's extension starts the whole broker.
 */
final class NatsTestServer implements AutoCloseable {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final ProtocolHandlers handlers;
    private final Channel serverChannel;
    private final Broker broker;

    NatsTestServer(Map<String, String> settings) throws InterruptedException {
        ProtocolPlugin plugin = ServiceLoader.load(ProtocolPlugin.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("nats")).findFirst().orElseThrow();
        broker = DefaultBroker.start(BrokerOptions.of(new MemoryLogStore(), new MemoryLogStore()));
        ServerBootstrap bootstrap = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class);
        ProtocolHandlers[] holder = new ProtocolHandlers[1];
        bootstrap.childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                holder[0].initChannel(ch);
            }
        });
        serverChannel = bootstrap.bind("127.0.0.1", 0).sync().channel();
        int port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
        handlers = plugin.create(new ProtocolContext(broker, new ProtocolSettings(settings), "127.0.0.1", port,
                "127.0.0.1", port, new SimpleMeterRegistry()));
        holder[0] = handlers;
    }

    NatsTestServer() throws InterruptedException {
        this(Map.of());
    }

    int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    String url() {
        return "nats://127.0.0.1:" + port();
    }

    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        handlers.close();
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        broker.close();
    }
}
