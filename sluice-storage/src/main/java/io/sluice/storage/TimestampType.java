package io.sluice.storage;

/** Which timestamp a record carries: the producer's, or the broker's at append (bit 3 of the batch attributes). */
public enum TimestampType {
    CREATE_TIME,
    LOG_APPEND_TIME
}
