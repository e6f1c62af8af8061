package io.sluice.storage.log;

import io.sluice.storage.record.Record;
import io.sluice.storage.record.RecordBatch;

import java.nio.ByteBuffer;

/** Small record-level look-ups on one stored batch, shared by the file and in-memory logs. */
public final class Batches {
    private Batches() {
    }

    /** The offset of the first record of {@code batch} with a timestamp at or after {@code timestamp}, or -1. */
    public static long firstOffsetAtOrAfter(ByteBuffer batch, long timestamp) {
        RecordBatch b = RecordBatch.wrap(batch.duplicate());
        if (b.maxTimestamp() < timestamp) {
            return -1;
        }
        for (Record r : b.records()) {
            if (r.timestamp() >= timestamp) {
                return r.offset();
            }
        }
        return -1;
    }

    /** The offset of the first record of {@code batch} carrying the batch's maximum timestamp. */
    public static long offsetOfMaxTimestamp(ByteBuffer batch) {
        RecordBatch b = RecordBatch.wrap(batch.duplicate());
        long max = b.maxTimestamp();
        for (Record r : b.records()) {
            if (r.timestamp() == max) {
                return r.offset();
            }
        }
        return b.lastOffset();
    }
}
