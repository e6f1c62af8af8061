package io.sluice.storage.log;

import io.sluice.storage.record.RecordBatch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads batch headers of a segment for the read path: one positional read fills an 8 KiB window that usually
 * holds many headers, so locating a batch after an index lookup and sizing a fetch costs a few system calls. Not
 * thread-safe; readers take one from a thread-local.
 */
final class HeaderCursor {
    private static final int WINDOW = 8192;
    private static final ThreadLocal<HeaderCursor> LOCAL = ThreadLocal.withInitial(HeaderCursor::new);

    private final ByteBuffer window = ByteBuffer.allocate(WINDOW);
    private FileChannel channel;
    private long windowStart;
    private long limit;
    private int rel;

    static HeaderCursor get(FileChannel channel, long limit) {
        HeaderCursor c = LOCAL.get();
        c.channel = channel;
        c.limit = limit;
        c.windowStart = -1;
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
            window.limit((int) Math.min(WINDOW, limit - position));
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
