package io.sluice.storage;

/**
 * The outcome of an acknowledged append.
 *
 * @param firstOffset    offset given to the first record of the first batch
 * @param lastOffset     offset given to the last record of the last batch
 * @param logAppendTime  the broker time stamped on the batches when the log uses {@link TimestampType#LOG_APPEND_TIME},
 *                       otherwise -1
 * @param logStartOffset the log start offset after the append
 * @param duplicate      true when an idempotent producer resent batches the log already had: nothing was written and
 *                       the offsets are those of the original append
 * @param recordCount    number of records appended
 */
public record AppendInfo(long firstOffset, long lastOffset, long logAppendTime, long logStartOffset,
                         boolean duplicate, int recordCount) {
}
