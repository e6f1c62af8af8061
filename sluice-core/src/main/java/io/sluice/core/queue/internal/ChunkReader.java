package io.sluice.core.queue.internal;

import io.sluice.core.ErrorCode;
import io.sluice.core.SluiceException;
import io.sluice.core.stream.Isolation;
import io.sluice.core.stream.StreamPartition;
import io.sluice.storage.LogReadResult;
import io.sluice.storage.StorageErrorCode;
import io.sluice.storage.StorageException;
import io.sluice.storage.record.Record;
import io.sluice.storage.record.RecordBatch;
import io.sluice.storage.record.RecordBatches;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a delivery group's log a chunk ahead and keeps the decoded records of the last chunk, so sequential delivery
 * reads the log once per chunk rather than once per message. Control batches (transaction markers) are skipped.
 * Records share the chunk's buffer: a message's bytes are copied once, when it is turned into a {@code Message}.
 *
 * <p>Not thread-safe: owned by one delivery group's executor.
 */
final class ChunkReader {
    static final int CHUNK_BYTES = 256 * 1024;

    private final StreamPartition partition;
    private long from = -1;
    private long to = -1;
    private List<Record> records = List.of();

    ChunkReader(StreamPartition partition) {
        this.partition = partition;
    }

    /** The record at exactly {@code offset}, or null if it is gone (retention, purge) or never existed. */
    Record at(long offset) {
        if (offset < from || offset >= to) {
            if (!load(offset)) {
                return null;
            }
        }
        int i = search(offset);
        return i < records.size() && records.get(i).offset() == offset ? records.get(i) : null;
    }

    /** The first record at or after {@code offset} and below the high watermark, or null if there is none yet. */
    Record atOrAfter(long offset) {
        long at = Math.max(offset, partition.logStartOffset());
        while (at < partition.highWatermark()) {
            if (at < from || at >= to) {
                if (!load(at)) {
                    return null;
                }
            }
            int i = search(at);
            if (i < records.size()) {
                return records.get(i);
            }
            if (to <= at) {
                return null;
            }
            at = to;
        }
        return null;
    }

    /** Loads the chunk starting at {@code offset}; returns its records (those at or after {@code offset}). */
    List<Record> chunkFrom(long offset) {
        if (offset < from || offset >= to) {
            if (!load(offset)) {
                return List.of();
            }
        }
        int i = search(offset);
        return records.subList(i, records.size());
    }

    /** First offset after the loaded chunk (the next read position), or -1 if nothing is loaded. */
    long chunkEnd() {
        return to;
    }

    /** Takes over the chunk another reader holds (the indexer hands its newest chunk to the deliverer). */
    void adopt(ChunkReader other) {
        if (other.to > other.from && other.from >= 0) {
            from = other.from;
            to = other.to;
            records = other.records;
        }
    }

    void invalidate() {
        from = -1;
        to = -1;
        records = List.of();
    }

    private int search(long offset) {
        int lo = 0;
        int hi = records.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (records.get(mid).offset() < offset) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private boolean load(long offset) {
        invalidate();
        if (offset < partition.logStartOffset() || offset >= partition.highWatermark()) {
            return false;
        }
        LogReadResult r;
        ByteBuffer buf;
        try {
            r = partition.read(offset, CHUNK_BYTES, Isolation.READ_UNCOMMITTED);
            buf = r.records().toByteBuffer();
        } catch (StorageException e) {
            if (e.code() == StorageErrorCode.OFFSET_OUT_OF_RANGE) {
                return false;
            }
            throw e;
        } catch (IOException e) {
            throw new SluiceException(ErrorCode.STORAGE_ERROR, "reading " + partition.stream(), e);
        }
        List<Record> out = new ArrayList<>();
        long first = -1;
        long next = offset;
        for (RecordBatch batch : RecordBatches.iterate(buf)) {
            if (first < 0) {
                first = batch.baseOffset();
            }
            next = batch.nextOffset();
            if (batch.isControl()) {
                continue;
            }
            for (Record rec : batch.records()) {
                out.add(rec);
            }
        }
        if (first < 0) {
            return false;
        }
        from = Math.min(first, offset);
        to = next;
        records = out;
        return true;
    }
}
