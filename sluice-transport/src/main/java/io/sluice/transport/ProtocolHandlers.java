package io.sluice.transport;

import io.netty.channel.socket.SocketChannel;

/**
 * Builds the pipeline of each accepted connection for one protocol listener. Lives as long as the listener.
 */
public interface ProtocolHandlers extends AutoCloseable {

    /** Adds the protocol's decoder, encoder and session handlers to a newly accepted channel. */
    void initChannel(SocketChannel channel);

    /** Called when the listener stops: release timers and shared state. */
    @Override
    default void close() {
    }
}
