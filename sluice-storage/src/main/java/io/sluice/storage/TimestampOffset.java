package io.sluice.storage;

/**
 * The first record whose timestamp is at or after a requested time (or the record with the largest timestamp).
 *
 * @param timestamp that record's own timestamp (not the requested time), as Kafka's ListOffsets answers
 * @param offset    that record's offset
 */
public record TimestampOffset(long timestamp, long offset) {
}
