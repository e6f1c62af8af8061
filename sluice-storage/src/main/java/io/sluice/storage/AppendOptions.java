package io.sluice.storage;

/**
 * How one append is treated.
 *
 * @param validateProducerState check producer id / epoch / sequence of idempotent and transactional batches and
 *                              drop duplicates (answering with the original offsets); false for internal logs
 * @param coordinatorWrite      true for control batches written by the broker itself (transaction markers), which
 *                              skip the sequence check but still update the transaction state
 */
public record AppendOptions(boolean validateProducerState, boolean coordinatorWrite) {
    public static final AppendOptions CLIENT = new AppendOptions(true, false);
    public static final AppendOptions INTERNAL = new AppendOptions(false, false);
    public static final AppendOptions COORDINATOR = new AppendOptions(true, true);
}
