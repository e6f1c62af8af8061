package io.sluice.storage.log;

import io.sluice.storage.AppendInfo;
import io.sluice.storage.AppendOptions;
import io.sluice.storage.Durability;
import io.sluice.storage.LogConfig;
import io.sluice.storage.LogId;
import io.sluice.storage.LogReadResult;
import io.sluice.storage.LogSlice;
import io.sluice.storage.LogStats;
import io.sluice.storage.PartitionLog;
import io.sluice.storage.StorageErrorCode;
import io.sluice.storage.StorageException;
import io.sluice.storage.TimestampOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;

/**
 * One partition's segmented log on disk: the append path (single writer, group commit), the lock-free read path,
 * retention and the hooks the cleaner uses.
 *
 * <p><b>Threads and hand-offs.</b>
 * <ul>
 *   <li><i>Callers</i> of {@link #append} check framing and CRCs of their own batches (stateless, so it runs in
 *       parallel on their threads), enqueue the request on a lock-free queue and, if the partition is not already
 *       scheduled, schedule it on its <i>writer</i>: one thread of a small shared pool, fixed for the
 *       log's lifetime, so a thousand partitions cost a queue each, not a thread each.</li>
 *   <li>The <i>writer</i> drains everything queued, checks producer state ({@link AppendValidator}), assigns
 *       offsets, writes all accepted batches of a segment with one gathering write and hands the group to the
 *       <i>syncer</i> (FSYNC) or completes it at once (OS_CACHE). Rolls, retention, DeleteRecords, the compaction
 *       swap and close also run on the writer, so the segment list and producer state have one writer and no
 *       lock.</li>
 *   <li>The <i>syncer</i> (a shared pool) fsyncs the active segment once for every group written since its last
 *       fsync, then publishes the new high watermark and completes those groups' futures, in order. While it
 *       syncs, the writer keeps writing the next group: the fsync cost is shared by everything that arrived
 *       during the previous one (pipelined group commit).</li>
 *   <li><i>Readers</i> ({@link #read}, offset/timestamp look-ups) take no lock: the segment map is a concurrent
 *       skip list, index entries are published by volatile counts, and each segment's readable length
 *       ({@link LogSegment#committedSize()}) is published before the high watermark that covers it.</li>
 * </ul>
 * <b>Locks that remain</b>, in the order they may be taken (never the reverse): the store's map entry while a log
 * is loaded ({@link FileLogStore#open(LogId, LogConfig)}), then {@link HighWatermarkListeners}' notify lock, held
 * while listeners run (so a listener may read but must not wait for an append of the same log), then a segment's
 * read-channel monitor (a leaf, held only to reopen the channel). The only blocking hand-offs are
 * {@link #close()} and store deletion waiting for their task on the writer.
 *
 * <p><b>Invariants.</b> A segment is fsynced before the next one receives its first byte (roll), so after a crash
 * only the last segment can hold a torn write; every corrupt batch elsewhere is real damage and takes the log
 * offline. The high watermark is the end of fsynced data in FSYNC mode and of written data in OS_CACHE mode.
 */
public final class FilePartitionLog implements PartitionLog {
    private static final Logger LOG = LoggerFactory.getLogger(FilePartitionLog.class);
    /** Upper bound on bytes written per writer turn, so one hot partition cannot starve the others on its thread. */
    private static final int MAX_DRAIN_BYTES = 8 << 20;
    /**
     * Smallest active segment that {@link #deleteRecordsBefore} rolls when everything in it is deleted. A roll costs
     * about five fsyncs (segment, producer snapshot, checkpoint, directory); a drained queue raising its log start a
     * few records at a time would pay them for a few hundred bytes, and a thousand queues draining together keep
     * the writers busy for minutes. Below this size the records only become unreadable (the log start moves, as in
     * Kafka, whose DeleteRecords never rolls) and the bytes go with the next size or time roll.
     */
    static final long ROLL_ON_DELETE_MIN_BYTES = 1 << 20;

    private record Request(AppendValidator.Prechecked batches, AppendOptions options,
                           CompletableFuture<AppendInfo> future) {
    }

    private record Completion(CompletableFuture<AppendInfo> future, AppendInfo info) {
    }

    /** Data written by one writer turn into one segment, waiting for its fsync. */
    private record Group(LogSegment segment, long endPosition, long endOffset, List<Completion> completions) {
    }

    private final LogId id;
    private final Path dir;
    private final FileLogStore store;
    private final Executor writer;
    private volatile LogConfig config;
    private final ConcurrentSkipListMap<Long, LogSegment> segments;
    private volatile LogSegment active;
    private final ProducerStateManager producers;
    private final HighWatermarkListeners listeners = new HighWatermarkListeners();
    private final ConcurrentLinkedQueue<Request> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final ConcurrentLinkedQueue<Group> unsynced = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean syncScheduled = new AtomicBoolean();
    private volatile Group lastQueuedGroup;
    private volatile long logStartOffset;
    private volatile long logEndOffset;
    private volatile long highWatermark;
    private volatile long recoveryPoint;
    private volatile long flushedOffset;
    private volatile String offlineReason;
    private volatile boolean closed;

    FilePartitionLog(LogId id, Path dir, LogConfig config, FileLogStore store, Executor writer,
                     LogLoader.Loaded loaded) throws IOException {
        this.id = id;
        this.dir = dir;
        this.config = config;
        this.store = store;
        this.writer = writer;
        this.segments = loaded.segments();
        this.active = segments.lastEntry().getValue();
        this.producers = loaded.producers();
        this.logStartOffset = loaded.logStartOffset();
        this.logEndOffset = active.nextOffset();
        this.highWatermark = logEndOffset;
        this.flushedOffset = logEndOffset;
        this.recoveryPoint = active.baseOffset;
        this.offlineReason = loaded.offlineReason();
        if (offlineReason == null && (logEndOffset > 0 || LogCheckpoint.read(dir) != null)) {
            // From now on a crash must not look like a clean shutdown. (A brand-new log has nothing to protect.)
            new LogCheckpoint(false, logStartOffset, recoveryPoint).write(dir);
        }
    }

    @Override
    public LogId id() {
        return id;
    }

    Path dir() {
        return dir;
    }

    @Override
    public LogConfig config() {
        return config;
    }

    @Override
    public void updateConfig(LogConfig config) {
        this.config = config;
    }

    // ---------------------------------------------------------------------------------------------- append path

    @Override
    public CompletableFuture<AppendInfo> append(ByteBuffer batches, AppendOptions options) {
        CompletableFuture<AppendInfo> f = new CompletableFuture<>();
        if (closed || offlineReason != null) {
            f.completeExceptionally(offline());
            return f;
        }
        AppendValidator.Prechecked checked;
        try {
            // CRC and framing checks need no log state: they run here, on the caller's thread, in parallel.
            checked = AppendValidator.precheck(batches, options, config, false);
        } catch (StorageException e) {
            f.completeExceptionally(e);
            return f;
        }
        queue.add(new Request(checked, options, f));
        scheduleDrain();
        return f;
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            writer.execute(this::drain);
        }
    }

    private void drain() {
        try {
            writeQueued();
        } catch (RuntimeException e) {
            LOG.error("log {}: unexpected failure on the append path", id, e);
        } finally {
            drainScheduled.set(false);
            if (!queue.isEmpty()) {
                scheduleDrain();
            }
        }
    }

    /** One writer turn: validate, assign offsets, write, then hand off for fsync or complete. */
    private void writeQueued() {
        if (closed || offlineReason != null) {
            failQueued(offline());
            return;
        }
        LogConfig cfg = config;
        long now = store.clock().getAsLong();
        List<AppendValidator.Batch> batches = new ArrayList<>();
        List<Completion> completions = new ArrayList<>();
        long nextOffset = logEndOffset;
        int bytes = 0;
        Request r;
        try {
            while (bytes < MAX_DRAIN_BYTES && (r = queue.poll()) != null) {
                AppendValidator.Validated v;
                try {
                    v = AppendValidator.assign(r.batches, r.options, cfg, nextOffset, now, logStartOffset,
                            producers);
                } catch (StorageException e) {
                    r.future.completeExceptionally(e);
                    continue;
                }
                if (!v.batches().isEmpty() && shouldRoll(cfg, v.totalBytes(), now)) {
                    writeGroup(batches, completions, nextOffset);
                    batches = new ArrayList<>();
                    completions = new ArrayList<>();
                    roll(nextOffset);
                }
                v.pending().commit();
                for (ProducerStateManager.CompletedTxn t : v.pending().completedTxns()) {
                    if (t.aborted()) {
                        active.txnIndex.append(new TransactionIndex.Entry(t.producerId(), t.firstOffset(),
                                t.lastOffset()));
                    }
                }
                batches.addAll(v.batches());
                bytes += v.totalBytes();
                if (!v.batches().isEmpty()) {
                    nextOffset = v.nextOffset();
                }
                completions.add(new Completion(r.future, v.info()));
            }
            writeGroup(batches, completions, nextOffset);
        } catch (IOException | RuntimeException e) {
            StorageException se = new StorageException(StorageErrorCode.IO_ERROR, "write to " + active
                    + " failed: " + e.getMessage(), e);
            completions.forEach(c -> c.future.completeExceptionally(se));
            goOffline("write failed: " + e, e);
        }
    }

    private boolean shouldRoll(LogConfig cfg, int bytes, long now) {
        LogSegment seg = active;
        if (seg.isEmpty()) {
            return false;
        }
        return seg.size() + bytes > cfg.segmentBytes() || now - seg.createdMs >= cfg.segmentMs()
                || seg.indexesFull() || logEndOffset - seg.baseOffset > Integer.MAX_VALUE - (1L << 24);
    }

    private void writeGroup(List<AppendValidator.Batch> batches, List<Completion> completions, long nextOffset)
            throws IOException {
        if (completions.isEmpty()) {
            return;
        }
        LogSegment seg = active;
        if (!batches.isEmpty()) {
            seg.append(batches);
            logEndOffset = nextOffset;
            int records = 0;
            long bytes = 0;
            for (AppendValidator.Batch b : batches) {
                records += b.recordCount();
                bytes += b.sizeInBytes();
            }
            store.groupWritten(id, records, bytes);
        }
        Group g = new Group(seg, seg.size(), logEndOffset, completions);
        if (config.durability() == Durability.FSYNC || !unsynced.isEmpty() || syncScheduled.get()) {
            unsynced.add(g);
            lastQueuedGroup = g;
            scheduleSync();
        } else {
            publish(g);
        }
    }

    private void scheduleSync() {
        if (syncScheduled.compareAndSet(false, true)) {
            store.syncer().execute(this::sync);
        }
    }

    /** Runs on the syncer: one fsync covers every group queued before it started. */
    private void sync() {
        try {
            Group target;
            while ((target = lastQueuedGroup) != null && !unsynced.isEmpty()) {
                if (config.durability() == Durability.FSYNC) {
                    long t0 = System.nanoTime();
                    active.flush();
                    store.synced(id, System.nanoTime() - t0);
                    flushedOffset = target.endOffset;
                }
                Group g;
                while ((g = unsynced.peek()) != null && g.endOffset <= target.endOffset) {
                    unsynced.poll();
                    publish(g);
                    if (g == target) {
                        break;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            StorageException se = new StorageException(StorageErrorCode.IO_ERROR, "fsync of " + active
                    + " failed: " + e.getMessage(), e);
            Group g;
            while ((g = unsynced.poll()) != null) {
                g.completions.forEach(c -> c.future.completeExceptionally(se));
            }
            goOffline("fsync failed: " + e, e);
        } finally {
            syncScheduled.set(false);
            if (!unsynced.isEmpty()) {
                scheduleSync();
            }
        }
    }

    /** Makes a group readable and completes its appends. */
    private void publish(Group g) {
        g.segment.publish(g.endPosition);
        if (g.endOffset > highWatermark) {
            highWatermark = g.endOffset;
        }
        for (Completion c : g.completions) {
            c.future.complete(c.info);
        }
        listeners.advanced(highWatermark);
    }

    /** Closes the active segment (fsynced, indexes trimmed) and opens a new one at {@code nextOffset}. Writer. */
    private void roll(long nextOffset) throws IOException {
        LogSegment old = active;
        old.finish();
        LogSegment seg = LogSegment.open(dir, nextOffset, config.segmentBytes(), config.indexIntervalBytes(), true,
                store.clock().getAsLong());
        segments.put(nextOffset, seg);
        active = seg;
        LogLoader.writeSnapshot(dir, nextOffset, producers);
        recoveryPoint = nextOffset;
        new LogCheckpoint(false, logStartOffset, recoveryPoint).write(dir);
    }

    private void failQueued(StorageException e) {
        Request r;
        while ((r = queue.poll()) != null) {
            r.future.completeExceptionally(e);
        }
    }

    private void goOffline(String reason, Throwable cause) {
        if (offlineReason == null) {
            offlineReason = reason;
            LOG.error("log {} is OFFLINE: {}", id, reason, cause);
        }
        failQueued(offline());
    }

    private StorageException offline() {
        String reason = offlineReason;
        return new StorageException(StorageErrorCode.LOG_OFFLINE, "log " + id + " is "
                + (reason != null ? "offline: " + reason : "closed"));
    }

    // ------------------------------------------------------------------------------------------------ read path

    @Override
    public LogReadResult read(long offset, int maxBytes, long maxOffset) {
        for (int attempt = 0; ; attempt++) {
            try {
                return readOnce(offset, maxBytes, maxOffset);
            } catch (ClosedByInterruptException e) {
                throw new StorageException(StorageErrorCode.IO_ERROR, "read of " + id + " was interrupted", e);
            } catch (ClosedChannelException e) {
                // Retention or the cleaner replaced the segment under us (its successor is in the map now), or
                // another reader's interrupt closed the shared read channel (it is reopened on the next use).
                if (closed || attempt >= 3) {
                    throw closed ? offline() : new StorageException(StorageErrorCode.IO_ERROR, "read of " + id
                            + " keeps failing: " + e, e);
                }
                offset = Math.max(offset, logStartOffset);
            } catch (IOException e) {
                throw new StorageException(StorageErrorCode.IO_ERROR, "read of " + id + " failed: " + e, e);
            }
        }
    }

    private LogReadResult readOnce(long offset, int maxBytes, long maxOffset) throws IOException {
        ensureOnline();
        long hw = highWatermark;
        long start = logStartOffset;
        long end = logEndOffset;
        if (offset < start || offset > end) {
            throw new StorageException(StorageErrorCode.OFFSET_OUT_OF_RANGE, "offset " + offset + " is outside ["
                    + start + ", " + end + "] of " + id);
        }
        long limit = Math.min(maxOffset, hw);
        long lso = lastStableOffset();
        if (offset >= limit) {
            return new LogReadResult(LogSlice.EMPTY, hw, lso, start, List.of());
        }
        Map.Entry<Long, LogSegment> e = segments.floorEntry(offset);
        if (e == null) {
            e = segments.firstEntry();
        }
        {
            while (e != null) {
                LogSegment seg = e.getValue();
                if (seg.baseOffset >= limit) {
                    break;
                }
                Range range = readSegment(seg, offset, maxBytes, limit);
                if (range != null) {
                    if (range.slice.sizeInBytes() == 0) {
                        break;
                    }
                    return new LogReadResult(range.slice, hw, lso, start, abortedTxns(offset, range.lastOffset + 1));
                }
                e = segments.higherEntry(e.getKey());
            }
        }
        return new LogReadResult(LogSlice.EMPTY, hw, lso, start, List.of());
    }

    private record Range(LogSlice.FileRange slice, long lastOffset) {
    }

    /** Whole batches of one segment from the batch holding {@code offset}, or null if none holds it. */
    private static Range readSegment(LogSegment seg, long offset, int maxBytes, long limit) throws IOException {
        long committed = seg.committedSize();
        java.nio.channels.FileChannel ch = seg.readChannel();
        HeaderCursor c = HeaderCursor.get(ch, committed);
        long pos = seg.offsetIndex.lookup(offset);
        while (c.at(pos) && c.lastOffset() < offset) {
            pos += c.size();
        }
        if (!c.at(pos)) {
            return null;
        }
        long startPos = pos;
        long size = 0;
        long last = -1;
        while (c.at(pos) && c.baseOffset() < limit) {
            int s = c.size();
            if (size > 0 && size + s > maxBytes) {
                break;
            }
            last = c.lastOffset();
            size += s;
            pos += s;
        }
        return new Range(new LogSlice.FileRange(ch, startPos, (int) size), last);
    }

    private List<LogReadResult.AbortedTxn> abortedTxns(long from, long upper) {
        List<LogReadResult.AbortedTxn> out = null;
        Long floor = segments.floorKey(from);
        for (LogSegment seg : segments.tailMap(floor == null ? Long.MIN_VALUE : floor, true).values()) {
            for (TransactionIndex.Entry t : seg.txnIndex.entries()) {
                if (t.lastOffset() >= from && t.firstOffset() < upper) {
                    if (out == null) {
                        out = new ArrayList<>();
                    }
                    out.add(new LogReadResult.AbortedTxn(t.producerId(), t.firstOffset()));
                }
            }
            // No early exit at upper: a transaction that starts below upper may have its ABORT marker (and so its
            // index entry) in any later segment.
        }
        return out == null ? List.of() : out;
    }

    @Override
    public long logStartOffset() {
        return logStartOffset;
    }

    @Override
    public long logEndOffset() {
        return logEndOffset;
    }

    @Override
    public long highWatermark() {
        return highWatermark;
    }

    @Override
    public long lastStableOffset() {
        return Math.min(producers.firstUnstableOffset(), highWatermark);
    }

    @Override
    public Optional<TimestampOffset> offsetForTimestamp(long timestamp) {
        ensureOnline();
        long hw = highWatermark;
        try {
            for (LogSegment seg : segments.values()) {
                if (seg.maxTimestamp() < timestamp || seg.baseOffset >= hw) {
                    continue;
                }
                long scanFrom = Math.max(seg.timeIndex.lookupScanStart(timestamp), logStartOffset);
                HeaderCursor c = HeaderCursor.get(seg.readChannel(), seg.committedSize());
                long pos = seg.offsetIndex.lookup(scanFrom);
                while (c.at(pos) && c.baseOffset() < hw) {
                    if (c.lastOffset() >= scanFrom && c.maxTimestamp() >= timestamp) {
                        ByteBuffer batch = readBatch(seg, pos, c.size());
                        TimestampOffset found = Batches.firstAtOrAfter(batch, timestamp, logStartOffset);
                        if (found != null) {
                            return Optional.of(found);
                        }
                    }
                    pos += c.size();
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new StorageException(StorageErrorCode.IO_ERROR, "time lookup in " + id + " failed", e);
        }
    }

    @Override
    public Optional<TimestampOffset> maxTimestamp() {
        ensureOnline();
        LogSegment best = null;
        for (LogSegment seg : segments.values()) {
            if (seg.maxTimestamp() >= 0 && (best == null || seg.maxTimestamp() > best.maxTimestamp())) {
                best = seg;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        try {
            long base = best.maxTimestampOffset();
            HeaderCursor c = HeaderCursor.get(best.readChannel(), best.committedSize());
            long pos = best.offsetIndex.lookup(base);
            while (c.at(pos) && c.baseOffset() < base) {
                pos += c.size();
            }
            if (c.at(pos) && c.baseOffset() == base) {
                ByteBuffer batch = readBatch(best, pos, c.size());
                return Optional.of(new TimestampOffset(best.maxTimestamp(), Batches.offsetOfMaxTimestamp(batch)));
            }
            return Optional.of(new TimestampOffset(best.maxTimestamp(), base));
        } catch (IOException e) {
            throw new StorageException(StorageErrorCode.IO_ERROR, "max timestamp of " + id + " failed", e);
        }
    }

    private static ByteBuffer readBatch(LogSegment seg, long pos, int size) throws IOException {
        return new LogSlice.FileRange(seg.readChannel(), pos, size).toByteBuffer();
    }

    @Override
    public AutoCloseable onHighWatermark(LongConsumer listener) {
        return listeners.add(listener);
    }

    // -------------------------------------------------------------------------------------- deletion, retention

    @Override
    public CompletableFuture<Long> deleteRecordsBefore(long offset) {
        return onWriter(() -> {
            if (offset < 0 || offset > highWatermark) {
                throw new StorageException(StorageErrorCode.OFFSET_OUT_OF_RANGE, "cannot delete before " + offset
                        + ": the high watermark of " + id + " is " + highWatermark);
            }
            if (offset > logStartOffset) {
                logStartOffset = offset;
                if (offset >= logEndOffset && active.size() >= ROLL_ON_DELETE_MIN_BYTES && unsynced.isEmpty()) {
                    roll(logEndOffset);
                }
                List<LogSegment> doomed = new ArrayList<>();
                for (LogSegment seg : segments.values()) {
                    if (seg != active && seg.nextOffset() <= offset) {
                        doomed.add(seg);
                    }
                }
                deleteSegments(doomed);
                new LogCheckpoint(false, logStartOffset, recoveryPoint).write(dir);
            }
            return logStartOffset;
        });
    }

    /**
     * Applies time and size retention and the time-based roll. Runs on the writer; called by the store's
     * maintenance tick and by tests.
     *
     * @return the number of segments deleted
     */
    CompletableFuture<Integer> enforceRetention() {
        return onWriter(() -> {
            LogConfig cfg = config;
            long now = store.clock().getAsLong();
            producers.removeExpired(now, store.options().producerIdExpirationMs());
            if (!active.isEmpty() && now - active.createdMs >= cfg.segmentMs() && unsynced.isEmpty()) {
                roll(logEndOffset);
            }
            if (!cfg.cleanupPolicy().deletes()) {
                return 0;
            }
            List<LogSegment> closedSegs = new ArrayList<>();
            for (LogSegment seg : segments.values()) {
                if (seg != active && seg.nextOffset() <= highWatermark) {
                    closedSegs.add(seg);
                }
            }
            List<LogSegment> doomed = new ArrayList<>();
            if (cfg.retentionMs() >= 0) {
                for (LogSegment seg : closedSegs) {
                    if (seg.maxTimestamp() < now - cfg.retentionMs()) {
                        doomed.add(seg);
                    } else {
                        break;
                    }
                }
            }
            if (cfg.retentionBytes() >= 0) {
                long total = 0;
                for (LogSegment seg : segments.values()) {
                    total += seg.size();
                }
                for (LogSegment seg : doomed) {
                    total -= seg.size();
                }
                for (LogSegment seg : closedSegs.subList(doomed.size(), closedSegs.size())) {
                    if (total - seg.size() >= cfg.retentionBytes()) {
                        doomed.add(seg);
                        total -= seg.size();
                    } else {
                        break;
                    }
                }
            }
            if (!doomed.isEmpty()) {
                deleteSegments(doomed);
                long firstBase = segments.firstKey();
                if (firstBase > logStartOffset) {
                    logStartOffset = firstBase;
                }
                new LogCheckpoint(false, logStartOffset, recoveryPoint).write(dir);
                LOG.info("log {}: retention deleted {} segment(s); log start offset is now {}", id, doomed.size(),
                        logStartOffset);
            }
            return doomed.size();
        });
    }

    /**
     * Whether {@link #enforceRetention} could do anything at {@code now}: a producer may expire, the active segment
     * is due to roll, or a closed segment is past time or size retention. Runs on the maintenance thread without
     * the writer, from volatile state; a stale answer only moves the work by one tick. This is what keeps an idle
     * log free: the tick asks every log, but only a due one costs a hop to its writer.
     */
    boolean retentionDue(long now) {
        if (closed || offlineReason != null) {
            return false;
        }
        LogConfig cfg = config;
        if (producers.expiryDue(now, store.options().producerIdExpirationMs())) {
            return true;
        }
        LogSegment a = active;
        if (!a.isEmpty() && now - a.createdMs >= cfg.segmentMs()) {
            return true;
        }
        if (!cfg.cleanupPolicy().deletes()) {
            return false;
        }
        var first = segments.firstEntry();
        if (first == null || first.getValue() == a) {
            return false; // retention never deletes the active segment
        }
        if (cfg.retentionMs() >= 0 && first.getValue().maxTimestamp() < now - cfg.retentionMs()) {
            return true;
        }
        if (cfg.retentionBytes() >= 0) {
            long total = 0;
            for (LogSegment seg : segments.values()) {
                total += seg.size();
            }
            return total - first.getValue().size() >= cfg.retentionBytes();
        }
        return false;
    }

    /** Whether {@link #flushIfDue} has anything to fsync; cheap, from any thread. */
    boolean flushDue() {
        return !closed && offlineReason == null && config.durability() == Durability.OS_CACHE
                && logEndOffset > flushedOffset;
    }

    /** In OS_CACHE mode, fsyncs what was written since the last flush. Runs on the syncer. */
    void flushIfDue() {
        if (closed || offlineReason != null || config.durability() != Durability.OS_CACHE) {
            return;
        }
        long end = logEndOffset;
        if (end > flushedOffset) {
            try {
                long t0 = System.nanoTime();
                active.flush();
                store.synced(id, System.nanoTime() - t0);
                flushedOffset = end;
            } catch (ClosedChannelException e) {
                // rolled or closed meanwhile: the roll flushed it
            } catch (IOException e) {
                goOffline("periodic flush failed: " + e, e);
            }
        }
    }

    private void deleteSegments(List<LogSegment> doomed) throws IOException {
        for (LogSegment seg : doomed) {
            segments.remove(seg.baseOffset);
            seg.renameToDeleted();
            store.scheduleDelete(seg);
        }
    }

    // ------------------------------------------------------------------------------------------ cleaner hooks

    ConcurrentSkipListMap<Long, LogSegment> segments() {
        return segments;
    }

    LogSegment activeSegment() {
        return active;
    }

    /** Replaces a segment by its cleaned version; runs the swap on the writer. */
    CompletableFuture<Boolean> swapCleaned(LogSegment old, LogCleaner.Cleaned cleaned) {
        return onWriter(() -> {
            if (segments.get(old.baseOffset) != old || old == active) {
                cleaned.discard();
                return false;
            }
            LogSegment replacement = cleaned.install(config);
            segments.put(old.baseOffset, replacement);
            store.scheduleDelete(old);
            return true;
        });
    }

    // ------------------------------------------------------------------------------------------------ plumbing

    interface WriterTask<T> {
        T run() throws Exception;
    }

    /** Runs {@code task} on this log's writer thread, after every append queued before it. */
    <T> CompletableFuture<T> onWriter(WriterTask<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        if (closed || offlineReason != null) {
            f.completeExceptionally(offline());
            return f;
        }
        writer.execute(() -> {
            try {
                if (closed || offlineReason != null) {
                    throw offline();
                }
                f.complete(task.run());
            } catch (StorageException e) {
                f.completeExceptionally(e);
            } catch (Exception e) {
                f.completeExceptionally(new StorageException(StorageErrorCode.IO_ERROR, e.toString(), e));
            }
        });
        return f;
    }

    @Override
    public LogStats stats() {
        long size = 0;
        int count = 0;
        for (LogSegment seg : segments.values()) {
            size += seg.size();
            count++;
        }
        return new LogStats(size, count, logStartOffset, logEndOffset);
    }

    @Override
    public boolean isOnline() {
        return offlineReason == null && !closed;
    }

    boolean isClosed() {
        return closed;
    }

    private void ensureOnline() {
        if (closed || offlineReason != null) {
            throw offline();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        writer.execute(() -> {
            try {
                closeOnWriter();
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        try {
            done.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.error("log {}: clean close failed; the next open will recover it", id, e);
        }
        store.closed(this);
    }

    private void closeOnWriter() throws IOException, InterruptedException {
        if (offlineReason == null) {
            writeQueued();
        }
        closed = true;
        failQueued(offline());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((syncScheduled.get() || !unsynced.isEmpty()) && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        if (offlineReason == null) {
            LogSegment seg = active;
            seg.finish();
            LogLoader.writeSnapshot(dir, logEndOffset, producers);
            new LogCheckpoint(true, logStartOffset, logEndOffset).write(dir);
        }
        for (LogSegment seg : segments.values()) {
            seg.close();
        }
    }

    /** Closes files without a clean checkpoint, on the writer, before the log's directory is deleted. */
    void closeForDelete() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        writer.execute(() -> {
            closed = true;
            failQueued(offline());
            for (LogSegment seg : segments.values()) {
                seg.close();
            }
            done.complete(null);
        });
        done.join();
    }

    @Override
    public String toString() {
        return "FilePartitionLog[" + id + "]";
    }
}
