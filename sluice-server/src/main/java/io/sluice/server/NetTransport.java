package io.sluice.server;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;

import java.util.Locale;

/**
 * The network transport of the listeners ({@code io.transport}): Netty's native epoll on Linux, or the JDK's NIO.
 *
 * <p>Why epoll by default: a message at a low rate costs the event loop a wake-up, a read and a write or two, and
 * NIO's selector adds its own bookkeeping to each (selected-key sets, a synchronized wake-up); the native transport
 * goes straight to {@code epoll_wait}. In alternated harness runs core NATS at 5,000 msg/s cost 62–64 against 73–91 µs
 * of server CPU per message (docs/BENCHMARKS.md). Both carry the same channel pipeline, so the protocols do not know
 * which one runs.
 *
 * @param name           {@code epoll} or {@code nio}, as logged
 * @param ioHandlers     the event loops' I/O handler
 * @param serverChannel  the listening socket's channel class
 */
record NetTransport(String name, IoHandlerFactory ioHandlers, Class<? extends ServerChannel> serverChannel) {

    /** Picks the transport for an {@code io.transport} setting: {@code auto}, {@code epoll} or {@code nio}. */
    static NetTransport of(String setting) {
        String s = setting == null ? "auto" : setting.trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "nio" -> nio();
            case "epoll" -> {
                if (!Epoll.isAvailable()) {
                    throw new IllegalArgumentException("io.transport=epoll, but native epoll is not available here: "
                            + Epoll.unavailabilityCause());
                }
                yield epoll();
            }
            case "auto" -> Epoll.isAvailable() ? epoll() : nio();
            default -> throw new IllegalArgumentException("io.transport must be auto, epoll or nio, got '" + setting + "'");
        };
    }

    private static NetTransport epoll() {
        return new NetTransport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class);
    }

    private static NetTransport nio() {
        return new NetTransport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class);
    }
}
