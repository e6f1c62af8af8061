package io.sluice.storage.log;

import io.sluice.storage.LogConfig;
import io.sluice.storage.TimestampType;
import io.sluice.storage.record.Compression;
import io.sluice.storage.record.Record;
import io.sluice.storage.record.RecordBatch;
import io.sluice.storage.record.RecordBatchBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Compacts logs whose cleanup policy includes {@code compact}: rewrites closed segments keeping only the newest
 * record of each key, as Kafka's log cleaner does.
 *
 * <p><b>What is kept.</b> Offsets never change (a compacted segment has gaps). A record survives if its key is
 * null, or it is the newest record of its key anywhere below the high watermark (the active segment included, so a
 * key rewritten recently is dropped from old segments), unless it is a tombstone (null value) whose timestamp is
 * older than {@code deleteRetentionMs}: consumers had that long to see the delete. Control batches (transaction
 * markers) are always kept. The active segment is never rewritten. A batch that loses records is rebuilt as one
 * uncompressed batch per run of consecutive surviving offsets, keeping the producer id, epoch, matching sequence
 * numbers, the transactional flag and the timestamps; untouched batches are copied byte for byte.
 *
 * <p><b>Swap.</b> The cleaned data is written to {@code <base>.log.cleaned} and fsynced; on the log's writer the
 * segment's {@code .index} and {@code .timeindex} are deleted, the cleaned file is renamed over the {@code .log}
 * (atomic), the directory is fsynced and the indexes are rebuilt from the new file. A crash before the rename
 * leaves a {@code .cleaned} file that the next open deletes; after it, missing indexes are rebuilt at open. The
 * {@code .txnindex} is unchanged because every marker and offset is preserved. In-flight reads keep the old file
 * open until the delete delay passes.
 *
 * <p><b>When.</b> On the store's maintenance tick, for a log whose active segment changed since its last pass (a
 * segment closed), or every {@link #RECHECK_MS} so tombstones expire on quiet logs.
 *
 * <p><b>Threading.</b> Runs on the store's single cleaner thread; reads segments with positional reads (never
 * blocking appends) and hands only the swap to the writer. The key map lives for one pass.
 */
final class LogCleaner {
    private static final Logger LOG = LoggerFactory.getLogger(LogCleaner.class);

    /** A log is re-examined this often even if no segment closed, so tombstones expire on a quiet log. */
    static final long RECHECK_MS = 10 * 60 * 1000;

    private record LastPass(long activeBase, long atMs) {
    }

    private final LongSupplier clock;
    private final AtomicBoolean running = new AtomicBoolean();
    private final Map<FilePartitionLog, LastPass> lastPass = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean stopped;

    LogCleaner(LongSupplier clock) {
        this.clock = clock;
    }

    void stop() {
        stopped = true;
    }

    /** Starts a pass over {@code logs} on {@code executor} unless one is running. */
    void schedule(ExecutorService executor, Collection<FilePartitionLog> logs) {
        if (stopped || !running.compareAndSet(false, true)) {
            return;
        }
        List<FilePartitionLog> snapshot = List.copyOf(logs);
        try {
            executor.execute(() -> {
                try {
                    for (FilePartitionLog log : snapshot) {
                        if (stopped) {
                            return;
                        }
                        try {
                            if (due(log)) {
                                clean(log);
                            }
                        } catch (Exception e) {
                            LOG.warn("log {}: compaction pass failed, will retry: {}", log.id(), e.toString());
                        }
                    }
                } finally {
                    running.set(false);
                }
            });
        } catch (RuntimeException rejected) {
            running.set(false);
        }
    }

    /**
     * Whether a background pass is worth it: a segment closed since the last pass (new data to compact against),
     * or {@link #RECHECK_MS} passed (tombstones may have expired). Reading a whole log every tick would be waste.
     */
    private boolean due(FilePartitionLog log) {
        if (!log.config().cleanupPolicy().compacts() || !log.isOnline()) {
            lastPass.remove(log);
            return false;
        }
        LastPass last = lastPass.get(log);
        long base = log.activeSegment().baseOffset;
        long now = clock.getAsLong();
        if (last != null && last.activeBase == base && now - last.atMs < RECHECK_MS) {
            return false;
        }
        lastPass.put(log, new LastPass(base, now));
        return true;
    }

    /**
     * Compacts the closed segments of one log.
     *
     * @return the number of segments rewritten
     */
    int clean(FilePartitionLog log) throws IOException {
        LogConfig cfg = log.config();
        if (!cfg.cleanupPolicy().compacts() || !log.isOnline()) {
            return 0;
        }
        LogSegment active = log.activeSegment();
        long hw = log.highWatermark();
        List<LogSegment> closed = new ArrayList<>();
        for (LogSegment seg : log.segments().values()) {
            if (seg != active && seg.nextOffset() <= hw) {
                closed.add(seg);
            }
        }
        if (closed.isEmpty()) {
            return 0;
        }
        Map<ByteBuffer, Long> latest = new HashMap<>();
        for (LogSegment seg : log.segments().values()) {
            SegmentBatchReader r = new SegmentBatchReader(seg.readChannel(), 0, seg.committedSize());
            RecordBatch b;
            while ((b = r.next()) != null && b.baseOffset() < hw) {
                if (b.isControl()) {
                    continue;
                }
                for (Record rec : b.records()) {
                    if (rec.key() != null && rec.offset() < hw) {
                        latest.put(copy(rec.key()), rec.offset());
                    }
                }
            }
        }
        long horizon = clock.getAsLong() - cfg.deleteRetentionMs();
        int rewritten = 0;
        for (LogSegment seg : closed) {
            if (stopped) {
                break;
            }
            Cleaned c = cleanSegment(seg, latest, horizon);
            if (c != null && log.swapCleaned(seg, c).join()) {
                rewritten++;
            }
        }
        if (rewritten > 0) {
            LOG.info("log {}: compacted {} segment(s)", log.id(), rewritten);
        }
        return rewritten;
    }

    private static ByteBuffer copy(ByteBuffer b) {
        ByteBuffer c = ByteBuffer.allocate(b.remaining());
        c.put(b.duplicate()).flip();
        return c;
    }

    private static boolean keep(Record r, Map<ByteBuffer, Long> latest, long horizon) {
        if (r.key() == null) {
            return true;
        }
        Long newest = latest.get(r.key());
        if (newest != null && newest != r.offset()) {
            return false;
        }
        return r.value() != null || r.timestamp() >= horizon;
    }

    /** Writes the cleaned copy of {@code seg}, or returns null if nothing in it can be removed. */
    private Cleaned cleanSegment(LogSegment seg, Map<ByteBuffer, Long> latest, long horizon) throws IOException {
        SegmentBatchReader scan = new SegmentBatchReader(seg.readChannel(), 0, seg.committedSize());
        RecordBatch b;
        boolean removable = false;
        while (!removable && (b = scan.next()) != null) {
            if (!b.isControl()) {
                for (Record r : b.records()) {
                    if (!keep(r, latest, horizon)) {
                        removable = true;
                        break;
                    }
                }
            }
        }
        if (!removable) {
            return null;
        }
        Path target = LogSegment.file(seg.dir, seg.baseOffset, LogSegment.LOG + LogLoader.CLEANED);
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            SegmentBatchReader r = new SegmentBatchReader(seg.readChannel(), 0, seg.committedSize());
            while ((b = r.next()) != null) {
                if (b.isControl()) {
                    write(out, b.buffer());
                    continue;
                }
                List<Record> records = b.records();
                List<Record> kept = new ArrayList<>(records.size());
                for (Record rec : records) {
                    if (keep(rec, latest, horizon)) {
                        kept.add(rec);
                    }
                }
                if (kept.size() == records.size()) {
                    write(out, b.buffer());
                } else {
                    writeRuns(out, b, kept);
                }
            }
            out.force(true);
        }
        return new Cleaned(seg.dir, seg.baseOffset, target);
    }

    /** Writes the surviving records as one batch per run of consecutive offsets. */
    private static void writeRuns(FileChannel out, RecordBatch original, List<Record> kept) throws IOException {
        int i = 0;
        while (i < kept.size()) {
            int j = i + 1;
            while (j < kept.size() && kept.get(j).offset() == kept.get(j - 1).offset() + 1) {
                j++;
            }
            long runStart = kept.get(i).offset();
            RecordBatchBuilder builder = RecordBatchBuilder.create(Compression.NONE).baseOffset(runStart)
                    .timestampType(original.timestampType());
            if (original.hasProducerId()) {
                int seq = RecordBatch.incrementSequence(original.baseSequence(),
                        (int) (runStart - original.baseOffset()));
                builder.producer(original.producerId(), original.producerEpoch(), seq)
                        .transactional(original.isTransactional());
            }
            for (int k = i; k < j; k++) {
                Record rec = kept.get(k);
                builder.append(rec.timestamp(), rec.key(), rec.value(), rec.headers());
            }
            ByteBuffer built = builder.build();
            if (original.timestampType() == TimestampType.LOG_APPEND_TIME) {
                RecordBatch.wrap(built).setLogAppendTime(original.maxTimestamp());
            }
            write(out, built);
            i = j;
        }
    }

    private static void write(FileChannel out, ByteBuffer buf) throws IOException {
        ByteBuffer b = buf.duplicate();
        while (b.hasRemaining()) {
            out.write(b);
        }
    }

    /** A cleaned segment file waiting for its swap. */
    static final class Cleaned {
        private final Path dir;
        private final long baseOffset;
        private final Path file;

        Cleaned(Path dir, long baseOffset, Path file) {
            this.dir = dir;
            this.baseOffset = baseOffset;
            this.file = file;
        }

        /** Performs the swap described in the class comment and opens the new segment. Runs on the writer. */
        LogSegment install(LogConfig config) throws IOException {
            Files.deleteIfExists(LogSegment.file(dir, baseOffset, LogSegment.INDEX));
            Files.deleteIfExists(LogSegment.file(dir, baseOffset, LogSegment.TIME_INDEX));
            Files.move(file, LogSegment.file(dir, baseOffset, LogSegment.LOG), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            LogCheckpoint.syncDirectory(dir);
            LogSegment seg = LogSegment.open(dir, baseOffset, config.segmentBytes(), config.indexIntervalBytes(),
                    false, 0);
            seg.loadTrusted(false, config.segmentBytes());
            return seg;
        }

        void discard() throws IOException {
            Files.deleteIfExists(file);
        }
    }
}
