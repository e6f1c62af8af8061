package io.sluice.storage;

/** Size figures of one partition log, for metrics and describe calls. */
public record LogStats(long sizeInBytes, int segmentCount, long logStartOffset, long logEndOffset) {
}
