package io.sluice.core.stream;

/** Which records a reader may see: everything acknowledged, or only committed transactional data. */
public enum Isolation {
    /** Up to the high watermark, including records of open or aborted transactions. */
    READ_UNCOMMITTED,
    /** Up to the last stable offset; the reader filters aborted transactions with the list it is given. */
    READ_COMMITTED
}
