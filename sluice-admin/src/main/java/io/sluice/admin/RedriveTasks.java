package io.sluice.admin;

import io.sluice.core.CallContext;
import io.sluice.core.Message;
import io.sluice.core.queue.DeliveryGroup;
import io.sluice.core.queue.Delivery;
import io.sluice.storage.record.Header;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Dead-letter redrive, as SQS does it: an asynchronous task that moves messages from a dead-letter queue back to the
 * queue they died in (or a given target), optionally only those matching a filter, at a bounded rate.
 *
 * <p>How a task works: it fetches from the dead-letter queue's delivery group under its own consumer name; a matching
 * message is enqueued to its target and then acknowledged (so a crash between the two duplicates rather than loses
 * it); a message that does not match, or has no known source queue, stays pending until the task ends and is then
 * returned (nack with requeue), which is what stops the task from fetching it twice. The task ends when the queue
 * has nothing more to fetch, {@code maxMessages} were moved, or it is cancelled.
 *
 * <p>The source queue is read from the first of {@link #SOURCE_HEADERS} the message carries: the queue engine writes
 * RabbitMQ's {@code x-first-death-queue} / {@code x-last-death-queue} when it dead-letters (see the core's
 * {@code DeadLetters}); the first death names the queue the message was originally consumed from. The dead-letter bookkeeping headers ({@link #DEATH_HEADERS} and every header starting with
 * {@code x-death}) are dropped from the redriven copy so it does not look dead-lettered again.
 *
 * <p>Thread-safe: tasks run one at a time on one worker thread; status snapshots may be read from any thread.
 */
final class RedriveTasks implements AutoCloseable {
    static final List<String> SOURCE_HEADERS = List.of("x-first-death-queue", "x-last-death-queue",
            "sluice.dead-letter.source");
    static final Set<String> DEATH_HEADERS = Set.of("x-first-death-queue", "x-first-death-reason",
            "x-first-death-exchange", "x-last-death-queue", "x-last-death-reason", "x-last-death-exchange",
            "sluice.dead-letter.source");
    private static final String CONSUMER = "sluice-admin-redrive";
    private static final int MAX_TASKS_KEPT = 100;

    /** Which messages to move; null fields match anything. */
    record Filter(String bodyContains, String header, String headerValue) {
        boolean matches(Message m) {
            if (bodyContains != null && !bodyContains.isEmpty()) {
                String body = m.value() == null ? "" : new String(m.value(), StandardCharsets.UTF_8);
                if (!body.contains(bodyContains)) {
                    return false;
                }
            }
            if (header != null && !header.isEmpty()) {
                byte[] v = m.header(header);
                if (v == null) {
                    return false;
                }
                return headerValue == null || headerValue.equals(new String(v, StandardCharsets.UTF_8));
            }
            return true;
        }
    }

    /** A task's status, as the API returns it. */
    record Status(String id, String queue, String target, String state, long moved, long skipped, long failed,
                  double ratePerSecond, long maxMessages, String error, long startedAt, long finishedAt) {
    }

    private final class Task implements Runnable {
        final String id = UUID.randomUUID().toString();
        final CallContext ctx;
        final String queue;
        final String target;
        final Filter filter;
        final double rate;
        final long max;
        final long startedAt;
        final AtomicLong moved = new AtomicLong();
        final AtomicLong skipped = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        volatile String state = "RUNNING";
        volatile String error;
        volatile long finishedAt = -1;
        volatile boolean cancelled;

        Task(CallContext ctx, String queue, String target, Filter filter, double rate, long max) {
            this.ctx = ctx;
            this.queue = queue;
            this.target = target;
            this.filter = filter;
            this.rate = rate;
            this.max = max;
            this.startedAt = clock.millis();
        }

        Status status() {
            return new Status(id, queue, target, state, moved.get(), skipped.get(), failed.get(), rate,
                    max == Long.MAX_VALUE ? -1 : max, error, startedAt, finishedAt);
        }

        @Override
        public void run() {
            List<Long> kept = new ArrayList<>();
            DeliveryGroup dlq = null;
            try {
                dlq = view.broker().queues().consumers(ctx, queue);
                long intervalNanos = (long) (1_000_000_000L / rate);
                long next = System.nanoTime();
                while (!cancelled && moved.get() < max) {
                    List<Delivery> batch = dlq.fetch(CONSUMER, (int) Math.min(16, Math.max(1,
                            Math.min(max - moved.get(), (long) Math.ceil(rate)))), 0, false).join();
                    if (batch.isEmpty()) {
                        break;
                    }
                    for (Delivery d : batch) {
                        if (cancelled || moved.get() >= max) {
                            kept.add(d.offset());
                            continue;
                        }
                        String to = target != null ? target : sourceOf(d.message());
                        if (to == null || !filter.matches(d.message())) {
                            skipped.incrementAndGet();
                            kept.add(d.offset());
                            continue;
                        }
                        long wait = next - System.nanoTime();
                        if (wait > 0) {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        }
                        next = Math.max(next, System.nanoTime() - intervalNanos) + intervalNanos;
                        try {
                            boolean stored = view.broker().queues().enqueue(ctx, to, revive(d.message())).join();
                            if (stored) {
                                dlq.ack(List.of(d.offset())).join();
                                moved.incrementAndGet();
                            } else {
                                failed.incrementAndGet();
                                kept.add(d.offset());
                            }
                        } catch (RuntimeException e) {
                            failed.incrementAndGet();
                            kept.add(d.offset());
                            error = "enqueue to " + to + " failed: " + e.getMessage();
                        }
                    }
                }
                state = cancelled ? "CANCELLED" : "COMPLETED";
            } catch (InterruptedException e) {
                state = "CANCELLED";
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                state = "FAILED";
                error = String.valueOf(e.getMessage());
            } finally {
                if (dlq != null && !kept.isEmpty()) {
                    try {
                        dlq.nack(kept, true, 0).join();
                    } catch (RuntimeException e) {
                        error = "returning skipped messages failed: " + e.getMessage();
                    }
                }
                finishedAt = clock.millis();
            }
        }
    }

    private final BrokerView view;
    private final Clock clock;
    private final ExecutorService worker;
    private final Map<String, Task> tasks = new ConcurrentHashMap<>();

    RedriveTasks(BrokerView view, Clock clock) {
        this.view = view;
        this.clock = clock;
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "sluice-admin-redrive");
            t.setDaemon(true);
            return t;
        });
    }

    static String sourceOf(Message m) {
        for (String h : SOURCE_HEADERS) {
            byte[] v = m.header(h);
            if (v != null && v.length > 0) {
                return new String(v, StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static Message revive(Message m) {
        List<Header> kept = new ArrayList<>();
        for (Header h : m.headers()) {
            if (!DEATH_HEADERS.contains(h.key()) && !h.key().startsWith("x-death")) {
                kept.add(h);
            }
        }
        return m.withHeaders(kept).withTimestamp(0);
    }

    Status start(CallContext ctx, String queue, String target, Filter filter, double rate, long max) {
        if (tasks.size() >= MAX_TASKS_KEPT) {
            tasks.values().removeIf(t -> t.finishedAt >= 0);
        }
        Task t = new Task(ctx, queue, target, filter, rate, max);
        tasks.put(t.id, t);
        worker.execute(t);
        return t.status();
    }

    List<Status> list() {
        return tasks.values().stream().map(Task::status).sorted((a, b) -> Long.compare(a.startedAt(),
                b.startedAt())).toList();
    }

    Status get(String id) {
        Task t = tasks.get(id);
        if (t == null) {
            throw ApiException.notFound("redrive task " + id);
        }
        return t.status();
    }

    Status cancel(String id) {
        Task t = tasks.get(id);
        if (t == null) {
            throw ApiException.notFound("redrive task " + id);
        }
        t.cancelled = true;
        return t.status();
    }

    @Override
    public void close() {
        tasks.values().forEach(t -> t.cancelled = true);
        worker.shutdownNow();
    }
}
