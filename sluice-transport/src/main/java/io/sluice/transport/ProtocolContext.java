package io.sluice.transport;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.sluice.core.Broker;
import io.sluice.core.connection.Connection;

/**
 * What a protocol plugin gets from the server.
 *
 * @param broker     the core API, the only way into streams, queues and routing
 * @param settings   this protocol's configuration (keys without the {@code <protocol>.} prefix)
 * @param bindHost   the address the listener is bound to
 * @param port       the port actually bound (resolved when 0 was asked for)
 * @param advertisedHost host clients are told to connect to (Kafka metadata, NATS INFO)
 * @param advertisedPort port clients are told to connect to
 * @param meters     registry for the protocol's own meters (connection counts and bytes are kept by the transport
 *                   for every protocol: see {@link ConnectionTracker})
 */
public record ProtocolContext(Broker broker, ProtocolSettings settings, String bindHost, int port,
                              String advertisedHost, int advertisedPort, MeterRegistry meters) {

    /**
     * The broker's record of the connection on {@code channel}, for an adapter to tell who the client is
     * ({@link Connection#user}, {@link Connection#clientName}, {@link Connection#scope}), to count messages, or to
     * count an error its own handler consumed ({@link Connection#error}). A channel the server did not accept (an
     * embedded channel in a codec test) gets a detached record, so callers need no null check. Thread-safe.
     */
    public static Connection connection(Channel channel) {
        return ConnectionTracker.of(channel);
    }
}
