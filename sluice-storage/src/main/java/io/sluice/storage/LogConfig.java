package io.sluice.storage;

/**
 * Per-partition log settings. Immutable; a changed config is applied with {@link PartitionLog#updateConfig}.
 *
 * @param segmentBytes       roll to a new segment once the active one reaches this size
 * @param segmentMs          roll the active segment after this age even if it is small (retention needs closed segments)
 * @param indexIntervalBytes add a sparse offset/time index entry after this many bytes of batches
 * @param retentionMs        delete closed segments whose newest record is older than this; -1 keeps forever
 * @param retentionBytes     delete the oldest closed segments while the partition is larger than this; -1 = no limit
 * @param cleanupPolicy      delete, compact, or both
 * @param durability         when an append is acknowledged; see {@link Durability}
 * @param flushIntervalMs    in {@link Durability#OS_CACHE} mode, how often dirty data is fsynced
 * @param maxBatchBytes      largest record batch accepted (Kafka's {@code max.message.bytes})
 * @param timestampType      keep the producer's timestamps or overwrite them with the append time
 * @param deleteRetentionMs  how long a compacted tombstone is kept
 */
public record LogConfig(
        int segmentBytes,
        long segmentMs,
        int indexIntervalBytes,
        long retentionMs,
        long retentionBytes,
        CleanupPolicy cleanupPolicy,
        Durability durability,
        long flushIntervalMs,
        int maxBatchBytes,
        TimestampType timestampType,
        long deleteRetentionMs) {

    public static final int DEFAULT_SEGMENT_BYTES = 128 * 1024 * 1024;
    public static final long DEFAULT_SEGMENT_MS = 7L * 24 * 3600 * 1000;
    public static final int DEFAULT_INDEX_INTERVAL_BYTES = 4096;
    public static final long DEFAULT_RETENTION_MS = 7L * 24 * 3600 * 1000;
    public static final long DEFAULT_FLUSH_INTERVAL_MS = 1000;
    public static final int DEFAULT_MAX_BATCH_BYTES = 1024 * 1024 + 12;
    public static final long DEFAULT_DELETE_RETENTION_MS = 24L * 3600 * 1000;

    public static LogConfig defaults() {
        return new LogConfig(DEFAULT_SEGMENT_BYTES, DEFAULT_SEGMENT_MS, DEFAULT_INDEX_INTERVAL_BYTES,
                DEFAULT_RETENTION_MS, -1, CleanupPolicy.DELETE, Durability.FSYNC, DEFAULT_FLUSH_INTERVAL_MS,
                DEFAULT_MAX_BATCH_BYTES, TimestampType.CREATE_TIME, DEFAULT_DELETE_RETENTION_MS);
    }

    public LogConfig withSegmentBytes(int v) {
        return new LogConfig(v, segmentMs, indexIntervalBytes, retentionMs, retentionBytes, cleanupPolicy, durability,
                flushIntervalMs, maxBatchBytes, timestampType, deleteRetentionMs);
    }

    public LogConfig withRetention(long ms, long bytes) {
        return new LogConfig(segmentBytes, segmentMs, indexIntervalBytes, ms, bytes, cleanupPolicy, durability,
                flushIntervalMs, maxBatchBytes, timestampType, deleteRetentionMs);
    }

    public LogConfig withCleanupPolicy(CleanupPolicy v) {
        return new LogConfig(segmentBytes, segmentMs, indexIntervalBytes, retentionMs, retentionBytes, v, durability,
                flushIntervalMs, maxBatchBytes, timestampType, deleteRetentionMs);
    }

    public LogConfig withDurability(Durability v) {
        return new LogConfig(segmentBytes, segmentMs, indexIntervalBytes, retentionMs, retentionBytes, cleanupPolicy, v,
                flushIntervalMs, maxBatchBytes, timestampType, deleteRetentionMs);
    }

    public LogConfig withMaxBatchBytes(int v) {
        return new LogConfig(segmentBytes, segmentMs, indexIntervalBytes, retentionMs, retentionBytes, cleanupPolicy,
                durability, flushIntervalMs, v, timestampType, deleteRetentionMs);
    }

    public LogConfig withTimestampType(TimestampType v) {
        return new LogConfig(segmentBytes, segmentMs, indexIntervalBytes, retentionMs, retentionBytes, cleanupPolicy,
                durability, flushIntervalMs, maxBatchBytes, v, deleteRetentionMs);
    }
}
