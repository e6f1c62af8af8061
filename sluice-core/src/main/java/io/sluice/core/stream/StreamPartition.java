package io.sluice.core.stream;

import io.sluice.core.Message;
import io.sluice.storage.AppendOptions;
import io.sluice.storage.LogReadResult;
import io.sluice.storage.LogStats;
import io.sluice.storage.TimestampOffset;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;

/**
 * One partition of a stream: the append and read path for adapters. Obtained from
 * {@link StreamService#partition}; cheap to keep for the life of a connection, but it fails with
 * {@code STREAM_NOT_FOUND} once its stream is deleted.
 *
 * <p>Thread-safe. Appends complete on a storage thread (hop to your own event loop before touching connection state).
 * {@link #read} does not block on disk I/O beyond an index lookup: it returns a file range that the adapter sends
 * (zero-copy) or copies.
 */
public interface StreamPartition {

    String stream();

    UUID streamId();

    int partition();

    /** Appends record batches as a Kafka producer sent them (offsets assigned, producer state checked). */
    CompletableFuture<AppendResult> append(ByteBuffer batches, AppendOptions options);

    /** Appends messages as one batch (non-Kafka publishers). */
    CompletableFuture<AppendResult> publish(List<Message> messages);

    /** Whole batches from {@code offset}, limited by {@code maxBytes} (at least one batch) and the isolation level. */
    LogReadResult read(long offset, int maxBytes, Isolation isolation);

    long logStartOffset();

    long highWatermark();

    long lastStableOffset();

    long logEndOffset();

    Optional<TimestampOffset> offsetForTimestamp(long timestamp);

    Optional<TimestampOffset> maxTimestamp();

    /** Called on a storage thread each time the high watermark advances; close the handle to stop. */
    AutoCloseable onHighWatermark(LongConsumer listener);

    /**
     * Completes when the high watermark passes {@code offset} or after {@code timeoutMs}, whichever is first (always
     * normally; the caller re-reads). The long-poll primitive for Kafka fetch, XREAD BLOCK and pull consumers.
     */
    CompletableFuture<Void> awaitBeyond(long offset, long timeoutMs);

    CompletableFuture<Long> deleteRecordsBefore(long offset);

    /** Size figures of the partition's log (bytes, segments, start and end offsets), for metrics and admin calls. */
    LogStats stats();
}
