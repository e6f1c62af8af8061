package io.sluice.transport;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.core.Broker;

/**
 * What a protocol plugin gets from the server.
 *
 * @param broker     the core API, the only way into streams, queues and routing
 * @param settings   this protocol's configuration (keys without the {@code <protocol>.} prefix)
 * @param bindHost   the address the listener is bound to
 * @param port       the port actually bound (resolved when 0 was asked for)
 * @param advertisedHost host clients are told to connect to (Kafka metadata, NATS INFO)
 * @param advertisedPort port clients are told to connect to
 * @param meters     registry for the protocol's connection and byte counters
 */
public record ProtocolContext(Broker broker, ProtocolSettings settings, String bindHost, int port,
                              String advertisedHost, int advertisedPort, MeterRegistry meters) {
}
