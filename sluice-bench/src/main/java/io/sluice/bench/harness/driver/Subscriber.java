package io.sluice.bench.harness.driver;

import java.time.Duration;

/** A running consumer that hands messages to a {@link Sink} and acknowledges them; stopped by {@link #close()}. */
public interface Subscriber extends AutoCloseable {
    /**
     * Blocks until the subscription is in place on the server (queue consumer registered, partitions assigned), so
     * a workload does not time the group join as if it were message transfer.
     */
    default void awaitReady(Duration timeout) throws Exception {
    }

    @Override
    void close() throws Exception;
}
