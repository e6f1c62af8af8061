package io.sluice.protocol.kafka;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.sluice.core.internal.BrokerOptions;
import io.sluice.core.internal.DefaultBroker;
import io.sluice.storage.log.FileLogStore;
import io.sluice.storage.memory.MemoryLogStore;
import io.sluice.transport.ProtocolContext;
import io.sluice.transport.ProtocolSettings;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Test support: a core broker over a file log store in a temporary folder, with the Kafka plugin on a random
 * loopback port, as the server would wire it (until the test kit's embedded server is used instead).
 */
public final class KafkaTestBroker implements AutoCloseable {

    private final DefaultBroker broker;
    private final EventLoopGroup group;
    private final Channel server;
    private final KafkaListener listener;

    public KafkaTestBroker(Path dataDir, Map<String, String> settings) {
        this.broker = DefaultBroker.start(BrokerOptions.of(FileLogStore.open(dataDir, FileLogStore.Options.defaults()),
                new MemoryLogStore()));
        this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        Map<String, String> s = new HashMap<>(Map.of(KafkaConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, "100"));
        s.putAll(settings);
        KafkaListener[] holder = new KafkaListener[1];
        ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        holder[0].initChannel(ch);
                    }
                });
        this.server = b.bind("127.0.0.1", 0).syncUninterruptibly().channel();
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        this.listener = new KafkaListener(new ProtocolContext(broker, new ProtocolSettings(s), "127.0.0.1", port,
                "127.0.0.1", port, new SimpleMeterRegistry()));
        holder[0] = listener;
    }

    public String bootstrap() {
        return "127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort();
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    public DefaultBroker broker() {
        return broker;
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        listener.close();
        broker.close();
    }
}
