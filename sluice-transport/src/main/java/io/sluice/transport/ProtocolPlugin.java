package io.sluice.transport;

/**
 * A wire protocol that the server can listen for. Each protocol module registers one implementation in
 * {@code META-INF/services/io.sluice.transport.ProtocolPlugin}; the server finds them with {@link java.util.ServiceLoader},
 * binds one listener per enabled plugin, and hands every accepted connection to {@link ProtocolHandlers#initChannel}.
 *
 * <p>The server owns sockets, event loops and lifecycle; the plugin owns everything from the first byte decoded to
 * the last byte encoded, and talks to the broker only through {@link io.sluice.core.Broker}.
 */
public interface ProtocolPlugin {

    /** Lower-case name used in configuration keys and environment variables: {@code kafka}, {@code amqp}, ... */
    String name();

    /** The protocol's standard port (Kafka 9092, AMQP 5672, NATS 4222, Redis 6379). */
    int defaultPort();

    /** Called once per listener, before it accepts connections. */
    ProtocolHandlers create(ProtocolContext context);
}
