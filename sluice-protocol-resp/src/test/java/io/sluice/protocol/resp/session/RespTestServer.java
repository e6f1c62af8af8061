package io.sluice.protocol.resp.session;

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

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A Redis listener on a random loopback port over an in-memory broker, for session tests: the same pipeline the
 * server builds, without the server module.
 */
final class RespTestServer implements AutoCloseable {

    final DefaultBroker broker;
    private final EventLoopGroup group;
    private final Channel server;
    private final RespHandlers handlers;

    RespTestServer() {
        this(null);
    }

    RespTestServer(String password) {
        broker = DefaultBroker.start(BrokerOptions.of(new MemoryLogStore(), new MemoryLogStore()));
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        handlers = new RespHandlers(broker, null, password, 1024 * 1024, 512L * 1024 * 1024);
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

    String uri() {
        return "redis://127.0.0.1:" + port();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        handlers.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        broker.close();
    }
}
