package io.sluice.core.offset;

/**
 * A consumer group's committed position in one partition.
 *
 * @param offset          next offset the group will read
 * @param leaderEpoch     Kafka leader epoch of the committed record, or -1
 * @param metadata        client-supplied metadata string (may be empty)
 * @param commitTimestamp when it was committed, ms
 */
public record CommittedOffset(long offset, int leaderEpoch, String metadata, long commitTimestamp) {
}
