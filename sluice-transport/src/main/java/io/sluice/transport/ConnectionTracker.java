package io.sluice.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import io.netty.util.AttributeKey;
import io.sluice.core.connection.Connection;
import io.sluice.core.connection.ConnectionRegistry;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Registers every accepted connection of one listener in the broker's {@link ConnectionRegistry} and counts its
 * traffic, whatever the protocol: the server installs it at the head of each channel's pipeline after the plug-in
 * built the rest, so it sees the raw bytes read from and written to the socket and the I/O errors the socket
 * raises, and no adapter has to count anything itself. Adapters reach the channel's {@link Connection} through
 * {@link ProtocolContext#connection(Channel)} to tell who the client is, and to count errors their own handlers
 * consume (an exception thrown inside a decoder travels towards the tail, never through this handler).
 *
 * <p>Sharable: one instance per listener; per-connection state lives in the {@link Connection} attached to the
 * channel. Counting runs on the channel's event loop; writes are counted when they are issued, so bytes of a write
 * that later fails are counted too.
 */
@ChannelHandler.Sharable
public final class ConnectionTracker extends ChannelDuplexHandler {
    /** Name of the handler in every tracked pipeline. */
    public static final String HANDLER_NAME = "sluice-connection";
    static final AttributeKey<Connection> CONNECTION = AttributeKey.valueOf("sluice.connection");

    private final ConnectionRegistry registry;
    private final String protocol;

    /** Registers the protocol's meters at once, so they read 0 before the first client connects. */
    public ConnectionTracker(ConnectionRegistry registry, String protocol) {
        this.registry = registry;
        this.protocol = protocol;
        registry.protocol(protocol);
    }

    /**
     * Registers {@code channel} and puts this handler first in its pipeline. Call once, after the plug-in's
     * {@link ProtocolHandlers#initChannel}; the connection leaves the registry when the channel closes.
     */
    public void install(Channel channel) {
        Connection c = registry.open(protocol, address(channel.remoteAddress()), address(channel.localAddress()),
                channel::close);
        channel.attr(CONNECTION).set(c);
        channel.closeFuture().addListener(f -> c.closed());
        channel.pipeline().addFirst(HANDLER_NAME, this);
    }

    /** The connection registered for {@code channel}, or a detached one if the channel is not tracked. */
    static Connection of(Channel channel) {
        Connection c = channel.attr(CONNECTION).get();
        if (c == null) {
            c = Connection.detached("untracked");
            Connection raced = channel.attr(CONNECTION).setIfAbsent(c);
            return raced == null ? c : raced;
        }
        return c;
    }

    private static String address(SocketAddress a) {
        if (a instanceof InetSocketAddress i) {
            String host = i.getAddress() == null ? i.getHostString() : i.getAddress().getHostAddress();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + i.getPort();
        }
        return a == null ? null : a.toString();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf b) {
            of(ctx.channel()).bytesReceived(b.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        long n = switch (msg) {
            case ByteBuf b -> b.readableBytes();
            case ByteBufHolder h -> h.content().readableBytes();
            case FileRegion r -> r.count() - r.transferred();
            default -> 0;
        };
        if (n > 0) {
            of(ctx.channel()).bytesSent(n);
        }
        ctx.write(msg, promise);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        of(ctx.channel()).error(cause);
        ctx.fireExceptionCaught(cause);
    }
}
