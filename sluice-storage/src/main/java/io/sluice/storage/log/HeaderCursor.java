package io.sluice.storage.log;

import io.sluice.storage.record.RecordBatch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads batch headers of a segment for the read path: one positional read fills an 8 KiB window that usually
 * holds many headers, so locating a batch after an index lookup and sizing a fetch costs a few system calls. Not
 * thread-safe; readers take one from a thread-local.
 *
 * <p>When batches are large, a window holds one header and a lot of record data that the read path never looks
 * at (it sends the records by reference). So once a jump from one header to the next is longer than a quarter of
 * the window, refills read only a header's worth of bytes: a fetch of 1 MiB in 16 KiB batches then copies 4 KiB
 * of headers out of the page cache instead of 512 KiB. The window is a direct buffer, so a refill is one copy
 * (kernel to buffer) rather than two (through the JDK's temporary direct buffer into a heap array).
 */
final class HeaderCursor {
    private static final int WINDOW = 8192;
    /** A jump longer than this means large batches: refill with a single header. */
    private static final int LARGE_JUMP = WINDOW / 4;
    private static final ThreadLocal<HeaderCursor> LOCAL = ThreadLocal.withInitial(HeaderCursor::new);

    private final ByteBuffer window = ByteBuffer.allocateDirect(WINDOW);
    private FileChannel channel;
    private long windowStart;
    private long limit;
    private int rel;
    /** Position of the header last returned by {@link #at}, or -1 before the first. */
    private long last = -1;

    static HeaderCursor get(FileChannel channel, long limit) {
        HeaderCursor c = LOCAL.get();
        c.channel = channel;
        c.limit = limit;
        c.windowStart = -1;
        c.last = -1;
        c.window.limit(0);
        return c;
    }

    /** Positions on the header at {@code position}; false if no whole header lies before the limit. */
    boolean at(long position) throws IOException {
        if (position + RecordBatch.HEADER_SIZE > limit) {
            return false;
        }
        long r = position - windowStart;
        if (windowStart < 0 || r < 0 || r + RecordBatch.HEADER_SIZE > window.limit()) {
            window.clear();
            boolean largeBatches = last >= 0 && position - last > LARGE_JUMP;
            window.limit((int) Math.min(largeBatches ? RecordBatch.HEADER_SIZE : WINDOW, limit - position));
            long p = position;
            while (window.hasRemaining()) {
                int n = channel.read(window, p);
                if (n < 0) {
                    break;
                }
                p += n;
            }
            window.flip();
            windowStart = position;
            if (window.limit() < RecordBatch.HEADER_SIZE) {
                return false;
            }
            r = 0;
        }
        rel = (int) r;
        last = position;
        return true;
    }

    long baseOffset() {
        return window.getLong(rel);
    }

    int size() {
        return RecordBatch.LOG_OVERHEAD + window.getInt(rel + 8);
    }

    long lastOffset() {
        return baseOffset() + window.getInt(rel + 23);
    }

    long maxTimestamp() {
        return window.getLong(rel + 35);
    }
}
