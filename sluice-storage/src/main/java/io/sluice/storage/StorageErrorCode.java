package io.sluice.storage;

/** Why the storage layer refused an operation. Adapters map each to their protocol's own error. */
public enum StorageErrorCode {
    /** A batch's CRC does not match, its framing is inconsistent, or its magic is not 2. */
    CORRUPT_BATCH,
    /** A batch is larger than {@link LogConfig#maxBatchBytes()}. */
    BATCH_TOO_LARGE,
    /** An idempotent producer's sequence skipped ahead (a batch in between was lost). */
    OUT_OF_ORDER_SEQUENCE,
    /** The producer's epoch is older than the one the log has seen: a newer instance fenced it. */
    PRODUCER_FENCED,
    /** A producer id the log has no state for sent a non-zero sequence (its state expired). */
    UNKNOWN_PRODUCER_ID,
    /** A transactional batch arrived without the transactional bit matching the producer's open transaction. */
    INVALID_TXN_STATE,
    /** The offset asked for is below the log start or beyond the log end. */
    OFFSET_OUT_OF_RANGE,
    /** The partition was taken offline (a corrupt segment in the middle of the log) or the log is closed. */
    LOG_OFFLINE,
    /** Writing or syncing failed at the operating-system level. */
    IO_ERROR
}
