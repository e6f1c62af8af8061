package io.sluice.core.offset;

import io.sluice.core.CallContext;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Consumer-group offsets (Kafka OffsetCommit/OffsetFetch, admin resets), kept in a compacted internal log and
 * replayed at start-up, so committed offsets survive restart. Group membership itself is protocol-specific and lives
 * in the adapters.
 */
public interface GroupOffsetService {

    /** Commits atomically; completes once durable. */
    CompletableFuture<Void> commit(CallContext ctx, String group, Map<PartitionKey, CommittedOffset> offsets);

    /** Committed offsets of {@code group}; {@code partitions} null = all. Missing partitions are absent. */
    Map<PartitionKey, CommittedOffset> fetch(CallContext ctx, String group, Collection<PartitionKey> partitions);

    /** Groups that have committed offsets in the scope. */
    Set<String> groups(CallContext ctx);

    /** Removes offsets (all of the group if {@code partitions} is null). */
    CompletableFuture<Void> delete(CallContext ctx, String group, Collection<PartitionKey> partitions);
}
