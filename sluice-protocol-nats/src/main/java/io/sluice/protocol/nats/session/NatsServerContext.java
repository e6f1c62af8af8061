package io.sluice.protocol.nats.session;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.core.Broker;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the connections of one NATS listener share: configuration, the core, the server identity and the JetStream
 * API. Thread-safe; lives as long as the listener.
 */
public final class NatsServerContext implements AutoCloseable {

    /**
     * The nats-server version announced in INFO. Clients switch features on it (jnats uses the 2.9 consumer-create
     * subjects from 2.9.0 on), so it names the server whose behaviour this adapter follows, not Sluice's version.
     */
    public static final String PROTOCOL_VERSION = "2.10.0";
    public static final String JS_API_PREFIX = "$JS.API.";

    private static final char[] ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

    private final NatsConfig config;
    private final Broker broker;
    private final String serverId;
    private final String advertisedHost;
    private final int advertisedPort;
    private final AtomicLong clientIds = new AtomicLong();
    private final NatsRouting routing;
    private final NatsJetStream jetStream;
    private final Metrics metrics;

    /**
     * The listener's own meter: slow consumers cut off. Open connections, bytes and messages in and out are counted
     * for every protocol by the transport's connection registry ({@code sluice_connections{protocol="nats"}} and the
     * {@code sluice_connection_*} counters); the session counts its messages into its connection's record.
     */
    static final class Metrics {
        final Counter slowConsumers;

        Metrics(MeterRegistry registry) {
            slowConsumers = Counter.builder("sluice.nats.slow.consumers")
                    .description("connections cut off for exceeding max_pending").register(registry);
        }
    }

    public NatsServerContext(NatsConfig config, Broker broker, String advertisedHost, int advertisedPort,
                             MeterRegistry meters) {
        this.config = config;
        this.metrics = new Metrics(meters);
        this.broker = broker;
        this.advertisedHost = advertisedHost;
        this.advertisedPort = advertisedPort;
        this.serverId = newServerId();
        this.jetStream = new NatsJetStream(broker, config.jetStream());
        this.routing = new NatsRouting(broker, jetStream);
    }

    /** nats-server ids are 56 upper-case base32 characters starting with N. */
    private static String newServerId() {
        SecureRandom random = new SecureRandom();
        StringBuilder sb = new StringBuilder("N");
        while (sb.length() < 56) {
            sb.append(ID_ALPHABET[random.nextInt(ID_ALPHABET.length)]);
        }
        return sb.toString();
    }

    public NatsConfig config() {
        return config;
    }

    public Broker broker() {
        return broker;
    }

    public String serverId() {
        return serverId;
    }

    public String advertisedHost() {
        return advertisedHost;
    }

    public int advertisedPort() {
        return advertisedPort;
    }

    long nextClientId() {
        return clientIds.incrementAndGet();
    }

    Metrics metrics() {
        return metrics;
    }

    NatsRouting routing() {
        return routing;
    }

    NatsJetStream jetStream() {
        return jetStream;
    }

    @Override
    public void close() {
        jetStream.close();
    }
}
