package io.sluice.core.stream;

import io.sluice.core.ErrorCode;
import io.sluice.core.SluiceException;
import io.sluice.storage.LogReadResult;
import io.sluice.storage.record.Record;
import io.sluice.storage.record.RecordBatch;
import io.sluice.storage.record.RecordBatches;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Predicate;

/**
 * Record-level reads of a partition for adapters that look inside records (Redis entry ids, JetStream subjects)
 * rather than sending batches on as they are: {@link #read} copies one read's worth of batches into memory and
 * {@link #scan} walks records forward from an offset. Both read uncommitted data (these protocols have no
 * transactions) up to the high watermark, and treat an offset that retention or truncation removed meanwhile as
 * the end of what there is to read. Run them off the event loop when the range may not be in the page cache.
 */
public final class StreamReads {

    private StreamReads() {
    }

    /**
     * One read from a partition: its batches (control batches included) and the high watermark the read saw.
     *
     * @param start the offset the read began at
     */
    public record Chunk(long start, Iterable<RecordBatch> batches, long highWatermark) {

        /**
         * Visits the chunk's records at or after {@code start} and below the high watermark, control batches left
         * out, until the visitor returns false.
         *
         * @return the offset after the chunk's last batch ({@code start} when the chunk is empty), or -1 if the
         *         visitor stopped the walk
         */
        public long forEachRecord(Predicate<Record> visitor) {
            long next = start;
            for (RecordBatch b : batches) {
                next = Math.max(next, b.nextOffset());
                if (b.isControl()) {
                    continue;
                }
                for (Record rec : b) {
                    if (rec.offset() >= start && rec.offset() < highWatermark && !visitor.test(rec)) {
                        return -1;
                    }
                }
            }
            return next;
        }
    }

    /**
     * The batches from {@code offset}, about {@code maxBytes} of them (at least one), copied into memory; null when
     * {@code offset} is no longer in the log.
     */
    public static Chunk read(StreamPartition p, long offset, int maxBytes) {
        LogReadResult r;
        try {
            r = p.read(offset, maxBytes, Isolation.READ_UNCOMMITTED);
        } catch (RuntimeException e) {
            // the log reports a removed offset as a storage error; seen through the core's codes it is this one
            SluiceException s = SluiceException.from(e);
            if (s.code() == ErrorCode.OFFSET_OUT_OF_RANGE) {
                return null;
            }
            throw s;
        }
        try {
            return new Chunk(offset, RecordBatches.iterate(r.records().toByteBuffer()), r.highWatermark());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Visits the records from {@code from} (or the log start, if later) up to the high watermark in offset order,
     * control batches left out, reading {@code maxBytes} at a time, until the visitor returns false.
     */
    public static void scan(StreamPartition p, long from, int maxBytes, Predicate<Record> visitor) {
        long start = Math.max(from, p.logStartOffset());
        while (start < p.highWatermark()) {
            Chunk c = read(p, start, maxBytes);
            long next = c == null ? -1 : c.forEachRecord(visitor);
            if (next <= start) {
                return; // stopped by the visitor, or nothing returned: the log moved under us
            }
            start = next;
        }
    }
}
