package io.sluice.protocol.amqp.session;

import com.rabbitmq.client.ConnectionFactory;
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
import io.sluice.storage.memory.MemoryLogStore;
import io.sluice.transport.ProtocolHandlers;

import java.net.InetSocketAddress;

/**
 * The real core broker (in-memory logs) behind this module's AMQP listener on a random loopback port, for tests that
 * talk to it with the RabbitMQ Java client. One event-loop thread; close it after use.
 */
final class AmqpTestServer implements AutoCloseable {

    final DefaultBroker broker;
    private final EventLoopGroup group;
    private final Channel server;
    private final ProtocolHandlers handlers;

    AmqpTestServer() {
        this(AmqpSessionConfig.defaults());
    }

    AmqpTestServer(AmqpSessionConfig config) {
        this(config, b -> b);
    }

    /** With {@code decorate} wrapping the broker the listener sees (to drive alarms, for instance). */
    AmqpTestServer(AmqpSessionConfig config, java.util.function.UnaryOperator<io.sluice.core.Broker> decorate) {
        broker = DefaultBroker.start(BrokerOptions.of(new MemoryLogStore(), new MemoryLogStore()));
        handlers = AmqpProtocolPlugin.handlers(decorate.apply(broker), config);
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
        f.setChannelRpcTimeout(5000);
        return f;
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        handlers.close();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        broker.close();
    }
}
