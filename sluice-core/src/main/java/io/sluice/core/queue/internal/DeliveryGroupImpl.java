package io.sluice.core.queue.internal;

import io.sluice.core.ErrorCode;
import io.sluice.core.Message;
import io.sluice.core.MessageCodec;
import io.sluice.core.Scope;
import io.sluice.core.SluiceException;
import io.sluice.core.internal.SerialExecutor;
import io.sluice.core.queue.ConsumerSpec;
import io.sluice.core.queue.Delivery;
import io.sluice.core.queue.DeliveryGroup;
import io.sluice.core.queue.DeliveryListener;
import io.sluice.core.queue.GroupInfo;
import io.sluice.core.queue.Overflow;
import io.sluice.core.queue.PendingEntry;
import io.sluice.core.queue.QueueArguments;
import io.sluice.core.queue.SharedPrefetch;
import io.sluice.core.queue.Subscription;
import io.sluice.core.stream.StreamPartition;
import io.sluice.storage.record.Header;
import io.sluice.storage.record.Record;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-message acknowledged delivery over one stream partition: a queue's own group or a group on a stream.
 *
 * <p><b>Two modes.</b> A queue's group ({@code queueMode}) indexes every ready message of its log in memory (one
 * {@link Slot} per message, about 90 bytes, in one list per priority level when the queue has priorities), which gives
 * exact counts for max-length, per-priority order and head TTL; delivered and dropped messages are removed from the
 * log's head with {@code deleteRecordsBefore} once every offset below is done. A group on a stream keeps only a cursor
 * (the next never-delivered offset) and reads ahead from it, so a stream of any length costs nothing until read;
 * stream data is never deleted by a group.
 *
 * <p><b>Threading.</b> Every state change runs on one {@link SerialExecutor}; public methods hand off to it and return
 * futures. Listeners are called on it, one call at a time. A caught-up group runs some turns on the thread that
 * asks for them when the executor is idle (still one turn at a time, see {@link SerialExecutor#executeHereIfIdle}):
 * the turn for new records on the log's writer, acks and fetches on their caller; see {@link #onHighWatermark} and
 * {@link #cheapHere()}. Figures read from other threads (counts, {@link #info()})
 * are published through volatile fields at the end of each executor turn. At the end of each turn the group
 * dispatches ready messages to push consumers and waiting pulls, appends that turn's state records in one batch
 * ({@link GroupJournal}) and raises the queue log's start offset.
 *
 * <p><b>Timers.</b> Leases, delayed requeues, message TTLs and queue expiry are checked by {@link #tick()}, which the
 * engine calls about every 100 ms; it only enqueues a turn when the earliest due time has passed.
 */
final class DeliveryGroupImpl implements DeliveryGroup {
    private static final Logger log = LoggerFactory.getLogger(DeliveryGroupImpl.class);
    /** Least time between two raises of a queue log's start offset (see {@link #advanceFloor()}). */
    static final long FLOOR_PACE_MS = 500;
    /** The most records a group may be behind to take its turn on the thread that wrote them (see onHighWatermark). */
    static final int HERE_SCAN_MAX = 64;
    /** The longest pending list for which an ack or fetch turn may run on its caller's thread (see cheapHere). */
    static final int HERE_PENDING_MAX = 1024;

    /** What a group asks of its owner (the queue service): dead-lettering and lifecycle events. */
    interface Hooks {
        /** Publishes {@code message} to the group's dead-letter target; called on the group's executor. */
        void deadLetter(DeliveryGroupImpl group, Message message, String reason);

        /** The last push consumer left (auto-delete queues). */
        default void lastConsumerGone(DeliveryGroupImpl group) {
        }

        /** No consumer and no fetch for {@code expiresMs} (x-expires). */
        default void unused(DeliveryGroupImpl group) {
        }

        /** The group's next timer moved earlier, to {@code atMs} (broker clock); the engine's timer must look then. */
        default void timerAt(long atMs) {
        }
    }

    private static final class Consumer {
        final String name;
        ConsumerSpec spec;
        DeliveryListener listener;
        int prefetch;
        /** Credit shared with other consumers (AMQP channel-wide qos); null if none or auto-ack. */
        SharedPrefetch shared;
        volatile long unacked;
        volatile long seenAt;

        Consumer(String name, long now) {
            this.name = name;
            this.seenAt = now;
        }

        boolean push() {
            return listener != null;
        }
    }

    private static final class Waiter {
        final String consumer;
        final int max;
        final boolean noAck;
        final CompletableFuture<List<Delivery>> future;
        ScheduledFuture<?> timer;

        Waiter(String consumer, int max, boolean noAck, CompletableFuture<List<Delivery>> future) {
            this.consumer = consumer;
            this.max = max;
            this.noAck = noAck;
            this.future = future;
        }
    }

    private final Scope scope;
    private final String queue;
    private final String name;
    private final boolean queueMode;
    private final QueueArguments args;
    private final String exclusiveOwner;
    private final StreamPartition partition;
    /** Coalesces concurrent publishes into one log append (queue mode's enqueue path). */
    private final QueueAppender appender;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final SerialExecutor exec;
    private final Hooks hooks;
    private final GroupJournal journal;
    private final ChunkReader reader;
    private final ChunkReader indexReader;

    // ---- executor-owned state ----
    private final ReadySet ready;
    /** Queue mode: next offset to index. Stream mode: the cursor (next never-delivered offset). */
    private long scanPos;
    private final TreeMap<Long, Slot> pending = new TreeMap<>();
    private final OffsetRanges done = new OffsetRanges();
    private final Map<String, Consumer> consumers = new ConcurrentHashMap<>();
    private final List<Consumer> pushers = new ArrayList<>();
    /** Queue mode: detached push consumers that still hold deliveries (see {@link Subscription#detach()}). */
    private final java.util.Set<String> detached = new java.util.HashSet<>();
    private int rr;
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    /** Futures to complete once the turn's figures are published (so a caller sees its own effects in info()). */
    private final ArrayDeque<Runnable> completions = new ArrayDeque<>();
    private long earliestDeadline = Long.MAX_VALUE;
    private long requestedFloor;
    /** A deleteRecordsBefore is running, or ran less than {@link #FLOOR_PACE_MS} ago. */
    private boolean floorInFlight;
    private long confirmedFloor;
    private long inflight;
    private long inflightBytes;
    /**
     * Length-limited queues: the high watermark when no tracked append was in flight, and how many tracked appends
     * succeeded and were applied (inflight decremented) since. The log makes an append visible before its completion
     * reaches this executor, so without them a message just written would count twice, once in the log and once as
     * in flight, and a burst would be refused one message early.
     */
    private long trackedHwBase = -1;
    private long trackedApplied;
    /** Sizes of the tracked appends in flight, oldest first (appends complete in order). */
    private final ArrayDeque<Integer> inflightSizes = new ArrayDeque<>();
    private long lastUsedAt;
    private boolean hadConsumer;
    private boolean unusedFired;
    private boolean closed;
    private boolean snapshotDue;
    private long journaledCursor = -1;

    // ---- published for other threads ----
    /**
     * The group's figures as of the end of its last turn, published as one object so readers see a consistent set.
     * {@code readyBase} excludes the log beyond {@code scanned}, which readers add from the live high watermark (so a
     * message counts as ready as soon as its append completed, before the group has looked at it).
     */
    private record Figures(long readyBase, long scanned, long readyBytes, long pending, long oldestTs, long cursor) {
    }

    private volatile Figures figures = new Figures(0, 0, 0, 0, -1, 0);
    private volatile long vLastDelivered = -1;
    private volatile long vNextTimer = Long.MAX_VALUE;
    private volatile boolean vClosed;
    private final AtomicLong acked = new AtomicLong();
    private final AtomicBoolean scanQueued = new AtomicBoolean();
    private final AtomicBoolean tickQueued = new AtomicBoolean();
    private final AtomicBoolean wakeQueued = new AtomicBoolean();
    /** Registered with a consumer's {@link SharedPrefetch} when it had no room: a turn, so dispatch runs again. */
    private final Runnable sharedRoomWaker = () -> {
        if (!vClosed && wakeQueued.compareAndSet(false, true)) {
            try {
                onExec(() -> wakeQueued.set(false));
            } catch (SluiceException stopped) {
                // the broker stopped
            }
        }
    };

    // ---- push subscription registry (any thread, under subLock) ----
    private final Object subLock = new Object();
    private final Map<String, ConsumerSpec> subscribed = new HashMap<>();
    private boolean exclusiveTaken;
    private volatile int subscribedCount;
    private volatile AutoCloseable hwHandle;
    /** Run once when the group ends (see {@link #onEnd}). */
    private final CopyOnWriteArrayList<Runnable> endActions = new CopyOnWriteArrayList<>();

    DeliveryGroupImpl(Scope scope, String queue, String name, boolean queueMode, QueueArguments args,
                      String exclusiveOwner, StreamPartition partition, Clock clock, ScheduledExecutorService scheduler,
                      SerialExecutor exec, Hooks hooks, GroupJournal journal) {
        this.scope = scope;
        this.queue = queue;
        this.name = name;
        this.queueMode = queueMode;
        this.args = args;
        this.exclusiveOwner = exclusiveOwner;
        this.partition = partition;
        this.clock = clock;
        this.scheduler = scheduler;
        this.exec = exec;
        this.hooks = hooks;
        this.journal = journal;
        this.reader = new ChunkReader(partition);
        this.appender = new QueueAppender(partition);
        this.indexReader = new ChunkReader(partition);
        this.ready = new ReadySet(queueMode ? args.maxPriority() : 0);
        this.lastUsedAt = clock.millis();
    }

    /**
     * Loads the replayed state (null for a new group) and starts following the log. Called once, before the group is
     * shared. Queues return every pending delivery to ready (AMQP redelivers after a restart); groups on streams keep
     * them pending with their owners, as Redis keeps its PEL.
     */
    void start(GroupJournal.State state, long startOffset) {
        long now = clock.millis();
        if (state == null) {
            scanPos = queueMode ? partition.logStartOffset() : startOffset;
        } else if (queueMode) {
            scanPos = partition.logStartOffset();
            state.done.forEach(done::add);
            // Sizes are unknown until the index reads these offsets again; it adds them then.
            for (Slot s : state.pending.values()) {
                s.consumer = null;
                s.notBefore = 0;
                ready.addReturned(s, now);
            }
            state.returned.values().forEach(s -> {
                s.notBefore = 0;
                ready.addReturned(s, now);
            });
            snapshotDue = true;
        } else {
            scanPos = state.cursor >= 0 ? state.cursor : startOffset;
            for (String c : state.consumers) {
                consumers.put(c, new Consumer(c, now));
            }
            for (Slot s : state.pending.values()) {
                Consumer c = consumers.computeIfAbsent(s.consumer, n -> new Consumer(n, now));
                c.unacked++;
                if (args.leaseMs() > 0) {
                    s.deadline = s.lastDeliveredAt + args.leaseMs();
                    earliestDeadline = Math.min(earliestDeadline, s.deadline);
                }
                pending.put(s.offset, s);
            }
            for (Slot s : state.returned.values()) {
                ready.addReturned(s, now);
            }
            journaledCursor = scanPos;
            snapshotDue = true;
        }
        if (queueMode) {
            index(now); // start-up is synchronous: figures are right before the broker serves
        }
        publish(now);
        hwHandle = partition.onHighWatermark(this::onHighWatermark);
        requestScan();
    }

    Scope scope() {
        return scope;
    }

    QueueArguments arguments() {
        return args;
    }

    boolean queueMode() {
        return queueMode;
    }

    @Override
    public String queue() {
        return queue;
    }

    @Override
    public String name() {
        return name;
    }

    // ------------------------------------------------------------------ executor plumbing

    private void onExec(Runnable r) {
        submit(turn(r));
    }

    /** {@code r} as one turn: its failure logged, the turn finished (dispatch, journal, figures) after it. */
    private Runnable turn(Runnable r) {
        return () -> {
            try {
                r.run();
            } catch (Throwable t) {
                log.error("delivery group {}/{} failed a task", queue, name, t);
            } finally {
                afterTurn();
            }
        };
    }

    /**
     * Queues a task on the group's executor. Once the broker has stopped its worker pool the group is dead: it stops
     * listening to its log (the log store may outlive it, as an in-memory store does across a restart in tests).
     */
    private void submit(Runnable task) {
        submit(task, false);
    }

    /**
     * Like {@link #submit(Runnable)}; with {@code here} the task runs on the calling thread instead when the
     * executor is idle (see {@link #cheapHere()} for when a caller may ask for that).
     */
    private void submit(Runnable task, boolean here) {
        try {
            if (here) {
                exec.executeHereIfIdle(task);
            } else {
                exec.execute(task);
            }
        } catch (RejectedExecutionException e) {
            vClosed = true;
            AutoCloseable h = hwHandle;
            if (h != null) {
                try {
                    h.close();
                } catch (Exception ignored) {
                    // closing a listener handle does not fail
                }
            }
            throw new SluiceException(ErrorCode.SHUTTING_DOWN, "broker shutting down", e);
        }
    }

    /**
     * Whether a turn is cheap enough to run on the thread that asks for it (an event loop, or the log writer that
     * reports new records): nothing is ready from before, at most {@code behind} records up to {@code hw} are not yet
     * looked at, and the pending list is short. Such a turn reads only records just written (page cache) and its
     * journal work stays small. The answer is only a hint: a stale one moves a turn between threads, nothing else.
     */
    private boolean caughtUp(long hw, int behind) {
        Figures f = figures;
        return f.readyBase() == 0 && f.pending() <= HERE_PENDING_MAX && hw - f.scanned() <= behind;
    }

    /** {@link #caughtUp} for a caller's ack or fetch: every record up to the high watermark looked at. */
    private boolean cheapHere() {
        return caughtUp(partition.highWatermark(), 0);
    }

    /** Runs {@code work} as one turn; its future completes after the turn's figures are published. */
    private <T> CompletableFuture<T> call(Supplier<T> work) {
        return call(work, false);
    }

    /** {@link #call(Supplier)}, run on the caller's thread when the executor is idle and the turn is cheap. */
    private <T> CompletableFuture<T> callHere(Supplier<T> work) {
        return call(work, cheapHere());
    }

    private <T> CompletableFuture<T> call(Supplier<T> work, boolean here) {
        CompletableFuture<T> f = new CompletableFuture<>();
        submit(() -> {
            T result = null;
            Throwable error = null;
            try {
                checkOpen();
                result = work.get();
            } catch (Throwable t) {
                error = t;
            } finally {
                afterTurn();
            }
            if (error != null) {
                f.completeExceptionally(SluiceException.from(error));
            } else {
                f.complete(result);
            }
        }, here);
        return f;
    }

    private void checkOpen() {
        if (closed) {
            throw new SluiceException(queueMode ? ErrorCode.QUEUE_NOT_FOUND : ErrorCode.GROUP_NOT_FOUND,
                    (queueMode ? "queue '" + queue : "group '" + name) + "' was deleted");
        }
    }

    private void requestScan() {
        requestScan(false);
    }

    /** Queues a scan turn unless one is queued; with {@code here} it may run on this thread (see submit). */
    private void requestScan(boolean here) {
        if (!vClosed && scanQueued.compareAndSet(false, true)) {
            try {
                submit(scanTurn, here);
            } catch (SluiceException stopped) {
                // the broker stopped: nothing left to scan for
            }
        }
    }

    private final Runnable scanTurn = turn(this::scan);

    private void scan() {
        scanQueued.set(false);
        if (!closed && queueMode) {
            index(clock.millis());
        }
    }

    /**
     * The log reports new records, on the thread that made them readable (its writer or syncer). A caught-up group
     * (at most {@value #HERE_SCAN_MAX} records to look at) takes its turn right there when its executor is idle: the
     * records were just written, so the turn reads them from the page cache, and a new entry reaches its consumer
     * without a hop through the pool. A group further behind, whose turn may read cold segments, queues on the pool
     * as before, so it never holds up the writer's next appends.
     */
    private void onHighWatermark(long hw) {
        requestScan(caughtUp(hw, HERE_SCAN_MAX));
    }

    /** Timer entry point (any thread): queues a housekeeping turn when something is due. */
    void tick() {
        if (vClosed || clock.millis() < vNextTimer) {
            return;
        }
        if (tickQueued.compareAndSet(false, true)) {
            try {
                onExec(() -> {
                    tickQueued.set(false);
                    if (!closed) {
                        housekeeping(clock.millis());
                    }
                });
            } catch (SluiceException stopped) {
                // the broker stopped
            }
        }
    }

    private void afterTurn() {
        if (closed) {
            return;
        }
        long now = clock.millis();
        try {
            dispatch(now);
            if (queueMode) {
                advanceFloor();
            }
            if (journal != null) {
                if (!queueMode && scanPos != journaledCursor) {
                    journal.cursor(scanPos);
                    journaledCursor = scanPos;
                }
                if (snapshotDue || journal.wantsSnapshot()) {
                    snapshotDue = false;
                    journal.snapshot(queueMode ? -1 : scanPos, done, pending.values(), ready.returnedSlots(),
                            queueMode ? List.of() : consumers.keySet(), now);
                } else {
                    journal.flush(now);
                }
            }
        } catch (Throwable t) {
            log.error("delivery group {}/{} failed to finish a turn", queue, name, t);
        }
        publish(now);
        while (!completions.isEmpty()) {
            completions.pollFirst().run();
        }
    }

    private void publish(long now) {
        long cursor = scanPos;
        if (queueMode) {
            long first = ready.firstFreshOffset();
            cursor = first >= 0 ? Math.min(first, scanPos) : scanPos;
        }
        long next = Math.min(earliestDeadline, ready.nextDueAt());
        if (args.expiresMs() > 0 && subscribedCount == 0 && !unusedFired) {
            next = Math.min(next, lastUsedAt + args.expiresMs());
        }
        figures = new Figures(ready.count(), scanPos, ready.bytes(), pending.size(), ready.oldestTimestamp(), cursor);
        long previous = vNextTimer;
        vNextTimer = next;
        if (next < previous) {
            hooks.timerAt(next);
        }
    }

    /** When this group next needs a housekeeping turn (broker clock), {@link Long#MAX_VALUE} if never; any thread. */
    long nextTimer() {
        return vNextTimer;
    }

    // ------------------------------------------------------------------ indexing (queue mode)

    private void index(long now) {
        long start = partition.logStartOffset();
        if (scanPos < start) {
            scanPos = start;
        }
        long hw = partition.highWatermark();
        boolean wasEmpty = ready.firstFreshOffset() < 0;
        while (scanPos < hw) {
            List<Record> recs = indexReader.chunkFrom(scanPos);
            long end = indexReader.chunkEnd();
            if (end <= scanPos) {
                break;
            }
            for (Record r : recs) {
                long off = r.offset();
                if (off < scanPos || done.contains(off)) {
                    continue;
                }
                Slot p = pending.get(off);
                if (p != null) {
                    fillMeta(p, r);
                    continue;
                }
                Slot rs = ready.returnedAt(off);
                if (rs != null) {
                    if (rs.size == 0) {
                        fillMeta(rs, r); // returned before a restart: its size counts from now
                        ready.addBytes(rs.size);
                    }
                    continue;
                }
                Slot s = new Slot(off);
                fillMeta(s, r);
                ready.addFresh(s);
            }
            scanPos = end;
        }
        if (wasEmpty) {
            reader.adopt(indexReader);
        }
        indexReader.invalidate();
        if (args.overflow() == Overflow.DROP_HEAD) {
            while (overLimit(0)) {
                Slot h = nextReady(now);
                if (h == null) {
                    break;
                }
                deadLetter(h, "maxlen");
            }
        }
    }

    private void fillMeta(Slot s, Record r) {
        int size = (r.key() == null ? 0 : r.key().remaining()) + (r.value() == null ? 0 : r.value().remaining());
        long prio = 0;
        long expiration = -1;
        for (Header h : r.headers()) {
            if (h.key().equals(MessageCodec.PRIORITY)) {
                prio = parse(h.value(), 0);
            } else if (h.key().equals(MessageCodec.EXPIRATION)) {
                expiration = parse(h.value(), -1);
            } else if (!h.key().startsWith("sluice.")) {
                // Counted as Message.sizeInBytes counts: application headers only.
                size += h.key().length() + (h.value() == null ? 0 : h.value().length);
            }
        }
        s.size = size;
        s.timestamp = r.timestamp();
        s.priority = ready.level(prio);
        long exp = Long.MAX_VALUE;
        if (args.messageTtlMs() >= 0) {
            exp = r.timestamp() + args.messageTtlMs();
        }
        if (expiration >= 0) {
            exp = Math.min(exp, r.timestamp() + expiration);
        }
        s.expiresAt = exp;
    }

    private static long parse(byte[] v, long dflt) {
        try {
            return v == null ? dflt : Long.parseLong(new String(v, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    private long readyCountNow() {
        return ready.count() + Math.max(0, partition.highWatermark() - scanPos);
    }

    private boolean overLimit(long extraBytes) {
        return (args.maxLength() >= 0 && readyCountNow() > args.maxLength())
                || (args.maxLengthBytes() >= 0 && ready.bytes() + extraBytes > args.maxLengthBytes());
    }

    // ------------------------------------------------------------------ enqueue (queue mode)

    /**
     * Appends to the queue's log. Messages are stamped with the broker time, so message TTL counts from enqueue, as
     * RabbitMQ's does. Without a reject overflow mode the append does not pass through the executor.
     */
    CompletableFuture<Boolean> enqueue(Message m) {
        Message stamped = m.withTimestamp(clock.millis());
        boolean limited = (args.maxLength() >= 0 || args.maxLengthBytes() >= 0)
                && args.overflow() != Overflow.DROP_HEAD;
        if (!limited) {
            return appender.append(stamped);
        }
        CompletableFuture<Boolean> f = new CompletableFuture<>();
        onExec(() -> {
            if (closed) {
                f.completeExceptionally(new SluiceException(ErrorCode.QUEUE_NOT_FOUND, "queue '" + queue + "' was deleted"));
                return;
            }
            index(clock.millis());
            int size = stamped.sizeInBytes();
            long hw = partition.highWatermark();
            if (inflight == 0) {
                trackedHwBase = hw;
                trackedApplied = 0;
            }
            // written by a tracked append whose completion has not been applied yet: already in the log, still in flight
            long writtenInFlight = Math.min(inflight, Math.max(0, hw - trackedHwBase - trackedApplied));
            long queued = ready.count() + Math.max(0, hw - scanPos) + inflight - writtenInFlight;
            // ready.bytes() holds the indexed messages only: the written-in-flight ones it holds are the oldest
            long indexedInFlight = Math.max(0, writtenInFlight - Math.max(0, hw - scanPos));
            long writtenBytes = 0;
            if (args.maxLengthBytes() >= 0 && indexedInFlight > 0) {
                var it = inflightSizes.iterator();
                for (long i = 0; i < indexedInFlight && it.hasNext(); i++) {
                    writtenBytes += it.next();
                }
            }
            boolean full = (args.maxLength() >= 0 && queued >= args.maxLength())
                    || (args.maxLengthBytes() >= 0
                    && ready.bytes() + inflightBytes - writtenBytes + size > args.maxLengthBytes());
            if (full) {
                if (args.overflow() == Overflow.REJECT_PUBLISH_DLX && args.hasDeadLetterTarget()) {
                    hooks.deadLetter(this, stamped, "maxlen");
                }
                f.complete(false);
                return;
            }
            inflight++;
            inflightBytes += size;
            inflightSizes.addLast(size);
            appender.append(stamped).whenComplete((r, t) -> {
                onExec(() -> {
                    inflight--;
                    inflightBytes -= size;
                    inflightSizes.pollFirst();
                    if (t == null) {
                        trackedApplied++;
                    }
                });
                if (t != null) {
                    f.completeExceptionally(SluiceException.from(t));
                } else {
                    f.complete(true);
                }
            });
        });
        return f;
    }

    // ------------------------------------------------------------------ choosing and delivering

    /** Removes and returns the next ready message (see {@link ReadySet}), reading a stream group's cursor last. */
    private Slot nextReady(long now) {
        Slot s = ready.poll(now);
        return s != null || queueMode ? s : nextFromCursor();
    }

    private Slot nextFromCursor() {
        long start = partition.logStartOffset();
        if (scanPos < start) {
            scanPos = start;
        }
        long hw = partition.highWatermark();
        if (scanPos >= hw) {
            return null;
        }
        Record rec = reader.atOrAfter(scanPos);
        if (rec == null) {
            scanPos = hw;
            return null;
        }
        scanPos = rec.offset() + 1;
        Slot s = pending.remove(rec.offset());
        if (s != null) {
            release(s);
        } else {
            s = ready.removeReturned(rec.offset());
            if (s == null) {
                s = new Slot(rec.offset());
            }
        }
        s.message = MessageCodec.fromRecord(rec);
        s.timestamp = rec.timestamp();
        return s;
    }

    /** Hands {@code s} to {@code c}; returns null if the message turned out to be gone or expired. */
    private Delivery deliver(Slot s, Consumer c, boolean noAck, long now) {
        if (s.message == null) {
            Record rec = reader.at(s.offset);
            if (rec == null) {
                markDone(s);
                return null;
            }
            s.message = MessageCodec.fromRecord(rec);
        }
        if (queueMode && s.expiresAt <= now) {
            deadLetter(s, "expired");
            return null;
        }
        s.count++;
        c.seenAt = now;
        lastUsedAt = now;
        vLastDelivered = Math.max(vLastDelivered, s.offset);
        Delivery d = new Delivery(queue, s.offset, s.message, s.count, c.name);
        if (noAck) {
            acked.incrementAndGet();
            markDone(s);
        } else {
            s.consumer = c.name;
            s.lastDeliveredAt = now;
            if (args.leaseMs() > 0) {
                s.deadline = now + args.leaseMs();
                earliestDeadline = Math.min(earliestDeadline, s.deadline);
            }
            pending.put(s.offset, s);
            c.unacked++;
            if (journal != null) {
                journal.delivered(s.offset, s.count, now, c.name);
            }
        }
        return d;
    }

    private void markDone(Slot s) {
        s.message = null;
        if (queueMode) {
            done.add(s.offset);
        }
        if (journal != null) {
            journal.removed(s.offset);
        }
    }

    private void release(Slot s) {
        Consumer c = s.consumer == null ? null : consumers.get(s.consumer);
        if (c != null) {
            c.unacked--;
            if (c.shared != null) {
                c.shared.release();
            }
            if (c.unacked <= 0 && !c.push() && detached.remove(c.name)) {
                consumers.remove(c.name);
            }
        }
    }

    private void deadLetter(Slot s, String reason) {
        if (args.hasDeadLetterTarget()) {
            Message m = s.message;
            if (m == null) {
                Record rec = reader.at(s.offset);
                m = rec == null ? null : MessageCodec.fromRecord(rec);
            }
            if (m != null) {
                try {
                    hooks.deadLetter(this, m, reason);
                } catch (Throwable t) {
                    log.warn("dead-lettering from {} failed", queue, t);
                }
            }
        }
        markDone(s);
    }

    /** Back to ready with its delivery count, or dead-lettered once the delivery limit is reached. */
    private void returnToReady(Slot s, long notBefore, long now) {
        s.consumer = null;
        s.deadline = Long.MAX_VALUE;
        if (args.deliveryLimit() >= 0 && s.count >= args.deliveryLimit()) {
            deadLetter(s, "delivery_limit");
            return;
        }
        s.notBefore = notBefore;
        if (journal != null) {
            journal.returned(s.offset, s.count, notBefore);
        }
        ready.addReturned(s, now);
    }

    private void dispatch(long now) {
        ready.promote(now);
        while (!waiters.isEmpty()) {
            Waiter w = waiters.peekFirst();
            if (w.future.isDone()) {
                waiters.pollFirst();
                continue;
            }
            List<Delivery> got = take(w.consumer, w.max, w.noAck, now);
            if (got.isEmpty()) {
                break;
            }
            waiters.pollFirst();
            if (w.timer != null) {
                w.timer.cancel(false);
            }
            completions.add(() -> w.future.complete(got));
        }
        while (!pushers.isEmpty()) {
            int idx = pickPusher();
            if (idx < 0) {
                break;
            }
            Consumer c = pushers.get(idx);
            SharedPrefetch shared = c.spec.autoAck() ? null : c.shared;
            if (shared != null && !shared.tryAcquire()) {
                // another queue's group took the shared limit's last credit since pickPusher looked
                shared.whenRoom(sharedRoomWaker);
                continue;
            }
            Slot s = nextReady(now);
            if (s == null) {
                if (shared != null) {
                    shared.release();
                }
                break;
            }
            // The turn moves on only when a message was handed out, so idle turns do not skew the rotation.
            rr = (idx + 1) % pushers.size();
            Delivery d = deliver(s, c, c.spec.autoAck(), now);
            if (d == null && shared != null) {
                shared.release();
            }
            if (d != null) {
                try {
                    c.listener.onDelivery(d);
                } catch (Throwable t) {
                    log.warn("delivery listener of {} on {} failed", c.name, queue, t);
                }
            }
        }
    }

    /** Whether {@code c} may take one more delivery; if only its shared limit is full, asks to be woken. */
    private boolean hasCapacity(Consumer c) {
        if (c.spec.autoAck()) {
            return true;
        }
        if (c.prefetch > 0 && c.unacked >= c.prefetch) {
            return false;
        }
        SharedPrefetch shared = c.shared;
        if (shared != null && !shared.hasRoom()) {
            shared.whenRoom(sharedRoomWaker);
            return false;
        }
        return true;
    }

    /**
     * The index in {@link #pushers} of the next consumer to receive: highest consumer priority first, round-robin
     * among equals; with single-active-consumer only the first. -1 if none has capacity.
     */
    private int pickPusher() {
        if (args.singleActiveConsumer()) {
            return hasCapacity(pushers.get(0)) ? 0 : -1;
        }
        int n = pushers.size();
        Consumer best = null;
        int bestIdx = -1;
        for (int i = 0; i < n; i++) {
            int idx = (rr + i) % n;
            Consumer c = pushers.get(idx);
            if (hasCapacity(c) && (best == null || c.spec.priority() > best.spec.priority())) {
                best = c;
                bestIdx = idx;
            }
        }
        return bestIdx;
    }

    private List<Delivery> take(String consumer, int max, boolean noAck, long now) {
        Consumer c = touchConsumer(consumer, now);
        List<Delivery> out = new ArrayList<>();
        while (out.size() < Math.max(1, max)) {
            Slot s = nextReady(now);
            if (s == null) {
                break;
            }
            Delivery d = deliver(s, c, noAck, now);
            if (d != null) {
                out.add(d);
            }
        }
        return out;
    }

    private Consumer touchConsumer(String consumer, long now) {
        Consumer c = consumers.get(consumer);
        if (c == null) {
            c = new Consumer(consumer, now);
            consumers.put(consumer, c);
            if (journal != null && !queueMode) {
                journal.consumerAdded(consumer);
            }
        }
        c.seenAt = now;
        return c;
    }

    // ------------------------------------------------------------------ timers

    private void housekeeping(long now) {
        ready.promote(now);
        if (earliestDeadline <= now) {
            long next = Long.MAX_VALUE;
            List<Slot> expired = new ArrayList<>();
            for (Slot s : pending.values()) {
                if (s.deadline <= now) {
                    expired.add(s);
                } else {
                    next = Math.min(next, s.deadline);
                }
            }
            earliestDeadline = next;
            for (Slot s : expired) {
                pending.remove(s.offset);
                release(s);
                returnToReady(s, 0, now);
            }
        }
        if (queueMode) {
            expireHeads(now);
        }
        if (args.expiresMs() > 0 && subscribedCount == 0 && !unusedFired && now - lastUsedAt >= args.expiresMs()) {
            unusedFired = true;
            hooks.unused(this);
        }
    }

    /** Expires ready messages at the head of the queue (and of each priority level), as RabbitMQ does. */
    private void expireHeads(long now) {
        for (Slot s : ready.expireHeads(now)) {
            deadLetter(s, "expired");
        }
    }

    /**
     * Deletes the queue log below the lowest offset still ready or pending, at most once per {@link #FLOOR_PACE_MS}.
     * Each raise of the log start writes the log's checkpoint with two fsyncs on the log's writer thread, where it
     * stalls the queue's appends; done offsets are already in the group's journal, so the log start only reclaims
     * disk and can lag. The pace runs on the scheduler's real time, not the broker clock: it spaces out I/O, it is not
     * a broker semantic a test would advance.
     */
    private void advanceFloor() {
        if (floorInFlight) {
            return;
        }
        long floor = Math.min(scanPos, ready.minOffset());
        if (!pending.isEmpty()) {
            floor = Math.min(floor, pending.firstKey());
        }
        if (floor <= requestedFloor || floor <= partition.logStartOffset()) {
            return;
        }
        requestedFloor = floor;
        floorInFlight = true;
        long f = floor;
        partition.deleteRecordsBefore(f).whenComplete((v, t) -> onExec(() -> {
            if (t == null) {
                confirmedFloor = Math.max(confirmedFloor, f);
                // Only forget done offsets once the records below are gone for good: a replay starts at the log start.
                done.removeBelow(confirmedFloor);
            }
            try {
                scheduler.schedule(() -> onExec(() -> floorInFlight = false), FLOOR_PACE_MS,
                        TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopped) {
                floorInFlight = false; // the broker is stopping; the next turn, if any, may raise the floor again
            }
        }));
    }

    // ------------------------------------------------------------------ public API

    @Override
    public Subscription subscribe(ConsumerSpec spec, DeliveryListener listener) {
        synchronized (subLock) {
            if (vClosed) {
                throw new SluiceException(ErrorCode.QUEUE_NOT_FOUND, "queue '" + queue + "' was deleted");
            }
            if (exclusiveOwner != null && !exclusiveOwner.equals(spec.ownerId())) {
                throw new SluiceException(ErrorCode.RESOURCE_LOCKED,
                        "cannot obtain exclusive access to locked queue '" + queue + "'");
            }
            if (exclusiveTaken || (spec.exclusive() && !subscribed.isEmpty())) {
                throw new SluiceException(ErrorCode.RESOURCE_LOCKED, "queue '" + queue
                        + "' in exclusive use");
            }
            if (subscribed.containsKey(spec.name())) {
                throw new SluiceException(ErrorCode.INVALID_ARGUMENT, "consumer '" + spec.name()
                        + "' already subscribed to '" + queue + "'");
            }
            subscribed.put(spec.name(), spec);
            exclusiveTaken |= spec.exclusive();
            subscribedCount = subscribed.size();
        }
        onExec(() -> {
            long now = clock.millis();
            Consumer c = touchConsumer(spec.name(), now);
            detached.remove(spec.name());
            c.spec = spec;
            c.listener = listener;
            c.prefetch = spec.prefetch();
            c.shared = spec.autoAck() ? null : spec.shared();
            pushers.add(c);
            hadConsumer = true;
            lastUsedAt = now;
        });
        return new SubscriptionImpl(spec.name());
    }

    private final class SubscriptionImpl implements Subscription {
        private final String consumer;
        private final AtomicBoolean closedSub = new AtomicBoolean();

        SubscriptionImpl(String consumer) {
            this.consumer = consumer;
        }

        @Override
        public String consumer() {
            return consumer;
        }

        @Override
        public void setPrefetch(int prefetch) {
            onExec(() -> {
                Consumer c = consumers.get(consumer);
                if (c != null && c.push()) {
                    c.prefetch = prefetch;
                }
            });
        }

        @Override
        public void close() {
            if (closedSub.compareAndSet(false, true)) {
                unsubscribe(consumer, null, true);
            }
        }

        @Override
        public void detach() {
            if (closedSub.compareAndSet(false, true)) {
                unsubscribe(consumer, null, false);
            }
        }
    }

    private void unsubscribe(String consumer, String cancelReason) {
        unsubscribe(consumer, cancelReason, true);
    }

    /**
     * Ends a push consumer; with {@code returnPending} its pending deliveries return to ready (redelivered=true),
     * else they stay pending under its name until acked or nacked (see {@link Subscription#detach()}).
     */
    private void unsubscribe(String consumer, String cancelReason, boolean returnPending) {
        synchronized (subLock) {
            ConsumerSpec spec = subscribed.remove(consumer);
            if (spec == null) {
                return;
            }
            if (spec.exclusive()) {
                exclusiveTaken = false;
            }
            subscribedCount = subscribed.size();
        }
        onExec(() -> {
            long now = clock.millis();
            Consumer c = consumers.get(consumer);
            if (c == null || !c.push()) {
                return;
            }
            DeliveryListener l = c.listener;
            pushers.remove(c);
            c.listener = null;
            c.spec = null;
            if (returnPending) {
                List<Slot> mine = new ArrayList<>();
                for (Slot s : pending.values()) {
                    if (consumer.equals(s.consumer)) {
                        mine.add(s);
                    }
                }
                for (Slot s : mine) {
                    pending.remove(s.offset);
                    release(s);
                    returnToReady(s, 0, now);
                }
            }
            if (queueMode && c.unacked == 0) {
                consumers.remove(consumer);
            } else if (queueMode) {
                detached.add(consumer); // forgotten once its last delivery is settled
            }
            lastUsedAt = now;
            if (cancelReason != null) {
                notifyCancel(l, cancelReason);
            }
            if (pushers.isEmpty() && hadConsumer && subscribedCount == 0) {
                hooks.lastConsumerGone(this);
            }
        });
    }

    private void notifyCancel(DeliveryListener l, String reason) {
        try {
            l.onCancel(reason);
        } catch (Throwable t) {
            log.warn("onCancel of a consumer of {} failed", queue, t);
        }
    }

    /** Cancels every push consumer owned by {@code ownerId} (its connection closed). */
    void ownerClosed(String ownerId) {
        List<String> names = new ArrayList<>();
        synchronized (subLock) {
            subscribed.forEach((n, s) -> {
                if (ownerId.equals(s.ownerId())) {
                    names.add(n);
                }
            });
        }
        names.forEach(n -> unsubscribe(n, null));
    }

    int consumerCount() {
        return subscribedCount;
    }

    long readyCount() {
        Figures fg = figures;
        long from = Math.max(fg.scanned(), partition.logStartOffset());
        return fg.readyBase() + Math.max(0, partition.highWatermark() - from);
    }

    long readyBytes() {
        return figures.readyBytes();
    }

    long pendingCount() {
        return figures.pending();
    }

    long oldestReadyTimestamp() {
        return figures.oldestTs();
    }

    /**
     * Ends the group (its queue or stream was deleted): push consumers get onCancel, waiting fetches complete empty.
     * With {@code deleteState} the state log is deleted too.
     */
    CompletableFuture<Void> shutdown(String reason, boolean deleteState) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        synchronized (subLock) {
            vClosed = true;
        }
        exec.execute(() -> {
            if (!closed) {
                closed = true;
                try {
                    if (hwHandle != null) {
                        hwHandle.close();
                    }
                } catch (Exception ignored) {
                    // closing a listener handle does not fail
                }
                for (Consumer c : pushers) {
                    notifyCancel(c.listener, reason);
                }
                pushers.clear();
                // deliveries of a deleted queue can no longer be settled: give their shared credit back
                for (Slot s : pending.values()) {
                    Consumer c = s.consumer == null ? null : consumers.get(s.consumer);
                    if (c != null && c.shared != null) {
                        c.shared.release();
                    }
                }
                synchronized (subLock) {
                    subscribed.clear();
                    subscribedCount = 0;
                }
                waiters.forEach(w -> w.future.complete(List.of()));
                waiters.clear();
                for (Runnable a : endActions) {
                    if (endActions.remove(a)) {
                        try {
                            a.run();
                        } catch (RuntimeException e) {
                            log.warn("delivery group {}/{}: an end action failed", queue, name, e);
                        }
                    }
                }
                if (journal != null) {
                    if (deleteState) {
                        journal.delete();
                    } else {
                        journal.flush(clock.millis());
                    }
                }
            }
            f.complete(null);
        });
        return f;
    }

    /** Removes every ready message (not the unacked ones); completes with how many. */
    CompletableFuture<Long> purge() {
        return call(() -> {
            long now = clock.millis();
            if (queueMode) {
                index(now);
            }
            long n = 0;
            for (Slot s : ready.clear()) {
                markDone(s);
                n++;
            }
            if (!queueMode) {
                long hw = partition.highWatermark();
                n += Math.max(0, hw - scanPos);
                scanPos = Math.max(scanPos, hw);
            }
            return n;
        });
    }

    @Override
    public AutoCloseable onEnd(Runnable action) {
        endActions.add(action);
        if (vClosed && endActions.remove(action)) {
            action.run();
        }
        return () -> endActions.remove(action);
    }

    @Override
    public CompletableFuture<List<Delivery>> fetch(String consumer, int max, long maxWaitMs, boolean noAck) {
        CompletableFuture<List<Delivery>> f = new CompletableFuture<>();
        submit(turn(() -> {
            if (closed) {
                f.completeExceptionally(new SluiceException(queueMode ? ErrorCode.QUEUE_NOT_FOUND
                        : ErrorCode.GROUP_NOT_FOUND, "'" + queue + "' was deleted"));
                return;
            }
            long now = clock.millis();
            lastUsedAt = now;
            if (queueMode) {
                index(now);
            }
            List<Delivery> got = waiters.isEmpty() ? take(consumer, max, noAck, now) : List.of();
            if (!got.isEmpty() || maxWaitMs <= 0) {
                touchConsumer(consumer, now);
                completions.add(() -> f.complete(got));
                return;
            }
            Waiter w = new Waiter(consumer, max, noAck, f);
            waiters.addLast(w);
            w.timer = scheduler.schedule(() -> onExec(() -> {
                if (waiters.remove(w)) {
                    f.complete(List.of());
                }
            }), maxWaitMs, TimeUnit.MILLISECONDS);
        }), cheapHere()); // caught up: the fetch finds nothing to read and waits, or takes what was just written
        return f;
    }

    @Override
    public CompletableFuture<List<Delivery>> pendingDeliveries(String consumer, long afterOffset, int max) {
        return call(() -> {
            List<Delivery> out = new ArrayList<>();
            for (Slot s : pending.tailMap(afterOffset, false).values()) {
                if (out.size() >= max) {
                    break;
                }
                if (!consumer.equals(s.consumer)) {
                    continue;
                }
                if (s.message == null) {
                    Record rec = reader.at(s.offset);
                    if (rec == null) {
                        continue;
                    }
                    s.message = MessageCodec.fromRecord(rec);
                }
                out.add(new Delivery(queue, s.offset, s.message, s.count, consumer));
            }
            touchConsumer(consumer, clock.millis());
            return out;
        });
    }

    @Override
    public CompletableFuture<Integer> ack(List<Long> offsets) {
        return callHere(() -> {
            int n = 0;
            for (long off : offsets) {
                Slot s = pending.remove(off);
                if (s == null) {
                    continue;
                }
                release(s);
                markDone(s);
                n++;
            }
            acked.addAndGet(n);
            return n;
        });
    }

    @Override
    public CompletableFuture<Void> nack(List<Long> offsets, boolean requeue, long delayMs) {
        return call(() -> {
            long now = clock.millis();
            for (long off : offsets) {
                Slot s = pending.remove(off);
                if (s == null) {
                    continue;
                }
                release(s);
                if (requeue) {
                    returnToReady(s, delayMs > 0 ? now + delayMs : 0, now);
                } else {
                    deadLetter(s, "rejected");
                }
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> touch(List<Long> offsets) {
        return call(() -> {
            if (args.leaseMs() > 0) {
                long now = clock.millis();
                for (long off : offsets) {
                    Slot s = pending.get(off);
                    if (s != null) {
                        s.deadline = now + args.leaseMs();
                    }
                }
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<List<Delivery>> claim(String consumer, List<Long> offsets, long minIdleMs, boolean force,
                                                   boolean bumpCount, long deliveredAtMs, int deliveryCount) {
        return call(() -> {
            long now = clock.millis();
            long deliveredAt = deliveredAtMs < 0 || deliveredAtMs > now ? now : deliveredAtMs;
            Consumer c = touchConsumer(consumer, now);
            List<Delivery> out = new ArrayList<>();
            for (long off : offsets) {
                Slot s = pending.get(off);
                boolean wasPending = s != null;
                if (wasPending) {
                    if (now - s.lastDeliveredAt < minIdleMs) {
                        continue;
                    }
                } else {
                    s = ready.removeReturned(off);
                    if (s == null) {
                        // FORCE creates an entry for an existing, never-pending message (groups on streams only).
                        if (!force || queueMode || off >= partition.highWatermark()) {
                            continue;
                        }
                        s = new Slot(off);
                    }
                }
                if (s.message == null) {
                    Record rec = reader.at(off);
                    if (rec == null) {
                        if (wasPending) {
                            pending.remove(off);
                            release(s);
                        }
                        markDone(s);
                        continue;
                    }
                    s.message = MessageCodec.fromRecord(rec);
                }
                if (wasPending) {
                    release(s);
                }
                if (deliveryCount >= 0) {
                    s.count = deliveryCount;
                } else if (bumpCount || s.count == 0) {
                    s.count++;
                }
                s.consumer = consumer;
                s.lastDeliveredAt = deliveredAt;
                if (args.leaseMs() > 0) {
                    s.deadline = now + args.leaseMs();
                    earliestDeadline = Math.min(earliestDeadline, s.deadline);
                }
                pending.put(off, s);
                c.unacked++;
                if (journal != null) {
                    journal.delivered(off, s.count, deliveredAt, consumer);
                }
                out.add(new Delivery(queue, off, s.message, s.count, consumer));
            }
            return out;
        });
    }

    @Override
    public CompletableFuture<List<PendingEntry>> pending(long fromOffset, long toOffset, String consumer,
                                                         long minIdleMs, int max) {
        return call(() -> {
            long now = clock.millis();
            List<PendingEntry> out = new ArrayList<>();
            if (fromOffset > toOffset) {
                return out;
            }
            for (Slot s : pending.subMap(fromOffset, true, toOffset, true).values()) {
                if (out.size() >= max) {
                    break;
                }
                if ((consumer == null || consumer.equals(s.consumer)) && now - s.lastDeliveredAt >= minIdleMs) {
                    out.add(new PendingEntry(s.offset, s.consumer, s.count, s.lastDeliveredAt));
                }
            }
            return out;
        });
    }

    @Override
    public CompletableFuture<Void> setCursor(long offset) {
        return call(() -> {
            if (queueMode) {
                throw new SluiceException(ErrorCode.INVALID_ARGUMENT, "a queue has no cursor to move");
            }
            scanPos = Math.max(0, offset);
            return null;
        });
    }

    @Override
    public CompletableFuture<Boolean> createConsumer(String consumer) {
        return call(() -> {
            if (consumers.containsKey(consumer)) {
                return false;
            }
            touchConsumer(consumer, clock.millis());
            return true;
        });
    }

    @Override
    public CompletableFuture<Long> deleteConsumer(String consumer) {
        CompletableFuture<Long> f = call(() -> {
            Consumer c = consumers.remove(consumer);
            if (c == null) {
                return 0L;
            }
            long n = 0;
            long now = clock.millis();
            var it = pending.values().iterator();
            List<Slot> returning = new ArrayList<>();
            while (it.hasNext()) {
                Slot s = it.next();
                if (consumer.equals(s.consumer)) {
                    it.remove();
                    if (queueMode) {
                        returning.add(s); // a queue never loses a message to a consumer's removal
                    } else {
                        markDone(s); // Redis DELCONSUMER: the entries leave the PEL for good
                    }
                    n++;
                }
            }
            for (Slot s : returning) {
                returnToReady(s, 0, now);
            }
            if (c.push()) {
                pushers.remove(c);
                notifyCancel(c.listener, "consumer deleted");
                c.listener = null;
            }
            if (journal != null && !queueMode) {
                journal.consumerRemoved(consumer);
            }
            return n;
        });
        synchronized (subLock) {
            ConsumerSpec spec = subscribed.remove(consumer);
            if (spec != null && spec.exclusive()) {
                exclusiveTaken = false;
            }
            subscribedCount = subscribed.size();
        }
        return f;
    }

    @Override
    public GroupInfo info() {
        Map<String, Long> counts = new LinkedHashMap<>();
        Map<String, Long> seen = new LinkedHashMap<>();
        consumers.forEach((n, c) -> {
            counts.put(n, c.unacked);
            seen.put(n, c.seenAt);
        });
        Figures fg = figures;
        return new GroupInfo(name, fg.cursor(), fg.pending(), readyCount(), counts, seen, vLastDelivered,
                acked.get());
    }

    /** Completes after every task queued so far ran (tests and orderly shutdown). */
    CompletableFuture<Void> barrier() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        exec.execute(() -> f.complete(null));
        return f;
    }
}
