package io.sluice.storage;

import java.util.List;

/**
 * Batches read from a partition plus the partition's offsets at the time of the read.
 *
 * @param records             whole batches starting at the batch containing the requested offset; may be empty
 * @param highWatermark       first offset not yet readable (in {@link Durability#FSYNC} mode, not yet fsynced)
 * @param lastStableOffset    first offset of the oldest open transaction, or the high watermark if none is open
 * @param logStartOffset      first offset still in the log
 * @param abortedTransactions aborted transactions overlapping the returned range (for read_committed readers)
 */
public record LogReadResult(LogSlice records, long highWatermark, long lastStableOffset, long logStartOffset,
                            List<AbortedTxn> abortedTransactions) {

    /** An aborted transaction: its producer and the offset of its first batch. */
    public record AbortedTxn(long producerId, long firstOffset) {
    }
}
