package io.sluice.storage.log;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * The sparse time index of one segment ({@code <base offset>.timeindex}): answers "where do records with a
 * timestamp at or after T start" (Kafka ListOffsets, consumer seek by time) without reading the segment.
 *
 * <p><b>Byte layout.</b> Entries back to back, no header, big-endian:
 * <pre>
 *   int64 timestamp        the largest record timestamp of the segment up to and including this batch
 *   int32 relativeOffset   base offset of the batch holding that timestamp, minus the segment's base offset
 * </pre>
 * An entry is added at most once per {@code indexIntervalBytes} and only when the running maximum grew, so
 * timestamps are strictly increasing even though producer timestamps are not; every record before the batch of an
 * entry has a timestamp at or below the entry's. At roll and clean close a final entry with the segment's maximum
 * is added, so the last entry is the segment's largest timestamp (read at start-up instead of scanning).
 *
 * <p>Like {@link OffsetIndex} it has no checksum: it is rebuilt from the log whenever the segment is re-scanned
 * or the file fails its sanity check. Same lifecycle (preallocated while active, trimmed at roll and close) and
 * threading (one writer, lock-free readers behind a volatile entry count).
 */
final class TimeIndex {
    static final int ENTRY_SIZE = 12;

    private final Path file;
    private final long baseOffset;
    private final int maxEntries;
    private final MappedByteBuffer mmap;
    private volatile int entries;

    private TimeIndex(Path file, long baseOffset, int maxEntries, MappedByteBuffer mmap, int entries) {
        this.file = file;
        this.baseOffset = baseOffset;
        this.maxEntries = maxEntries;
        this.mmap = mmap;
        this.entries = entries;
    }

    static TimeIndex open(Path file, long baseOffset, int maxEntries, boolean writable) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long length = raf.length();
            int existing = (int) (length / ENTRY_SIZE);
            if (length % ENTRY_SIZE != 0) {
                existing = 0;
                raf.setLength(0);
            }
            int capacity = writable ? Math.max(maxEntries, existing + 1) : existing;
            raf.setLength((long) capacity * ENTRY_SIZE);
            MappedByteBuffer mmap = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0,
                    (long) capacity * ENTRY_SIZE);
            return new TimeIndex(file, baseOffset, capacity, mmap, existing);
        }
    }

    Path file() {
        return file;
    }

    int entries() {
        return entries;
    }

    boolean isFull() {
        return entries >= maxEntries - 1;
    }

    /** The last entry's timestamp, or -1. */
    long lastTimestamp() {
        int n = entries;
        return n == 0 ? -1 : mmap.getLong((n - 1) * ENTRY_SIZE);
    }

    /** The last entry's offset, or -1. */
    long lastOffset() {
        int n = entries;
        return n == 0 ? -1 : baseOffset + mmap.getInt((n - 1) * ENTRY_SIZE + 8);
    }

    /** Adds (timestamp, offset) if timestamp is larger than the last entry's; the final slot is kept for roll. */
    void maybeAppend(long timestamp, long offset, boolean finalEntry) {
        int n = entries;
        if (n >= maxEntries || (!finalEntry && n >= maxEntries - 1)) {
            return;
        }
        if (n > 0 && (timestamp <= lastTimestamp() || offset < lastOffset())) {
            return;
        }
        mmap.putLong(n * ENTRY_SIZE, timestamp);
        mmap.putInt(n * ENTRY_SIZE + 8, (int) (offset - baseOffset));
        entries = n + 1;
    }

    /**
     * An offset from which to scan for the first record with timestamp at or after {@code timestamp}: the offset
     * of the last entry whose timestamp is below it (all records before it are older), else the segment base.
     */
    long lookupScanStart(long timestamp) {
        int n = entries;
        int lo = 0;
        int hi = n - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (mmap.getLong(mid * ENTRY_SIZE) < timestamp) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found < 0 ? baseOffset : baseOffset + mmap.getInt(found * ENTRY_SIZE + 8);
    }

    boolean isSane(long nextOffset) {
        int n = entries;
        long prevTs = Long.MIN_VALUE;
        int prevRel = -1;
        for (int i = 0; i < n; i++) {
            long ts = mmap.getLong(i * ENTRY_SIZE);
            int rel = mmap.getInt(i * ENTRY_SIZE + 8);
            if (ts <= prevTs || rel < prevRel || baseOffset + rel >= nextOffset) {
                return false;
            }
            prevTs = ts;
            prevRel = rel;
        }
        return true;
    }

    void reset() {
        entries = 0;
    }

    void flush() {
        mmap.force();
    }

    void trim() throws IOException {
        mmap.force();
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength((long) entries * ENTRY_SIZE);
        }
    }
}
