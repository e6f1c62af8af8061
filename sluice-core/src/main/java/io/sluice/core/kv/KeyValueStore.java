package io.sluice.core.kv;

import io.sluice.core.CallContext;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Durable key-value records for protocol state that must survive restart and has no broker-wide model (Kafka
 * transactional ids and producer epochs, JetStream consumer configs, ...). Backed by a compacted internal log:
 * {@code space} separates the users; values are opaque bytes (JSON recommended, versioned by the writer).
 */
public interface KeyValueStore {

    /** Writes (or with a null value deletes) a key; completes once durable. */
    CompletableFuture<Void> put(CallContext ctx, String space, String key, byte[] value);

    Optional<byte[]> get(CallContext ctx, String space, String key);

    /** Every key of a space in the caller's scope. */
    Map<String, byte[]> scan(CallContext ctx, String space);
}
