package io.sluice.storage;

/** The first record whose timestamp is at or after a requested time. */
public record TimestampOffset(long timestamp, long offset) {
}
