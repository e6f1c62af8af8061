package io.sluice.storage;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;

/**
 * One partition's append-only log: the append path every protocol writes through and the read path every consumer
 * reads from. Nothing outside storage assumes the log is local: a replicated implementation (Raft) can stand behind
 * this interface.
 *
 * <p><b>Threading.</b> All methods are thread-safe. Appends are serialized on the partition's single writer in the
 * order their calls returned; concurrent appends are written together and, in {@link Durability#FSYNC} mode,
 * covered by one {@code fsync} before any of them completes (group commit). Futures complete on a storage thread:
 * callers must not block in their continuations. Reads never block on appends.
 *
 * <p><b>Offsets.</b> The log assigns offsets: the base offset of each appended batch is overwritten, the batch's
 * records get consecutive offsets, and offsets are never reused, even after retention or truncation of records
 * that were never acknowledged.
 */
public interface PartitionLog extends AutoCloseable {

    LogId id();

    LogConfig config();

    void updateConfig(LogConfig config);

    /**
     * Appends one or more record batches (the record batch v2 format, see
     * {@link io.sluice.storage.record.RecordBatch}) concatenated in {@code batches}. Each batch is validated (magic,
     * CRC, size, framing) before anything is written; a failure fails the future with a {@link StorageException} and
     * writes nothing. With {@link AppendOptions#validateProducerState()}, idempotent batches are checked against the
     * producer's last five sequences: a duplicate completes with {@link AppendInfo#duplicate()} and writes nothing.
     *
     * @param batches the batches; the buffer's contents are copied or written before the future completes and the
     *                buffer is not retained after that
     */
    CompletableFuture<AppendInfo> append(ByteBuffer batches, AppendOptions options);

    /**
     * Reads whole batches starting at the batch that contains {@code offset}, up to {@code maxBytes} (but at least
     * one whole batch if the first is larger, so a reader always makes progress), never past {@code maxOffset}
     * (exclusive; pass {@link #highWatermark()} or {@link #lastStableOffset()}).
     *
     * @throws StorageException {@link StorageErrorCode#OFFSET_OUT_OF_RANGE} if offset is below the log start or
     *                          above the log end
     */
    LogReadResult read(long offset, int maxBytes, long maxOffset);

    /** First offset still held. */
    long logStartOffset();

    /** Offset the next appended record will get. */
    long logEndOffset();

    /** First offset not yet acknowledged as durable: readers see only offsets below it. */
    long highWatermark();

    /** First offset of the oldest open transaction, or {@link #highWatermark()} when none is open. */
    long lastStableOffset();

    /** The first record with timestamp {@code >= timestamp}, using the time index. */
    Optional<TimestampOffset> offsetForTimestamp(long timestamp);

    /** The largest timestamp in the log and its offset (Kafka's ListOffsets MAX_TIMESTAMP), if any record exists. */
    Optional<TimestampOffset> maxTimestamp();

    /**
     * Registers a listener called with the new high watermark each time it advances (used for long polls and push
     * delivery). The listener runs on a storage thread and must only hand off work.
     *
     * @return a handle that removes the listener when closed
     */
    AutoCloseable onHighWatermark(LongConsumer listener);

    /** Raises the log start offset (Kafka DeleteRecords); whole segments below it are deleted. */
    CompletableFuture<Long> deleteRecordsBefore(long offset);

    /** Removes every record (AMQP queue.purge on a queue log): the log start offset moves to the log end offset. */
    default CompletableFuture<Long> truncateAll() {
        return deleteRecordsBefore(logEndOffset());
    }

    LogStats stats();

    /** Whether the partition is serving; a partition with a corrupt segment in the middle is offline. */
    boolean isOnline();

    /** Flushes, writes a clean-shutdown checkpoint and closes files. */
    @Override
    void close();
}
