package io.sluice.storage.memory;

import io.sluice.storage.AppendInfo;
import io.sluice.storage.AppendOptions;
import io.sluice.storage.LogConfig;
import io.sluice.storage.LogId;
import io.sluice.storage.LogReadResult;
import io.sluice.storage.LogSlice;
import io.sluice.storage.LogStats;
import io.sluice.storage.PartitionLog;
import io.sluice.storage.StorageErrorCode;
import io.sluice.storage.StorageException;
import io.sluice.storage.TimestampOffset;
import io.sluice.storage.log.AppendValidator;
import io.sluice.storage.log.Batches;
import io.sluice.storage.log.HighWatermarkListeners;
import io.sluice.storage.log.ProducerStateManager;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * A partition log held in the heap: every acknowledged batch is a read-only buffer keyed by its base offset.
 *
 * <p><b>Threading.</b> Appends and deletions take the log's lock on the caller's thread (there is no I/O to wait
 * for) and complete their futures after releasing it; listeners are then told of the new high watermark, in order.
 * Reads take no lock: they walk a concurrent skip list whose entries are immutable. The high watermark equals the
 * log end offset (nothing is pending a sync).
 *
 * <p><b>Retention.</b> Each batch plays the part of a segment. With a deleting cleanup policy, {@code retentionBytes}
 * drops the oldest batches after an append while the log is larger than the limit, always keeping the newest batch
 * (as the file log keeps its active segment); {@code retentionMs} drops batches whose newest timestamp is older than
 * the limit, checked after every append and before every read, so an idle log does not serve expired records even
 * though no thread sweeps it. Compaction is not applied to heap logs.
 */
final class MemoryPartitionLog implements PartitionLog {

    private record Stored(ByteBuffer buffer, long baseOffset, long lastOffset, long maxTimestamp) {
    }

    private record Aborted(long producerId, long firstOffset, long lastOffset) {
    }

    /** How often, at most, an append also forgets expired producers (there is no maintenance thread). */
    private static final long PRODUCER_EXPIRY_CHECK_MS = 60_000;

    private final LogId id;
    private final LongSupplier clock;
    private final long producerIdExpirationMs;
    private long lastProducerExpiryMs;
    private final Object lock = new Object();
    private final ConcurrentSkipListMap<Long, Stored> batches = new ConcurrentSkipListMap<>();
    private final CopyOnWriteArrayList<Aborted> aborted = new CopyOnWriteArrayList<>();
    private final ProducerStateManager producers = new ProducerStateManager();
    private final HighWatermarkListeners listeners = new HighWatermarkListeners();
    private volatile LogConfig config;
    private volatile long logStartOffset;
    private volatile long logEndOffset;
    private volatile long sizeInBytes;
    private volatile Stored maxTimestampBatch;
    private volatile boolean closed;

    MemoryPartitionLog(LogId id, LogConfig config, LongSupplier clock, long producerIdExpirationMs) {
        this.id = id;
        this.config = config;
        this.clock = clock;
        this.producerIdExpirationMs = producerIdExpirationMs;
        this.lastProducerExpiryMs = clock.getAsLong();
    }

    void reopen(LogConfig config) {
        this.config = config;
        this.closed = false;
    }

    @Override
    public LogId id() {
        return id;
    }

    @Override
    public LogConfig config() {
        return config;
    }

    @Override
    public void updateConfig(LogConfig config) {
        this.config = config;
    }

    @Override
    public CompletableFuture<AppendInfo> append(ByteBuffer request, AppendOptions options) {
        AppendInfo info;
        long hw;
        try {
            AppendValidator.Prechecked checked = AppendValidator.precheck(request, options, config, true);
            synchronized (lock) {
                ensureOpen();
                AppendValidator.Validated v = AppendValidator.assign(checked, options, config, logEndOffset,
                        clock.getAsLong(), logStartOffset, producers);
                v.pending().commit();
                for (ProducerStateManager.CompletedTxn t : v.pending().completedTxns()) {
                    if (t.aborted()) {
                        aborted.add(new Aborted(t.producerId(), t.firstOffset(), t.lastOffset()));
                    }
                }
                for (AppendValidator.Batch b : v.batches()) {
                    Stored s = new Stored(b.buffer().asReadOnlyBuffer(), b.baseOffset(), b.lastOffset(),
                            b.maxTimestamp());
                    batches.put(b.baseOffset(), s);
                    Stored max = maxTimestampBatch;
                    if (max == null || s.maxTimestamp > max.maxTimestamp) {
                        maxTimestampBatch = s;
                    }
                    logEndOffset = b.lastOffset() + 1;
                }
                sizeInBytes += v.totalBytes();
                info = v.info();
                hw = logEndOffset;
                enforceRetention();
                long now = clock.getAsLong();
                if (now - lastProducerExpiryMs >= PRODUCER_EXPIRY_CHECK_MS) {
                    lastProducerExpiryMs = now;
                    producers.removeExpired(now, producerIdExpirationMs);
                }
            }
        } catch (StorageException e) {
            return CompletableFuture.failedFuture(e);
        }
        listeners.advanced(hw);
        return CompletableFuture.completedFuture(info);
    }

    @Override
    public LogReadResult read(long offset, int maxBytes, long maxOffset) {
        ensureOpen();
        if (headExpired()) {
            synchronized (lock) {
                enforceRetention();
            }
        }
        long start = logStartOffset;
        long end = logEndOffset;
        if (offset < start || offset > end) {
            throw new StorageException(StorageErrorCode.OFFSET_OUT_OF_RANGE, "offset " + offset + " is outside ["
                    + start + ", " + end + "] of " + id);
        }
        long hw = end;
        long limit = Math.min(maxOffset, hw);
        Map.Entry<Long, Stored> first = batches.floorEntry(offset);
        Long from = first != null && first.getValue().lastOffset >= offset ? first.getKey() : offset;
        List<ByteBuffer> parts = new ArrayList<>();
        int size = 0;
        long upper = offset;
        for (Stored s : batches.tailMap(from, true).values()) {
            if (s.baseOffset >= limit) {
                break;
            }
            int n = s.buffer.remaining();
            if (!parts.isEmpty() && size + n > maxBytes) {
                break;
            }
            parts.add(s.buffer.duplicate());
            size += n;
            upper = s.lastOffset + 1;
        }
        LogSlice slice;
        if (parts.isEmpty()) {
            slice = LogSlice.EMPTY;
        } else if (parts.size() == 1) {
            slice = new LogSlice.Memory(parts.getFirst());
        } else {
            ByteBuffer all = ByteBuffer.allocate(size);
            parts.forEach(all::put);
            slice = new LogSlice.Memory(all.flip());
        }
        List<LogReadResult.AbortedTxn> abortedTxns = List.of();
        if (!parts.isEmpty() && !aborted.isEmpty()) {
            abortedTxns = new ArrayList<>();
            for (Aborted a : aborted) {
                if (a.lastOffset >= offset && a.firstOffset < upper) {
                    abortedTxns.add(new LogReadResult.AbortedTxn(a.producerId, a.firstOffset));
                }
            }
        }
        return new LogReadResult(slice, hw, lastStableOffset(), start, abortedTxns);
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
        return logEndOffset;
    }

    @Override
    public long lastStableOffset() {
        return Math.min(producers.firstUnstableOffset(), logEndOffset);
    }

    @Override
    public Optional<TimestampOffset> offsetForTimestamp(long timestamp) {
        ensureOpen();
        for (Stored s : batches.values()) {
            if (s.maxTimestamp >= timestamp && s.lastOffset >= logStartOffset) {
                TimestampOffset found = Batches.firstAtOrAfter(s.buffer, timestamp, logStartOffset);
                if (found != null) {
                    return Optional.of(found);
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<TimestampOffset> maxTimestamp() {
        ensureOpen();
        Stored s = maxTimestampBatch;
        if (s == null || !batches.containsKey(s.baseOffset)) {
            s = null;
            for (Stored b : batches.values()) {
                if (s == null || b.maxTimestamp > s.maxTimestamp) {
                    s = b;
                }
            }
            maxTimestampBatch = s;
        }
        if (s == null) {
            return Optional.empty();
        }
        return Optional.of(new TimestampOffset(s.maxTimestamp, Batches.offsetOfMaxTimestamp(s.buffer)));
    }

    @Override
    public AutoCloseable onHighWatermark(LongConsumer listener) {
        return listeners.add(listener);
    }

    @Override
    public CompletableFuture<Long> deleteRecordsBefore(long offset) {
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(offline());
            }
            if (offset > logEndOffset || offset < 0) {
                return CompletableFuture.failedFuture(new StorageException(StorageErrorCode.OFFSET_OUT_OF_RANGE,
                        "cannot delete before " + offset + ": the high watermark of " + id + " is " + logEndOffset));
            }
            if (offset > logStartOffset) {
                truncateHead(offset);
            }
            return CompletableFuture.completedFuture(logStartOffset);
        }
    }

    /** Moves the log start to {@code offset} and frees the batches wholly below it; the caller holds the lock. */
    private void truncateHead(long offset) {
        logStartOffset = offset;
        long freed = 0;
        var it = batches.values().iterator();
        while (it.hasNext()) {
            Stored s = it.next();
            if (s.lastOffset >= offset) {
                break;
            }
            freed += s.buffer.remaining();
            it.remove();
        }
        sizeInBytes -= freed;
        aborted.removeIf(a -> a.lastOffset < offset);
    }

    private boolean headExpired() {
        LogConfig cfg = config;
        if (cfg.retentionMs() < 0 || !cfg.cleanupPolicy().deletes()) {
            return false;
        }
        Map.Entry<Long, Stored> head = batches.firstEntry();
        return head != null && head.getValue().maxTimestamp < clock.getAsLong() - cfg.retentionMs();
    }

    /** Drops the batches retention no longer keeps; the caller holds the lock. */
    private void enforceRetention() {
        LogConfig cfg = config;
        if (!cfg.cleanupPolicy().deletes()) {
            return;
        }
        long expiredBefore = cfg.retentionMs() < 0 ? Long.MIN_VALUE : clock.getAsLong() - cfg.retentionMs();
        long newStart = logStartOffset;
        long size = sizeInBytes;
        for (Stored s : batches.values()) {
            boolean expired = s.maxTimestamp < expiredBefore;
            boolean oversized = cfg.retentionBytes() >= 0 && s.lastOffset + 1 < logEndOffset
                    && size - s.buffer.remaining() >= cfg.retentionBytes();
            if (!expired && !oversized) {
                break;
            }
            size -= s.buffer.remaining();
            newStart = s.lastOffset + 1;
        }
        if (newStart > logStartOffset) {
            truncateHead(newStart);
        }
    }

    @Override
    public LogStats stats() {
        return new LogStats(sizeInBytes, 1, logStartOffset, logEndOffset);
    }

    @Override
    public boolean isOnline() {
        return !closed;
    }

    @Override
    public void close() {
        closed = true;
    }

    private void ensureOpen() {
        if (closed) {
            throw offline();
        }
    }

    private StorageException offline() {
        return new StorageException(StorageErrorCode.LOG_OFFLINE, "log " + id + " is closed");
    }
}
