package io.sluice.core.connection;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every open client connection of the broker, whatever its protocol, and the per-protocol connection meters. The
 * transport registers each accepted socket ({@link #open}) and unregisters it when the socket closes
 * ({@link Connection#closed()}); the admin API lists and closes them.
 *
 * <p>Meters, one series per protocol (never per connection, to bound cardinality), registered when a protocol's
 * listener starts ({@link #protocol}) so they read 0 before the first client: {@code sluice.connections} (open),
 * {@code sluice.connections.opened}, {@code sluice.connections.closed}, {@code sluice.connection.received.bytes},
 * {@code sluice.connection.sent.bytes}, {@code sluice.connection.received.messages},
 * {@code sluice.connection.sent.messages}, {@code sluice.connection.errors}; docs/OPERATIONS.md lists their
 * Prometheus names. Counters are {@link LongAdder}s read by function counters, so counting costs one uncontended add.
 *
 * <p>Thread-safe.
 */
public final class ConnectionRegistry {
    private static final Logger log = LoggerFactory.getLogger(ConnectionRegistry.class);

    /** A protocol's running totals, behind its meters. */
    static final class ProtocolTotals {
        final AtomicLong open = new AtomicLong();
        final LongAdder opened = new LongAdder();
        final LongAdder closed = new LongAdder();
        final LongAdder receivedBytes = new LongAdder();
        final LongAdder sentBytes = new LongAdder();
        final LongAdder receivedMessages = new LongAdder();
        final LongAdder sentMessages = new LongAdder();
        final LongAdder errors = new LongAdder();
    }

    private final Clock clock;
    private final MeterRegistry meters;
    private final AtomicLong ids = new AtomicLong();
    private final ConcurrentHashMap<Long, Connection> open = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ProtocolTotals> totals = new ConcurrentHashMap<>();

    public ConnectionRegistry(Clock clock, MeterRegistry meters) {
        this.clock = clock;
        this.meters = meters;
    }

    /** Registers the meters of {@code protocol} (idempotent); the transport calls it when the listener starts. */
    public void protocol(String protocol) {
        totals(protocol);
    }

    private ProtocolTotals totals(String protocol) {
        ProtocolTotals t = totals.get(protocol);
        if (t != null) {
            return t;
        }
        return totals.computeIfAbsent(protocol, p -> register(p, new ProtocolTotals()));
    }

    private ProtocolTotals register(String protocol, ProtocolTotals t) {
        Gauge.builder("sluice.connections", t.open, AtomicLong::get).tag("protocol", protocol)
                .description("Open client connections").register(meters);
        counter("sluice.connections.opened", protocol, t.opened, null, "Client connections accepted");
        counter("sluice.connections.closed", protocol, t.closed, null, "Client connections closed");
        counter("sluice.connection.received.bytes", protocol, t.receivedBytes, "bytes", "Bytes read from clients");
        counter("sluice.connection.sent.bytes", protocol, t.sentBytes, "bytes", "Bytes written to clients");
        counter("sluice.connection.received.messages", protocol, t.receivedMessages, null,
                "Messages published by clients (protocols that count them)");
        counter("sluice.connection.sent.messages", protocol, t.sentMessages, null,
                "Messages delivered to clients (protocols that count them)");
        counter("sluice.connection.errors", protocol, t.errors, null, "Exceptions raised on client connections");
        return t;
    }

    private void counter(String name, String protocol, LongAdder value, String unit, String help) {
        FunctionCounter.builder(name, value, LongAdder::sum).tag("protocol", protocol).baseUnit(unit)
                .description(help).register(meters);
    }

    /**
     * Registers a newly accepted connection.
     *
     * @param closer closes the socket when an operator asks ({@link #close}); must be thread-safe and non-blocking
     */
    public Connection open(String protocol, String remoteAddress, String localAddress, Runnable closer) {
        ProtocolTotals t = totals(protocol);
        Connection c = new Connection(ids.incrementAndGet(), protocol, remoteAddress, localAddress, clock.millis(),
                this, t, closer);
        open.put(c.id(), c);
        t.open.incrementAndGet();
        t.opened.increment();
        return c;
    }

    void remove(Connection c) {
        if (open.remove(c.id(), c)) {
            ProtocolTotals t = totals(c.protocol());
            t.open.decrementAndGet();
            t.closed.increment();
        }
    }

    /** Open connections, oldest first. */
    public List<ConnectionInfo> list() {
        return open.values().stream().map(Connection::info).sorted(Comparator.comparingLong(ConnectionInfo::id))
                .toList();
    }

    /** Open connections of one protocol, oldest first. */
    public List<ConnectionInfo> list(String protocol) {
        return list().stream().filter(i -> i.protocol().equals(protocol)).toList();
    }

    public Optional<ConnectionInfo> find(long id) {
        return Optional.ofNullable(open.get(id)).map(Connection::info);
    }

    /** Open connections of {@code protocol}. */
    public long count(String protocol) {
        ProtocolTotals t = totals.get(protocol);
        return t == null ? 0 : t.open.get();
    }

    /**
     * Closes a connection as an operator asked: the socket is closed without a protocol goodbye (as when the
     * client's network fails), so clients see a dropped connection and reconnect if they are configured to.
     * Returns false if no such connection is open. The connection leaves the registry once its socket is closed.
     */
    public boolean close(long id) {
        Connection c = open.get(id);
        if (c == null) {
            return false;
        }
        log.info("closing {} on request", c);
        c.close();
        return true;
    }
}
