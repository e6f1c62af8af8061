package io.sluice.storage;

import java.util.Collection;
import java.util.Optional;

/**
 * All partition logs of one node. Two implementations share one contract test suite: {@code FileLogStore}
 * (segment files under a data directory, recovered at open) and {@code MemoryLogStore} (for tests and transient
 * data).
 *
 * <p>Thread-safe. {@link #open} of an existing log returns the same instance.
 */
public interface LogStore extends AutoCloseable {

    /** Opens (creating it if needed) the log with this id; an existing log keeps its data and takes the new config. */
    PartitionLog open(LogId id, LogConfig config);

    Optional<PartitionLog> get(LogId id);

    /** Closes and deletes a log and all its files. */
    void delete(LogId id);

    /** The logs that exist, including those found on disk at start-up that nobody has opened yet. */
    Collection<LogId> list();

    /** Closes every log cleanly (flush, checkpoint). */
    @Override
    void close();
}
