package io.sluice.core.stream;

import io.sluice.core.CallContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Streams: partitioned, durable logs with offsets, replay and retention (Kafka topics, Redis streams, JetStream
 * streams, AMQP stream queues). Metadata changes are written to the metadata log before their future completes.
 */
public interface StreamService {

    /** Creates a stream; fails with {@code STREAM_EXISTS} if the name is taken in the scope. */
    CompletableFuture<StreamInfo> create(CallContext ctx, StreamSpec spec);

    /** Deletes a stream and its data; fails with {@code STREAM_NOT_FOUND}. */
    CompletableFuture<Void> delete(CallContext ctx, String name);

    Optional<StreamInfo> describe(CallContext ctx, String name);

    /** Streams of the caller's scope (queue logs excluded unless {@code includeQueues}). */
    List<StreamInfo> list(CallContext ctx, boolean includeQueues);

    /** Grows a stream to {@code totalPartitions}; shrinking is refused with {@code INVALID_ARGUMENT}. */
    CompletableFuture<StreamInfo> createPartitions(CallContext ctx, String name, int totalPartitions);

    /** Sets and removes config keys atomically (Kafka IncrementalAlterConfigs). */
    CompletableFuture<StreamInfo> alterConfig(CallContext ctx, String name, Map<String, String> set, Set<String> remove);

    /** Replaces the captured subjects (JetStream stream update); the caller checks overlaps. */
    CompletableFuture<StreamInfo> alterSubjects(CallContext ctx, String name, List<String> subjects);

    /** The partition handle; fails with {@code STREAM_NOT_FOUND} / {@code PARTITION_NOT_FOUND}. */
    StreamPartition partition(CallContext ctx, String name, int partition);

    /**
     * The stream whose captured subjects match {@code subject}, if any (NATS JetStream capture). Costs time in the
     * subject's tokens, not in the number of streams: it runs on every core NATS publish.
     */
    Optional<StreamInfo> streamForSubject(CallContext ctx, String subject);

    /** Kafka's default partitioner (murmur2 of the key) so all protocols place a key on the same partition. */
    static int partitionForKey(byte[] key, int partitions) {
        return (Murmur2.hash(key) & 0x7fffffff) % partitions;
    }
}
