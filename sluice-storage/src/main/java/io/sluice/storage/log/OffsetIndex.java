package io.sluice.storage.log;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * The sparse offset index of one segment ({@code <base offset>.index}): maps an offset to the file position of a
 * batch at or before it, so a read seeks close to its batch and walks at most {@code indexIntervalBytes} of headers.
 *
 * <p><b>Byte layout.</b> Entries back to back, no header, big-endian:
 * <pre>
 *   int32 relativeOffset   base offset of a batch minus the segment's base offset
 *   int32 position         byte position of that batch in the .log file
 * </pre>
 * Both fields are relative/32-bit because a segment is at most 2 GiB and holds at most 2^31 offsets past its
 * base (the log rolls before either would overflow), which halves the index. Entries are strictly increasing in
 * both fields. One entry is added after every {@code indexIntervalBytes} of batches, so the index stays small
 * enough to be memory-mapped for every segment.
 *
 * <p><b>No checksum, by design</b>: the index is derived data. A segment that may have been written after the last
 * clean checkpoint is re-scanned at start-up and its index rebuilt from the log; an index that fails its sanity
 * check (size not a multiple of 8, entries not increasing, positions past the log end) is rebuilt too. A checksum
 * would cost a write per entry and protect nothing the log itself cannot restore.
 *
 * <p><b>Lifecycle.</b> The active segment's index is mapped with room for {@code maxEntries} (the file is
 * preallocated, sparse); when the segment rolls or the log closes, the file is trimmed to its entries, which is how
 * a later open knows the entry count.
 *
 * <p><b>Threading.</b> One writer (the partition's writer thread) appends; readers call {@link #lookup}
 * concurrently. An entry is written before the volatile entry count that publishes it.
 */
final class OffsetIndex {
    static final int ENTRY_SIZE = 8;

    private final Path file;
    private final long baseOffset;
    private final int maxEntries;
    private MappedByteBuffer mmap;
    private volatile int entries;

    private OffsetIndex(Path file, long baseOffset, int maxEntries, MappedByteBuffer mmap, int entries) {
        this.file = file;
        this.baseOffset = baseOffset;
        this.maxEntries = maxEntries;
        this.mmap = mmap;
        this.entries = entries;
    }

    /**
     * Opens (or creates) an index; the current file length, trimmed at the last roll or close, gives the entry count.
     *
     * @param writable true for the active segment (the file is extended to {@code maxEntries})
     */
    static OffsetIndex open(Path file, long baseOffset, int maxEntries, boolean writable) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long length = raf.length();
            int existing = (int) (length / ENTRY_SIZE);
            if (length % ENTRY_SIZE != 0) {
                existing = 0;
                raf.setLength(0);
            }
            int capacity = writable ? Math.max(maxEntries, existing) : existing;
            raf.setLength((long) capacity * ENTRY_SIZE);
            MappedByteBuffer mmap = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0,
                    (long) capacity * ENTRY_SIZE);
            return new OffsetIndex(file, baseOffset, capacity, mmap, existing);
        }
    }

    Path file() {
        return file;
    }

    int entries() {
        return entries;
    }

    boolean isFull() {
        return entries >= maxEntries;
    }

    long lastOffset() {
        int n = entries;
        return n == 0 ? baseOffset : baseOffset + mmap.getInt((n - 1) * ENTRY_SIZE);
    }

    int lastPosition() {
        int n = entries;
        return n == 0 ? 0 : mmap.getInt((n - 1) * ENTRY_SIZE + 4);
    }

    /** Adds an entry for the batch at {@code offset} / {@code position}; ignored if not past the last entry. */
    void append(long offset, int position) {
        int n = entries;
        if (n >= maxEntries) {
            return;
        }
        if (n > 0 && (offset <= lastOffset() || position <= lastPosition())) {
            return;
        }
        mmap.putInt(n * ENTRY_SIZE, (int) (offset - baseOffset));
        mmap.putInt(n * ENTRY_SIZE + 4, position);
        entries = n + 1;
    }

    /** The position of the last indexed batch whose base offset is at most {@code offset}, or 0. */
    int lookup(long offset) {
        int n = entries;
        long rel = offset - baseOffset;
        if (n == 0 || rel < mmap.getInt(0)) {
            return 0;
        }
        int lo = 0;
        int hi = n - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (mmap.getInt(mid * ENTRY_SIZE) <= rel) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return mmap.getInt(lo * ENTRY_SIZE + 4);
    }

    /** Whether entries increase and stay inside a log of {@code logSize} bytes. */
    boolean isSane(long logSize) {
        int n = entries;
        int prevRel = -1;
        int prevPos = -1;
        for (int i = 0; i < n; i++) {
            int rel = mmap.getInt(i * ENTRY_SIZE);
            int pos = mmap.getInt(i * ENTRY_SIZE + 4);
            if (rel <= prevRel || pos <= prevPos || pos >= logSize) {
                return false;
            }
            prevRel = rel;
            prevPos = pos;
        }
        return true;
    }

    /** Drops every entry (before a rebuild). */
    void reset() {
        entries = 0;
    }

    /** Drops entries at or after {@code position}. */
    void truncateToPosition(long position) {
        int n = entries;
        while (n > 0 && mmap.getInt((n - 1) * ENTRY_SIZE + 4) >= position) {
            n--;
        }
        entries = n;
    }

    void flush() {
        mmap.force();
    }

    /** Flushes and cuts the file to its entries, so the next open knows the count. */
    void trim() throws IOException {
        mmap.force();
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength((long) entries * ENTRY_SIZE);
        }
    }
}
