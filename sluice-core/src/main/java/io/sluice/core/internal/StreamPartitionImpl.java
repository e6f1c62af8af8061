package io.sluice.core.internal;

import io.sluice.core.ErrorCode;
import io.sluice.core.Message;
import io.sluice.core.MessageCodec;
import io.sluice.core.SluiceException;
import io.sluice.core.stream.AppendResult;
import io.sluice.core.stream.Isolation;
import io.sluice.core.stream.StreamPartition;
import io.sluice.storage.AppendInfo;
import io.sluice.storage.AppendOptions;
import io.sluice.storage.LogReadResult;
import io.sluice.storage.LogStats;
import io.sluice.storage.PartitionLog;
import io.sluice.storage.TimestampOffset;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * A stream partition over one storage {@link PartitionLog}: maps results to the core's types and keeps the long-poll
 * waiters, woken by one high-watermark listener per partition (so a thousand waiting fetches cost one listener).
 */
final class StreamPartitionImpl implements StreamPartition {
    private final String stream;
    private final UUID streamId;
    private final int partition;
    private final PartitionLog log;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    private final AutoCloseable hwListener;
    private volatile boolean deleted;

    private record Waiter(long offset, CompletableFuture<Void> future) {
    }

    StreamPartitionImpl(String stream, UUID streamId, int partition, PartitionLog log, Clock clock,
                        ScheduledExecutorService scheduler) {
        this.stream = stream;
        this.streamId = streamId;
        this.partition = partition;
        this.log = log;
        this.clock = clock;
        this.scheduler = scheduler;
        this.hwListener = log.onHighWatermark(this::wake);
    }

    private void wake(long hw) {
        if (waiters.isEmpty()) {
            return;
        }
        for (Waiter w : waiters) {
            if (hw > w.offset && w.future.complete(null)) {
                waiters.remove(w);
            } else if (w.future.isDone()) {
                waiters.remove(w);
            }
        }
    }

    PartitionLog log() {
        return log;
    }

    void markDeleted() {
        deleted = true;
        try {
            hwListener.close();
        } catch (Exception ignored) {
            // listener handles never fail to close
        }
        waiters.forEach(w -> w.future.complete(null));
        waiters.clear();
    }

    private void checkLive() {
        if (deleted) {
            throw new SluiceException(ErrorCode.STREAM_NOT_FOUND, "stream '" + stream + "' was deleted");
        }
    }

    @Override
    public String stream() {
        return stream;
    }

    @Override
    public UUID streamId() {
        return streamId;
    }

    @Override
    public int partition() {
        return partition;
    }

    @Override
    public CompletableFuture<AppendResult> append(ByteBuffer batches, AppendOptions options) {
        if (deleted) {
            return CompletableFuture.failedFuture(new SluiceException(ErrorCode.STREAM_NOT_FOUND, stream));
        }
        return log.append(batches, options).thenApply(StreamPartitionImpl::toResult);
    }

    static AppendResult toResult(AppendInfo i) {
        return new AppendResult(i.firstOffset(), i.lastOffset(), i.logAppendTime(), i.logStartOffset(), i.duplicate());
    }

    @Override
    public CompletableFuture<AppendResult> publish(List<Message> messages) {
        if (messages.isEmpty()) {
            long end = log.logEndOffset();
            return CompletableFuture.completedFuture(new AppendResult(end, end - 1, -1, log.logStartOffset(), false));
        }
        return append(MessageCodec.toBatch(messages, clock.millis()), AppendOptions.INTERNAL);
    }

    @Override
    public LogReadResult read(long offset, int maxBytes, Isolation isolation) {
        checkLive();
        long max = isolation == Isolation.READ_COMMITTED ? log.lastStableOffset() : log.highWatermark();
        return log.read(offset, maxBytes, max);
    }

    @Override
    public long logStartOffset() {
        return log.logStartOffset();
    }

    @Override
    public long highWatermark() {
        return log.highWatermark();
    }

    @Override
    public long lastStableOffset() {
        return log.lastStableOffset();
    }

    @Override
    public long logEndOffset() {
        return log.logEndOffset();
    }

    @Override
    public Optional<TimestampOffset> offsetForTimestamp(long timestamp) {
        return log.offsetForTimestamp(timestamp);
    }

    @Override
    public Optional<TimestampOffset> maxTimestamp() {
        return log.maxTimestamp();
    }

    @Override
    public AutoCloseable onHighWatermark(LongConsumer listener) {
        return log.onHighWatermark(listener);
    }

    @Override
    public CompletableFuture<Void> awaitBeyond(long offset, long timeoutMs) {
        if (deleted || log.highWatermark() > offset || timeoutMs <= 0) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> f = new CompletableFuture<>();
        Waiter w = new Waiter(offset, f);
        waiters.add(w);
        // Re-check after registering: the watermark may have moved between the first check and the add.
        if (log.highWatermark() > offset) {
            f.complete(null);
            waiters.remove(w);
            return f;
        }
        var timer = scheduler.schedule(() -> {
            f.complete(null);
            waiters.remove(w);
        }, timeoutMs, TimeUnit.MILLISECONDS);
        f.whenComplete((v, t) -> timer.cancel(false));
        return f;
    }

    @Override
    public CompletableFuture<Long> deleteRecordsBefore(long offset) {
        return log.deleteRecordsBefore(offset);
    }

    @Override
    public LogStats stats() {
        return log.stats();
    }
}
