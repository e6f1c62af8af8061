package io.sluice.core.offset;

/** A stream partition named in offset commits. */
public record PartitionKey(String stream, int partition) {
}
