package io.sluice.storage.log;

import io.sluice.storage.LogId;

/**
 * Observes the file store's write path: each group-commit write and each fsync. The broker turns these calls into
 * metrics; storage itself depends on no metrics library, so the hook is a plain interface whose default methods do
 * nothing ({@link #NONE}).
 *
 * <p>Threading: called on the store's writer and syncer threads, in the middle of the append path, so an
 * implementation must be thread-safe, must not block and must not call back into the log. Exceptions it throws are
 * caught and logged, never fail an append.
 */
public interface LogWriteListener {

    /** Observes nothing. */
    LogWriteListener NONE = new LogWriteListener() {
    };

    /**
     * One writer turn wrote {@code records} records in {@code bytes} bytes of batches into one segment with one
     * gathering write (the group that one fsync will cover). Called on the log's writer thread.
     */
    default void groupWritten(LogId log, int records, long bytes) {
    }

    /**
     * One fsync of a log's active segment data took {@code nanos}: the group-commit sync of an
     * {@link io.sluice.storage.Durability#FSYNC FSYNC} log, or the periodic flush of an
     * {@link io.sluice.storage.Durability#OS_CACHE OS_CACHE} log. Called on a syncer thread.
     */
    default void synced(LogId log, long nanos) {
    }
}
