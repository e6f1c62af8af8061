package io.sluice.bench.harness.driver;

/**
 * One protocol, spoken through its official client, in the shape every workload needs: create destinations, publish
 * durably with confirms, subscribe with manual acknowledgement from the start of each destination, clean up.
 *
 * <p>Lifecycle: {@link #setUp} once, then any number of publishers and subscribers, then {@link #tearDown} and
 * {@link #close}. A driver does not know which server it talks to: the same driver runs against Sluice and against
 * the real peer for the protocol, which is the point of the harness.
 */
public interface BrokerDriver extends AutoCloseable {
    /** The server's self-reported product and version when the protocol carries one, else null. */
    String serverVersion() throws Exception;

    /** Whether order per destination is part of this protocol's contract for the subscription we use. */
    default boolean ordered() {
        return true;
    }

    /** Whether messages are stored and can be read after they were published (R1 needs this). */
    default boolean stores() {
        return true;
    }

    void setUp(Topology topology) throws Exception;

    Publisher openPublisher() throws Exception;

    /**
     * A publisher for filling a backlog that is not itself the measured figure (R1's prefill): up to {@code window}
     * unconfirmed messages and, where the client batches, batches sized for bulk loading. Acknowledgement and
     * durability are those of {@link #openPublisher}; only the pipelining differs.
     */
    default Publisher openFillPublisher(int window) throws Exception {
        return openPublisher();
    }

    /**
     * Subscriber number {@code index} (0-based, less than {@link Topology#subscribers()}) reading every destination
     * from its start, on its own connection.
     */
    Subscriber subscribe(int index, Sink sink) throws Exception;

    /** Deletes what {@link #setUp} created; best effort, never throws. */
    void tearDown();

    @Override
    void close() throws Exception;
}
