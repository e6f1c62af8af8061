package io.sluice.core.stream;

/**
 * Where an acknowledged append landed.
 *
 * @param baseOffset     offset of the first record
 * @param lastOffset     offset of the last record
 * @param logAppendTime  broker timestamp when the stream uses LogAppendTime, else -1
 * @param logStartOffset the partition's first offset after the append
 * @param duplicate      an idempotent producer's retry: nothing new was written
 */
public record AppendResult(long baseOffset, long lastOffset, long logAppendTime, long logStartOffset,
                           boolean duplicate) {
}
