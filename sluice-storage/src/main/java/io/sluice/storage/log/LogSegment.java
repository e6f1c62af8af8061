package io.sluice.storage.log;

import io.sluice.storage.record.RecordBatch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * One segment of a partition log: the {@code .log} file of batches and its three indexes, all named by the
 * segment's base offset as 20 zero-padded digits (so a directory listing sorts by offset).
 *
 * <p><b>The .log file</b> holds record batches exactly as they are served (the v2 format documented on
 * {@link RecordBatch}), back to back, with no header or footer: a fetch is a byte range of this file sent with
 * sendfile, and recovery can re-validate it batch by batch because each batch carries its length and CRC. Base
 * offsets strictly increase; gaps are allowed (compaction). The file has no preallocation, so its length is the
 * end of the data, and a torn write shows up as an incomplete or CRC-failing last batch.
 *
 * <p><b>Threading.</b> Appends, rolls and truncation run on the owning partition's writer thread. Readers use
 * positional reads on the shared channel, bounded by {@link #committedSize()}, the byte length of the data below
 * the high watermark, which the writer (or syncer) publishes after the data is durable per the log's durability.
 */
final class LogSegment {
    static final String LOG = ".log";
    static final String INDEX = ".index";
    static final String TIME_INDEX = ".timeindex";
    static final String TXN_INDEX = ".txnindex";
    static final String DELETED = ".deleted";

    final long baseOffset;
    final Path dir;
    /** The writer's channel: appends, fsyncs, recovery. Only storage threads use it, so nothing interrupts them. */
    final FileChannel channel;
    /**
     * Readers' channel, opened lazily and reopened if closed. Kept apart from {@link #channel} because a thread
     * interrupted during a read closes the channel it reads (FileChannel is interruptible): that must cost a
     * reader a retry, never the writer its file.
     */
    private volatile FileChannel readChannel;
    private volatile Path logPath;
    private volatile boolean closed;
    OffsetIndex offsetIndex;
    TimeIndex timeIndex;
    final TransactionIndex txnIndex;
    private final int indexIntervalBytes;
    /** Bytes written (writer thread), volatile for stats. */
    private volatile long size;
    private volatile long committedSize;
    private volatile long nextOffset;
    private volatile long maxTimestamp = -1;
    private volatile long maxTimestampOffset = -1;
    private int bytesSinceIndexEntry;
    final long createdMs;

    private LogSegment(long baseOffset, Path dir, FileChannel channel, OffsetIndex offsetIndex, TimeIndex timeIndex,
                       TransactionIndex txnIndex, int indexIntervalBytes, long createdMs) throws IOException {
        this.baseOffset = baseOffset;
        this.dir = dir;
        this.channel = channel;
        this.offsetIndex = offsetIndex;
        this.timeIndex = timeIndex;
        this.txnIndex = txnIndex;
        this.indexIntervalBytes = indexIntervalBytes;
        this.size = channel.size();
        this.committedSize = size;
        this.nextOffset = baseOffset;
        this.createdMs = createdMs;
        this.logPath = file(dir, baseOffset, LOG);
    }

    /** The channel readers use; reopened if a reader's interrupt closed it. */
    FileChannel readChannel() throws IOException {
        FileChannel ch = readChannel;
        if (ch != null && ch.isOpen()) {
            return ch;
        }
        synchronized (this) {
            ch = readChannel;
            if (ch != null && ch.isOpen()) {
                return ch;
            }
            if (closed) {
                throw new java.nio.channels.ClosedChannelException();
            }
            ch = FileChannel.open(logPath, StandardOpenOption.READ);
            readChannel = ch;
            return ch;
        }
    }

    static String name(long offset) {
        return String.format("%020d", offset);
    }

    static Path file(Path dir, long baseOffset, String suffix) {
        return dir.resolve(name(baseOffset) + suffix);
    }

    static int maxIndexEntries(int segmentBytes, int indexIntervalBytes) {
        long n = (long) segmentBytes / Math.max(1, indexIntervalBytes) + 16;
        return (int) Math.min(n, 10 * 1024 * 1024 / OffsetIndex.ENTRY_SIZE);
    }

    /**
     * Opens a segment's files, creating them if absent. The indexes are trusted as found; callers either
     * {@link #recover()} the segment or call {@link #loadTrusted()}.
     */
    static LogSegment open(Path dir, long baseOffset, int segmentBytes, int indexIntervalBytes, boolean active,
                           long nowMs) throws IOException {
        FileChannel ch = FileChannel.open(file(dir, baseOffset, LOG), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
        int maxEntries = maxIndexEntries(segmentBytes, indexIntervalBytes);
        OffsetIndex oi = OffsetIndex.open(file(dir, baseOffset, INDEX), baseOffset, maxEntries, active);
        TimeIndex ti = TimeIndex.open(file(dir, baseOffset, TIME_INDEX), baseOffset, maxEntries, active);
        TransactionIndex tx = TransactionIndex.open(file(dir, baseOffset, TXN_INDEX));
        return new LogSegment(baseOffset, dir, ch, oi, ti, tx, indexIntervalBytes, nowMs);
    }

    long size() {
        return size;
    }

    long committedSize() {
        return committedSize;
    }

    void publish(long committed) {
        if (committed > committedSize) {
            committedSize = committed;
        }
    }

    long nextOffset() {
        return nextOffset;
    }

    long maxTimestamp() {
        return maxTimestamp;
    }

    /** Base offset of the batch holding {@link #maxTimestamp()}. */
    long maxTimestampOffset() {
        return maxTimestampOffset;
    }

    boolean isEmpty() {
        return size == 0;
    }

    boolean indexesFull() {
        return offsetIndex.isFull() || timeIndex.isFull();
    }

    /**
     * Writes batches with one gathering write at the end of the file and indexes them. Runs on the writer thread.
     */
    void append(List<AppendValidator.Batch> batches) throws IOException {
        long pos = size;
        ByteBuffer[] bufs = new ByteBuffer[batches.size()];
        int i = 0;
        for (AppendValidator.Batch b : batches) {
            bufs[i++] = b.buffer().duplicate();
            onBatch(b.baseOffset(), b.lastOffset(), b.maxTimestamp(), pos, b.sizeInBytes());
            pos += b.sizeInBytes();
        }
        long written = 0;
        long total = pos - size;
        channel.position(size);
        while (written < total) {
            written += channel.write(bufs);
        }
        size = pos;
    }

    /** Index bookkeeping for one batch at {@code position}; shared by append, recovery and rebuilds. */
    private void onBatch(long baseOffset, long lastOffset, long batchMaxTs, long position, int batchSize) {
        if (batchMaxTs > maxTimestamp) {
            maxTimestamp = batchMaxTs;
            maxTimestampOffset = baseOffset;
        }
        if (bytesSinceIndexEntry >= indexIntervalBytes) {
            offsetIndex.append(baseOffset, (int) position);
            timeIndex.maybeAppend(maxTimestamp, maxTimestampOffset, false);
            bytesSinceIndexEntry = 0;
        }
        bytesSinceIndexEntry += batchSize;
        nextOffset = lastOffset + 1;
    }

    /** Result of re-validating a segment. */
    record Recovery(long validBytes, long fileBytes, String problem, long lastValidOffset) {
        boolean damaged() {
            return validBytes < fileBytes;
        }
    }

    /**
     * Re-validates every batch (framing, magic, CRC, increasing offsets; contiguous ones if {@code contiguous}) and
     * rebuilds the offset and time indexes.
     * Does not truncate: the caller decides between truncating the tail and taking the log offline.
     */
    Recovery recover(boolean contiguous) throws IOException {
        offsetIndex.reset();
        timeIndex.reset();
        maxTimestamp = -1;
        maxTimestampOffset = -1;
        bytesSinceIndexEntry = indexIntervalBytes;
        nextOffset = baseOffset;
        long fileBytes = channel.size();
        SegmentBatchReader r = new SegmentBatchReader(channel, 0, fileBytes);
        RecordBatch b;
        long valid = 0;
        String problem = null;
        while ((b = r.next()) != null) {
            // The base offset is outside the CRC (the broker rewrites it in place), so its plausibility is checked:
            // the last segment was never compacted and must be contiguous; older ones may have gaps.
            boolean offsetOk = contiguous ? b.baseOffset() == nextOffset : b.baseOffset() >= nextOffset;
            if (!offsetOk) {
                problem = "batch base offset " + b.baseOffset() + " does not follow " + (nextOffset - 1);
                break;
            }
            if (!b.isValid() || b.lastOffsetDelta() < 0) {
                problem = b.magic() != RecordBatch.MAGIC ? "magic " + b.magic() + " is not 2"
                        : "CRC mismatch or invalid header";
                break;
            }
            onBatch(b.baseOffset(), b.lastOffset(), b.maxTimestamp(), r.batchPosition(), b.sizeInBytes());
            valid = r.position();
        }
        if (b == null && r.stopReason() != SegmentBatchReader.Stop.END) {
            problem = r.stopReason() == SegmentBatchReader.Stop.TORN ? "incomplete batch at the end of the file"
                    : "batch length field is impossible";
        }
        size = fileBytes;
        committedSize = fileBytes;
        return new Recovery(valid, fileBytes, problem, nextOffset - 1);
    }

    /** Cuts the file to {@code bytes} (a torn tail found by recovery); indexes were rebuilt below it already. */
    void truncateTo(long bytes) throws IOException {
        channel.truncate(bytes);
        channel.force(true);
        size = bytes;
        committedSize = bytes;
        offsetIndex.truncateToPosition(bytes);
    }

    /**
     * Loads a segment below the recovery point without re-validating it: checks the indexes (rebuilding them from
     * batch headers if they fail) and finds the segment's next offset by walking from the last index entry.
     */
    void loadTrusted(boolean active, int segmentBytes) throws IOException {
        long fileBytes = channel.size();
        size = fileBytes;
        committedSize = fileBytes;
        if (!offsetIndex.isSane(fileBytes) || (fileBytes > 0 && timeIndex.entries() == 0)) {
            rebuildIndexes(active, segmentBytes);
            return;
        }
        long pos = offsetIndex.lastPosition();
        long next = offsetIndex.entries() == 0 ? baseOffset : offsetIndex.lastOffset();
        HeaderCursor c = HeaderCursor.get(channel, fileBytes);
        long lastBase = -1;
        while (c.at(pos)) {
            lastBase = c.baseOffset();
            next = c.lastOffset() + 1;
            pos += c.size();
        }
        if (pos != fileBytes) {
            rebuildIndexes(active, segmentBytes);
            return;
        }
        nextOffset = lastBase < 0 ? baseOffset : next;
        if (!timeIndex.isSane(nextOffset)) {
            rebuildIndexes(active, segmentBytes);
            return;
        }
        maxTimestamp = timeIndex.lastTimestamp();
        maxTimestampOffset = timeIndex.lastOffset();
        bytesSinceIndexEntry = (int) Math.min(Integer.MAX_VALUE, fileBytes - offsetIndex.lastPosition());
    }

    private void rebuildIndexes(boolean active, int segmentBytes) throws IOException {
        reopenIndexes(true, segmentBytes);
        offsetIndex.reset();
        timeIndex.reset();
        maxTimestamp = -1;
        maxTimestampOffset = -1;
        bytesSinceIndexEntry = indexIntervalBytes;
        nextOffset = baseOffset;
        long fileBytes = channel.size();
        HeaderCursor c = HeaderCursor.get(channel, fileBytes);
        long pos = 0;
        while (c.at(pos)) {
            int s = c.size();
            onBatch(c.baseOffset(), c.lastOffset(), c.maxTimestamp(), pos, s);
            pos += s;
        }
        if (!active) {
            finish();
        }
    }

    private void reopenIndexes(boolean writable, int segmentBytes) throws IOException {
        int maxEntries = maxIndexEntries(segmentBytes, indexIntervalBytes);
        offsetIndex = OffsetIndex.open(offsetIndex.file(), baseOffset, maxEntries, writable);
        timeIndex = TimeIndex.open(timeIndex.file(), baseOffset, maxEntries, writable);
    }

    /** Fsyncs the data (not the metadata: the file length is recovered from the data itself). */
    void flush() throws IOException {
        channel.force(false);
    }

    /**
     * Closes the segment for writing (roll or clean close): fsyncs the data and indexes, adds the final time index
     * entry and trims the index files to their entries.
     */
    void finish() throws IOException {
        if (maxTimestamp >= 0) {
            timeIndex.maybeAppend(maxTimestamp, maxTimestampOffset, true);
        }
        channel.force(true);
        offsetIndex.trim();
        timeIndex.trim();
        txnIndex.flush();
    }

    void close() {
        FileChannel rc;
        synchronized (this) {
            closed = true;
            rc = readChannel;
        }
        try {
            channel.close();
            if (rc != null) {
                rc.close();
            }
        } catch (IOException ignored) {
            // closing a channel after its data was flushed cannot lose anything
        }
    }

    /** Renames every file of the segment to {@code <name>.deleted}; the channel stays open for in-flight reads. */
    void renameToDeleted() throws IOException {
        for (String suffix : new String[] {LOG, INDEX, TIME_INDEX, TXN_INDEX}) {
            Path p = file(dir, baseOffset, suffix);
            if (Files.exists(p)) {
                Path target = dir.resolve(p.getFileName() + DELETED);
                Files.move(p, target, StandardCopyOption.REPLACE_EXISTING);
                if (suffix.equals(LOG)) {
                    logPath = target;
                }
            }
        }
    }

    /** Closes the channel and removes the renamed files. */
    void deleteRenamed() {
        close();
        for (String suffix : new String[] {LOG, INDEX, TIME_INDEX, TXN_INDEX}) {
            try {
                Files.deleteIfExists(dir.resolve(name(baseOffset) + suffix + DELETED));
            } catch (IOException ignored) {
                // a leftover .deleted file is removed at the next open
            }
        }
    }

    @Override
    public String toString() {
        return dir.resolve(name(baseOffset) + LOG).toString();
    }
}
