package io.sluice.core;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.core.connection.ConnectionRegistry;
import io.sluice.core.kv.KeyValueStore;
import io.sluice.core.offset.GroupOffsetService;
import io.sluice.core.pubsub.PubSub;
import io.sluice.core.queue.GroupService;
import io.sluice.core.queue.QueueService;
import io.sluice.core.route.ExchangeService;
import io.sluice.core.stream.StreamService;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The core API every protocol adapter calls: protocol-neutral and asynchronous. Nothing here knows a wire protocol
 * or a transport; adapters translate their frames into these calls and the results back into frames.
 *
 * <p>Every method is thread-safe and non-blocking: it returns a future or reads in-memory state. Futures complete on
 * core or storage threads, so adapters hop back to their own event loop before touching connection state.
 */
public interface Broker extends AutoCloseable {

    /** Partitioned logs: create, append, read, long-poll. */
    StreamService streams();

    /** Queues with per-message acknowledgement, TTL, limits, priorities and dead-lettering. */
    QueueService queues();

    /** Delivery groups over streams (Redis consumer groups, JetStream consumers, share groups). */
    GroupService groups();

    /** Exchanges, bindings and routing. */
    ExchangeService exchanges();

    /** Transient subject publish/subscribe. */
    PubSub pubsub();

    /** Consumer-group offsets. */
    GroupOffsetService offsets();

    /** Durable protocol state. */
    KeyValueStore kv();

    /** A broker-unique producer id for idempotent/transactional producers (never reused, survives restart). */
    CompletableFuture<Long> nextProducerId();

    /** Memory and disk alarms: publishers are blocked while one is raised. */
    ResourceAlarms alarms();

    /**
     * Every open client connection of every protocol, registered by the transport; listed and closed by the admin
     * API. Decorators and test doubles that accept no connections need not provide one.
     */
    default ConnectionRegistry connections() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " keeps no connection registry");
    }

    /** The broker clock (a manual clock in tests). */
    Clock clock();

    MeterRegistry meters();

    /**
     * A small pool for adapter work that may block on disk, such as copying a log range into memory for a stream
     * consumer. Never for core state (that is the services' own executors) and never for an event loop's work: hop
     * back to the loop with the result. Stopped when the broker closes.
     */
    Executor blockingExecutor();

    /** A stable id of this node (cluster id for Kafka metadata). */
    String clusterId();

    int nodeId();

    @Override
    void close();
}
