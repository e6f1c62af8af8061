package io.sluice.storage.log;

import io.sluice.storage.TimestampOffset;
import io.sluice.storage.record.Record;
import io.sluice.storage.record.RecordBatch;

import java.nio.ByteBuffer;

/** Small record-level look-ups on one stored batch, shared by the file and in-memory logs. */
public final class Batches {
    private Batches() {
    }

    /**
     * The first record of {@code batch} at or after {@code minOffset} with a timestamp at or after
     * {@code timestamp}, as (its timestamp, its offset) the way Kafka's ListOffsets answers, or null.
     */
    public static TimestampOffset firstAtOrAfter(ByteBuffer batch, long timestamp, long minOffset) {
        RecordBatch b = RecordBatch.wrap(batch.duplicate());
        if (b.maxTimestamp() < timestamp) {
            return null;
        }
        for (Record r : b.records()) {
            if (r.timestamp() >= timestamp && r.offset() >= minOffset) {
                return new TimestampOffset(r.timestamp(), r.offset());
            }
        }
        return null;
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
