package io.sluice.core.queue.internal;

import io.sluice.core.Message;
import io.sluice.core.SluiceException;
import io.sluice.core.stream.StreamPartition;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Group commit for one queue's log: publishes that arrive while the log is busy are appended together as one record
 * batch, so a burst of publishes costs one batch header, one CRC pass, one append request and one completion instead
 * of one of each per message.
 *
 * <p><b>Contract.</b> Each message's future completes only when the append that carried it completed (in
 * {@code fsync} durability: after the fsync that covers it), and with that append's outcome. Messages reach the log
 * in the order {@link #append} was called, across all callers, because requests are handed to the log under this
 * object's lock and the log keeps the order of its requests. Futures of one batch complete in message order.
 *
 * <p><b>Why no timer.</b> At most {@link #MAX_IN_FLIGHT} appends are outstanding; while that many are, new messages
 * wait in a pending batch that goes out as soon as one completes. An idle queue therefore appends a lone publish at
 * once (no added latency), and a busy one batches exactly what arrived during the previous write and fsync. Two in
 * flight rather than one lets the log write the next batch while the previous one is being fsynced.
 *
 * <p><b>Batch size.</b> A batch holds at most {@link #MAX_BATCH_BYTES} of message bytes and {@link #MAX_BATCH_COUNT}
 * messages, far below the log's largest accepted batch (1 MiB by default), so coalescing never turns messages that
 * would be accepted one by one into a rejected batch; a message above the byte limit goes out alone, as it would
 * without coalescing. Thread-safe: publishes come from every connection's event loop.
 */
final class QueueAppender {
    static final int MAX_IN_FLIGHT = 2;
    static final int MAX_BATCH_BYTES = 64 * 1024;
    static final int MAX_BATCH_COUNT = 256;

    private record Pending(Message message, int size, CompletableFuture<Boolean> future) {
    }

    private final StreamPartition partition;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private int inFlight;

    QueueAppender(StreamPartition partition) {
        this.partition = partition;
    }

    /** Appends {@code m}; the future completes with {@code true} once it is in the log (durable in fsync mode). */
    CompletableFuture<Boolean> append(Message m) {
        synchronized (this) {
            if (inFlight < MAX_IN_FLIGHT && pending.isEmpty()) {
                inFlight++;
                CompletableFuture<Boolean> f = new CompletableFuture<>();
                issue(List.of(m), List.of(f));
                return f;
            }
            CompletableFuture<Boolean> f = new CompletableFuture<>();
            pending.add(new Pending(m, m.sizeInBytes(), f));
            return f;
        }
    }

    /** Hands one batch to the log; called with the lock held, so batches reach the log in call order. */
    private void issue(List<Message> messages, List<CompletableFuture<Boolean>> futures) {
        CompletableFuture<?> appended;
        try {
            appended = partition.publish(messages);
        } catch (RuntimeException e) {
            appended = CompletableFuture.failedFuture(e);
        }
        appended.whenComplete((r, t) -> {
            if (t != null) {
                SluiceException s = SluiceException.from(t);
                for (CompletableFuture<Boolean> f : futures) {
                    f.completeExceptionally(s);
                }
            } else {
                for (CompletableFuture<Boolean> f : futures) {
                    f.complete(true);
                }
            }
            completed();
        });
    }

    private void completed() {
        synchronized (this) {
            inFlight--;
            while (inFlight < MAX_IN_FLIGHT && !pending.isEmpty()) {
                List<Message> messages = new ArrayList<>(Math.min(pending.size(), MAX_BATCH_COUNT));
                List<CompletableFuture<Boolean>> futures = new ArrayList<>(Math.min(pending.size(), MAX_BATCH_COUNT));
                int bytes = 0;
                Pending p;
                while ((p = pending.peek()) != null && messages.size() < MAX_BATCH_COUNT
                        && (messages.isEmpty() || bytes + p.size() <= MAX_BATCH_BYTES)) {
                    pending.poll();
                    messages.add(p.message());
                    futures.add(p.future());
                    bytes += p.size();
                }
                inFlight++;
                issue(messages, futures);
            }
        }
    }
}
