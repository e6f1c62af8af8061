package io.sluice.core.internal;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The broker's metadata as records in a compacted internal log: streams, queues, exchanges, bindings, groups,
 * key-value state. Each record is (type, key) → JSON bytes; a null value deletes. Compaction keeps the newest
 * record per key, so the log is its own snapshot and start-up replays only live definitions.
 *
 * <p>Thread-safe. {@link #put} completes once the record is durable; the in-memory view is updated before that.
 */
public interface MetadataLog {

    CompletableFuture<Void> put(String type, String key, byte[] value);

    /** Live records of one type, as replayed at start-up plus everything put since. */
    Map<String, byte[]> all(String type);
}
