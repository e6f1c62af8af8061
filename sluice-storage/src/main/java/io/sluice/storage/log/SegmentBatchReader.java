package io.sluice.storage.log;

import io.sluice.storage.record.RecordBatch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Walks whole batches of a segment file sequentially through a reusable chunk buffer (one large read per chunk,
 * not one per batch): used by recovery, producer-state replay, index rebuilds and the cleaner.
 *
 * <p>Stops at {@code limit} or at the first incomplete batch; {@link #stopReason()} tells which. Does not check
 * CRCs itself: callers that need to (recovery) call {@link RecordBatch#isValid()} on the returned view. Not
 * thread-safe; one reader per walk.
 */
final class SegmentBatchReader {
    private static final int CHUNK = 1 << 20;

    enum Stop { END, TORN, MALFORMED }

    private final FileChannel channel;
    private final long limit;
    private ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
    private long chunkStart = 0;
    private long position;
    private long batchPosition = -1;
    private Stop stop = Stop.END;

    SegmentBatchReader(FileChannel channel, long start, long limit) {
        this.channel = channel;
        this.position = start;
        this.limit = limit;
        chunk.limit(0);
    }

    /** Position of the batch last returned by {@link #next()}. */
    long batchPosition() {
        return batchPosition;
    }

    /** Position just after the last complete batch returned. */
    long position() {
        return position;
    }

    Stop stopReason() {
        return stop;
    }

    /** The next whole batch as a view into the chunk (valid until the next call), or null at the end. */
    RecordBatch next() throws IOException {
        if (position >= limit) {
            stop = Stop.END;
            return null;
        }
        if (limit - position < RecordBatch.LOG_OVERHEAD) {
            stop = Stop.TORN;
            return null;
        }
        if (!ensure(RecordBatch.LOG_OVERHEAD)) {
            stop = Stop.TORN;
            return null;
        }
        int rel = (int) (position - chunkStart);
        int length = chunk.getInt(rel + 8);
        if (length < RecordBatch.HEADER_SIZE - RecordBatch.LOG_OVERHEAD || length > Integer.MAX_VALUE - 64) {
            stop = Stop.MALFORMED;
            return null;
        }
        int size = RecordBatch.LOG_OVERHEAD + length;
        if (position + size > limit) {
            stop = Stop.TORN;
            return null;
        }
        if (!ensure(size)) {
            stop = Stop.TORN;
            return null;
        }
        rel = (int) (position - chunkStart);
        ByteBuffer slice = chunk.slice(rel, size);
        batchPosition = position;
        position += size;
        return RecordBatch.wrap(slice);
    }

    private boolean ensure(int bytes) throws IOException {
        long rel = position - chunkStart;
        if (rel >= 0 && rel + bytes <= chunk.limit()) {
            return true;
        }
        if (chunk.capacity() < bytes) {
            chunk = ByteBuffer.allocate(bytes);
        }
        chunk.clear();
        chunkStart = position;
        int want = (int) Math.min(chunk.capacity(), limit - position);
        chunk.limit(want);
        long p = position;
        while (chunk.hasRemaining()) {
            int n = channel.read(chunk, p);
            if (n < 0) {
                break;
            }
            p += n;
        }
        chunk.flip();
        return chunk.limit() >= bytes;
    }
}
