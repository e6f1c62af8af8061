package io.sluice.core.queue;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Per-message acknowledged delivery over a log: the queue semantics shared by AMQP queues, Redis consumer groups,
 * JetStream pull consumers and Kafka share groups. A group has a cursor (the next never-delivered offset), a pending
 * list (delivered, unacknowledged, with owner, delivery count and time), and messages returned for redelivery. Its
 * state is written to a log of its own and replayed at start-up, so a restart loses no acknowledgement and
 * redelivers every unacknowledged message.
 *
 * <p>Messages are delivered in offset order, except that returned messages go first (oldest first) and, on queues
 * with priorities, higher priorities go first. A delivery whose lease expires ({@link QueueArguments#leaseMs()}),
 * whose consumer goes away, or which is nacked with requeue becomes ready again with its delivery count kept; after
 * {@link QueueArguments#deliveryLimit()} deliveries, or on nack without requeue, it is dead-lettered.
 *
 * <p>Thread-safe: every operation is serialized on the group's single owner. Futures complete on a core thread, or,
 * when the group is caught up and idle, on the thread that called or on the log writer that made new records
 * readable: a caller must not assume which.
 */
public interface DeliveryGroup {

    /** Queue name (for queues) or stream name (for groups on streams). */
    String queue();

    /** Group name; "" for a queue's own group. */
    String name();

    /**
     * Runs {@code action} once when the group ends (it is destroyed, or its queue or stream deleted), after fetches
     * fail with not-found; at once if it has already ended. Closing the handle unregisters an action not yet run.
     */
    AutoCloseable onEnd(Runnable action);

    /** Starts pushing deliveries to {@code listener} within the consumer's prefetch. */
    Subscription subscribe(ConsumerSpec spec, DeliveryListener listener);

    /**
     * Pulls up to {@code max} never-delivered (or returned) messages for {@code consumer}, waiting up to
     * {@code maxWaitMs} for at least one (0 = answer at once). With {@code noAck} they are not kept pending (Redis
     * NOACK, AMQP basic.get with no-ack).
     */
    CompletableFuture<List<Delivery>> fetch(String consumer, int max, long maxWaitMs, boolean noAck);

    /** Re-reads the pending deliveries of {@code consumer} with offsets above {@code afterOffset} (XREADGROUP 0). */
    CompletableFuture<List<Delivery>> pendingDeliveries(String consumer, long afterOffset, int max);

    /** Acknowledges deliveries; unknown offsets are ignored. Completes with how many were pending and are now acked. */
    CompletableFuture<Integer> ack(List<Long> offsets);

    /**
     * Returns deliveries: with {@code requeue} they become ready again after {@code delayMs} (0 = at once), otherwise
     * they are dead-lettered (reason "rejected") or dropped if there is no dead-letter target.
     */
    CompletableFuture<Void> nack(List<Long> offsets, boolean requeue, long delayMs);

    /** Marks deliveries as still being worked on: their lease restarts (JetStream +WPI, SQS ChangeMessageVisibility). */
    CompletableFuture<Void> touch(List<Long> offsets);

    /** Dead-letters / terminates deliveries without redelivery (JetStream +TERM). */
    default CompletableFuture<Void> terminate(List<Long> offsets) {
        return nack(offsets, false, 0);
    }

    /**
     * Transfers pending deliveries idle for at least {@code minIdleMs} to {@code consumer} (Redis XCLAIM). With
     * {@code force}, offsets that are not pending but exist are claimed too. {@code bumpCount} increments the
     * delivery count.
     */
    default CompletableFuture<List<Delivery>> claim(String consumer, List<Long> offsets, long minIdleMs, boolean force,
                                                    boolean bumpCount) {
        return claim(consumer, offsets, minIdleMs, force, bumpCount, -1, -1);
    }

    /**
     * {@link #claim(String, List, long, boolean, boolean)} that also sets what the pending list records (Redis XCLAIM
     * IDLE, TIME and RETRYCOUNT): {@code deliveredAtMs} is the claimed entries' last delivery time (negative = now; a
     * time after now is taken as now) and {@code deliveryCount}, when not negative, their delivery count instead of
     * what {@code bumpCount} would make it.
     */
    CompletableFuture<List<Delivery>> claim(String consumer, List<Long> offsets, long minIdleMs, boolean force,
                                            boolean bumpCount, long deliveredAtMs, int deliveryCount);

    /** The pending list, filtered: offsets in [from, to], consumer (null = any), idle at least minIdleMs. */
    CompletableFuture<List<PendingEntry>> pending(long fromOffset, long toOffset, String consumer, long minIdleMs,
                                                  int max);

    /** Moves the cursor (Redis XGROUP SETID, a consumer reset); pending entries are kept. */
    CompletableFuture<Void> setCursor(long offset);

    /** Registers a consumer name without subscribing (XGROUP CREATECONSUMER). */
    CompletableFuture<Boolean> createConsumer(String consumer);

    /** Forgets a consumer; its pending deliveries are dropped from the pending list (Redis DELCONSUMER semantics). */
    CompletableFuture<Long> deleteConsumer(String consumer);

    GroupInfo info();
}
