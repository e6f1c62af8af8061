package io.sluice.core.connection;

import io.sluice.core.Scope;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The broker's handle on one open client connection: the transport counts bytes and errors into it, the protocol
 * adapter tells who the client is once it knows. Obtained from {@link ConnectionRegistry#open}; removed from the
 * registry by {@link #closed()}.
 *
 * <p>Thread-safe: counters are atomics (bytes are counted on the connection's event loop, messages may be counted on
 * delivering threads) and descriptive fields are volatile, each written by the adapter at most a few times. Every
 * count also goes to the protocol's totals, which back the per-protocol meters.
 */
public final class Connection {
    private final long id;
    private final String protocol;
    private final String remoteAddress;
    private final String localAddress;
    private final long connectedAtMs;
    private final ConnectionRegistry registry;
    private final ConnectionRegistry.ProtocolTotals totals;
    private final Runnable closer;
    private final AtomicLong receivedBytes = new AtomicLong();
    private final AtomicLong sentBytes = new AtomicLong();
    private final AtomicLong receivedMessages = new AtomicLong();
    private final AtomicLong sentMessages = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile String user;
    private volatile String tenant;
    private volatile String namespace;
    private volatile String clientName;
    private volatile String clientId;
    /** The last exception counted, so one reported by two handlers counts once. */
    private volatile Throwable lastError;

    Connection(long id, String protocol, String remoteAddress, String localAddress, long connectedAtMs,
               ConnectionRegistry registry, ConnectionRegistry.ProtocolTotals totals, Runnable closer) {
        this.id = id;
        this.protocol = protocol;
        this.remoteAddress = remoteAddress;
        this.localAddress = localAddress;
        this.connectedAtMs = connectedAtMs;
        this.registry = registry;
        this.totals = totals;
        this.closer = closer;
    }

    /**
     * A handle that belongs to no registry: it counts, and nobody sees the counts. For connections the server did
     * not accept (codec tests on an embedded channel), so adapters never need a null check.
     */
    public static Connection detached(String protocol) {
        return new Connection(0, protocol, null, null, 0, null, new ConnectionRegistry.ProtocolTotals(), () -> {
        });
    }

    public long id() {
        return id;
    }

    public String protocol() {
        return protocol;
    }

    /** The authenticated user (SASL, AMQP start-ok, NATS CONNECT, Redis AUTH). */
    public Connection user(String user) {
        this.user = user;
        return this;
    }

    /** The tenant and namespace the client works in (AMQP: the virtual host opened). */
    public Connection scope(Scope scope) {
        this.tenant = scope.tenant();
        this.namespace = scope.namespace();
        return this;
    }

    /** The name the client gave itself. */
    public Connection clientName(String name) {
        this.clientName = name;
        return this;
    }

    /** The client id the protocol carries (Kafka's {@code client.id}); cheap to call on every request. */
    public Connection clientId(String id) {
        if (id != null && !id.equals(this.clientId)) {
            this.clientId = id;
        }
        return this;
    }

    public void bytesReceived(long n) {
        receivedBytes.addAndGet(n);
        totals.receivedBytes.add(n);
    }

    public void bytesSent(long n) {
        sentBytes.addAndGet(n);
        totals.sentBytes.add(n);
    }

    public void messagesReceived(long n) {
        receivedMessages.addAndGet(n);
        totals.receivedMessages.add(n);
    }

    public void messagesSent(long n) {
        sentMessages.addAndGet(n);
        totals.sentMessages.add(n);
    }

    /**
     * Counts an exception raised on the connection. The same exception is counted once even when it is reported
     * twice (by the transport, which sees socket errors first, and again by the adapter's handler that consumes it).
     */
    public void error(Throwable cause) {
        if (cause != null && cause == lastError) {
            return;
        }
        lastError = cause;
        errors.incrementAndGet();
        totals.errors.increment();
    }

    /** Asks the transport to close the socket; {@link #closed()} follows once it is closed. */
    void close() {
        closer.run();
    }

    /** The socket is closed: the connection leaves the registry. Idempotent. */
    public void closed() {
        if (registry != null) {
            registry.remove(this);
        }
    }

    public ConnectionInfo info() {
        return new ConnectionInfo(id, protocol, remoteAddress, localAddress, user, tenant, namespace, clientName,
                clientId, connectedAtMs, receivedBytes.get(), sentBytes.get(), receivedMessages.get(),
                sentMessages.get(), errors.get());
    }

    @Override
    public String toString() {
        return protocol + " connection " + id + " from " + remoteAddress;
    }
}
