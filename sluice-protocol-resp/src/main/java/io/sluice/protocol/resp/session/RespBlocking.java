package io.sluice.protocol.resp.session;

import io.sluice.core.queue.DeliveryGroup;
import io.sluice.core.stream.StreamPartition;
import io.sluice.protocol.resp.codec.RespReply;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The BLOCK loop of XREAD and XREADGROUP: try, and while nothing is there and time remains, wait until one of the
 * watched partitions' high watermark moves (the core's long-poll, one listener per partition however many clients
 * wait), then try again. Keys that do not exist yet are re-checked every {@value #MISSING_KEY_POLL_MS} ms.
 *
 * <p>Every attempt starts on the connection's event loop (an attempt that reads the log hands the read to the
 * listener's read executor, see {@link RespServerContext#offLoop}, and the loop resumes on the event loop). A wake-up
 * hops there too rather than running the next attempt on the thread that moved the watermark, which is the log's
 * writer: the attempt may load a stream's state from the log, and the writer's next group commit must not wait for
 * it. The watermarks are captured before each attempt, so an append that lands between the attempt and the wait
 * wakes the wait at once instead of being missed. A closed connection ends the loop at the next wake-up. An
 * XREADGROUP's wait also ends when one of its groups ends ({@link DeliveryGroup#onEnd}), which moves no watermark,
 * so the next attempt answers at once with the group's absence.
 */
final class RespBlocking {

    static final long MISSING_KEY_POLL_MS = 100;
    /** Longest single wait; a blocked read re-checks its connection at least this often for BLOCK 0. */
    static final long MAX_WAIT_MS = 10_000;

    /** The wait itself holds nothing: a wake-up after the connection closed ends the loop. */
    private static final Runnable NOTHING_TO_CANCEL = () -> { };

    private final RespSession session;
    private final Supplier<List<StreamPartition>> watch;
    private final int keyCount;
    private final Supplier<CompletableFuture<RespReply>> attempt;
    private final List<DeliveryGroup> groups;
    private final RespReply timeoutReply;
    private final long deadlineNanos;
    private final CompletableFuture<RespReply> result = new CompletableFuture<>();

    private RespBlocking(RespSession session, long blockMs, int keyCount, Supplier<List<StreamPartition>> watch,
                         List<DeliveryGroup> groups, Supplier<CompletableFuture<RespReply>> attempt,
                         RespReply timeoutReply) {
        this.session = session;
        this.watch = watch;
        this.keyCount = keyCount;
        this.groups = groups;
        this.attempt = attempt;
        this.timeoutReply = timeoutReply;
        this.deadlineNanos = deadline(blockMs);
    }

    /**
     * Runs {@code attempt} (completing with null when there is nothing to return) until it answers or
     * {@code blockMs} passes (0 = forever), then completes with its answer or {@code timeoutReply}.
     */
    static CompletableFuture<RespReply> run(RespSession session, long blockMs, int keyCount,
                                            Supplier<List<StreamPartition>> watch,
                                            Supplier<CompletableFuture<RespReply>> attempt, RespReply timeoutReply) {
        return run(session, blockMs, keyCount, watch, List.of(), attempt, timeoutReply);
    }

    /** {@link #run} for an XREADGROUP: the wait also ends when one of {@code groups} ends. */
    static CompletableFuture<RespReply> run(RespSession session, long blockMs, int keyCount,
                                            Supplier<List<StreamPartition>> watch, List<DeliveryGroup> groups,
                                            Supplier<CompletableFuture<RespReply>> attempt, RespReply timeoutReply) {
        RespBlocking b = new RespBlocking(session, blockMs, keyCount, watch, groups, attempt, timeoutReply);
        b.loop();
        return b.result;
    }

    /** When a BLOCK of {@code blockMs} ends, on {@link System#nanoTime}'s scale; {@code Long.MAX_VALUE} for BLOCK 0. */
    static long deadline(long blockMs) {
        return blockMs == 0 ? Long.MAX_VALUE : System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(blockMs);
    }

    /** The next wait before {@code deadlineNanos}, in ms: at most {@link #MAX_WAIT_MS}, 0 once it has passed. */
    static long nextWaitMs(long deadlineNanos) {
        long remainingNanos = deadlineNanos == Long.MAX_VALUE ? Long.MAX_VALUE : deadlineNanos - System.nanoTime();
        if (remainingNanos <= 0) {
            return 0;
        }
        return Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(remainingNanos) + 1, MAX_WAIT_MS));
    }

    private void loop() {
        session.blockedOn(null);
        if (!session.isOpen()) {
            result.complete(null);
            return;
        }
        List<StreamPartition> partitions;
        List<Long> marks = new ArrayList<>();
        try {
            partitions = watch.get();
            for (StreamPartition p : partitions) {
                marks.add(p.highWatermark());
            }
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            return;
        }
        CompletableFuture<RespReply> tried;
        try {
            tried = attempt.get();
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            return;
        }
        tried.whenComplete((reply, err) -> session.executor().execute(() -> {
            if (err != null) {
                result.completeExceptionally(err);
            } else if (reply != null) {
                result.complete(reply);
            } else {
                waitAndRetry(partitions, marks);
            }
        }));
    }

    private void waitAndRetry(List<StreamPartition> partitions, List<Long> marks) {
        long waitMs = nextWaitMs(deadlineNanos);
        if (waitMs == 0) {
            result.complete(timeoutReply);
            return;
        }
        session.blockedOn(NOTHING_TO_CANCEL);
        if (partitions.size() < keyCount) {
            waitMs = Math.min(waitMs, MISSING_KEY_POLL_MS);
        }
        if (partitions.isEmpty()) {
            session.executor().schedule(this::loop, waitMs, TimeUnit.MILLISECONDS);
            return;
        }
        CompletableFuture<?>[] waits = new CompletableFuture<?>[partitions.size() + (groups.isEmpty() ? 0 : 1)];
        for (int i = 0; i < partitions.size(); i++) {
            waits[i] = partitions.get(i).awaitBeyond(marks.get(i), waitMs);
        }
        List<AutoCloseable> endHandles = new ArrayList<>(groups.size());
        if (!groups.isEmpty()) {
            CompletableFuture<Void> ended = new CompletableFuture<>();
            waits[partitions.size()] = ended;
            for (DeliveryGroup g : groups) {
                endHandles.add(g.onEnd(() -> ended.complete(null)));
            }
        }
        CompletableFuture.anyOf(waits).whenComplete((v, e) -> {
            for (AutoCloseable h : endHandles) {
                try {
                    h.close();
                } catch (Exception ignored) {
                    // unregistering an end action does not fail
                }
            }
            session.executor().execute(this::loop);
        });
    }
}
