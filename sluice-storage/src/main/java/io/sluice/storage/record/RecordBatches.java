package io.sluice.storage.record;

import io.sluice.storage.StorageErrorCode;
import io.sluice.storage.StorageException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Walks a concatenation of record batches, the shape of a produce request's records, a fetch response and a
 * segment file. A trailing partial batch is not an error: a fetch response cut at its byte limit ends with one, and
 * a segment may end with one after a crash; iteration just stops before it. Batches are framed by batchLength only;
 * nothing is validated beyond that, so call {@link RecordBatch#ensureValid()} on untrusted input.
 *
 * <p>Stateless and thread-safe; the iterables it returns read the buffer without moving its position.
 */
public final class RecordBatches {
    private RecordBatches() {
    }

    /**
     * The complete batches from {@code concatenated.position()} to its limit. Each iteration starts over.
     *
     * @throws StorageException {@link StorageErrorCode#CORRUPT_BATCH} (from the iterator) if a batch declares a
     *                          length smaller than a batch header: the framing is lost beyond that point
     */
    public static Iterable<RecordBatch> iterate(ByteBuffer concatenated) {
        ByteBuffer view = concatenated.duplicate();
        return () -> new BatchIterator(view.duplicate());
    }

    /** Every record of every complete batch, in order; see {@link RecordBatch#records()}. */
    public static List<Record> records(ByteBuffer concatenated) {
        List<Record> out = new ArrayList<>();
        for (RecordBatch batch : iterate(concatenated)) {
            out.addAll(batch.records());
        }
        return out;
    }

    /** Bytes taken by the complete batches at the start of {@code concatenated} (excluding a partial tail). */
    public static int sizeOfCompleteBatches(ByteBuffer concatenated) {
        int size = 0;
        for (RecordBatch batch : iterate(concatenated)) {
            size += batch.sizeInBytes();
        }
        return size;
    }

    private static final class BatchIterator implements Iterator<RecordBatch> {
        private final ByteBuffer buf;
        private RecordBatch next;

        BatchIterator(ByteBuffer buf) {
            this.buf = buf;
        }

        @Override
        public boolean hasNext() {
            if (next != null) {
                return true;
            }
            int remaining = buf.remaining();
            if (remaining < RecordBatch.LOG_OVERHEAD) {
                return false;
            }
            int batchLength = buf.getInt(buf.position() + RecordBatch.LENGTH_OFFSET);
            if (batchLength < RecordBatch.HEADER_SIZE - RecordBatch.LOG_OVERHEAD) {
                throw new StorageException(StorageErrorCode.CORRUPT_BATCH, "batchLength " + batchLength
                        + " at byte " + buf.position() + " is smaller than a batch header");
            }
            if (batchLength > remaining - RecordBatch.LOG_OVERHEAD) {
                return false;
            }
            next = RecordBatch.wrap(buf);
            buf.position(buf.position() + next.sizeInBytes());
            return true;
        }

        @Override
        public RecordBatch next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            RecordBatch b = next;
            next = null;
            return b;
        }
    }
}
