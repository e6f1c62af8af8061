package io.sluice.core.queue.internal;

import io.sluice.core.CallContext;
import io.sluice.core.Message;
import io.sluice.core.internal.CoreRuntime;
import io.sluice.core.internal.ExchangeServiceImpl;
import io.sluice.core.internal.MetadataLog;
import io.sluice.core.internal.QueueEngine;
import io.sluice.core.internal.StreamServiceImpl;
import io.sluice.core.queue.GroupService;
import io.sluice.core.queue.QueueArguments;
import io.sluice.core.queue.QueueService;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue engine: builds the queue and group services, replays them at start, runs the shared timer that drives
 * every group's leases, delayed requeues, TTLs and expiry ({@value #TICK_MS} ms resolution), and dead-letters
 * messages through the exchanges.
 *
 * <p>Thread-safe. The timer task only looks at the groups when the earliest timer of any group is due
 * ({@link #timerAt}), and then asks each group to queue a turn only if its own timer is due; so a tick over a thousand
 * idle queues is one clock read, not a thousand.
 */
public final class Queues implements QueueEngine {
    private static final Logger log = LoggerFactory.getLogger(Queues.class);
    static final long TICK_MS = 100;

    private final CoreRuntime runtime;
    private final Supplier<ExchangeServiceImpl> exchanges;
    private final QueueServiceImpl queues;
    private final GroupServiceImpl groups;
    private final Set<DeliveryGroupImpl> live = ConcurrentHashMap.newKeySet();
    /**
     * A lower bound on every live group's next timer (broker clock). Groups lower it when their timer moves earlier;
     * a scan raises it to the minimum it saw. It is reset before the scan reads the groups, so a group that lowers
     * its timer during the scan is either seen by the scan or lowers the bound after the reset.
     */
    private final AtomicLong nextDue = new AtomicLong(Long.MIN_VALUE);

    private Queues(CoreRuntime runtime, StreamServiceImpl streams, Supplier<ExchangeServiceImpl> exchanges,
                   MetadataLog metadata) {
        this.runtime = runtime;
        this.exchanges = exchanges;
        this.queues = new QueueServiceImpl(runtime, streams, exchanges, metadata, this);
        this.groups = new GroupServiceImpl(runtime, streams, metadata, this);
    }

    public static QueueEngine create(CoreRuntime runtime, StreamServiceImpl streams,
                                     Supplier<ExchangeServiceImpl> exchanges, MetadataLog metadata) {
        return new Queues(runtime, streams, exchanges, metadata);
    }

    @Override
    public QueueService queues() {
        return queues;
    }

    @Override
    public GroupService groups() {
        return groups;
    }

    @Override
    public void start() {
        queues.start();
        groups.start();
        runtime.scheduler().scheduleWithFixedDelay(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        if (runtime.clock().millis() < nextDue.get()) {
            return;
        }
        nextDue.set(Long.MAX_VALUE);
        long min = Long.MAX_VALUE;
        for (DeliveryGroupImpl g : live) {
            try {
                g.tick();
            } catch (Throwable t) {
                log.warn("timer of group {} failed", g.queue(), t);
            }
            // a group whose turn was just queued still shows its old (due) timer: the next tick looks again
            min = Math.min(min, g.nextTimer());
        }
        timerAt(min);
    }

    /** Some group's timer is due at {@code atMs} (broker clock) or later; any thread. */
    void timerAt(long atMs) {
        nextDue.accumulateAndGet(atMs, Math::min);
    }

    void register(DeliveryGroupImpl g) {
        live.add(g);
        timerAt(g.nextTimer());
    }

    void unregister(DeliveryGroupImpl g) {
        live.remove(g);
    }

    void ownerClosed(String ownerId) {
        live.forEach(g -> g.ownerClosed(ownerId));
    }

    /**
     * Publishes a dead letter to the group's dead-letter exchange, with RabbitMQ's x-death headers
     * ({@link DeadLetters}). Dead-lettering is at-most-once, as RabbitMQ's default: the message is already gone from
     * its queue, and a failed publish (missing exchange, no route) drops it. A destination the message would cycle
     * back into without a rejection on the way ({@link DeadLetters#cycles}) does not get it, as in RabbitMQ, so
     * expiry loops end instead of spinning forever.
     */
    void deadLetter(DeliveryGroupImpl g, Message message, String reason) {
        QueueArguments a = g.arguments();
        ExchangeServiceImpl ex = exchanges.get();
        if (!a.hasDeadLetterTarget() || ex == null) {
            return;
        }
        Message annotated = DeadLetters.annotate(message, g.queue(), reason, runtime.clock().millis());
        String rk = a.deadLetterRoutingKey() != null ? a.deadLetterRoutingKey() : message.subject();
        // As RabbitMQ: the dead letter is delivered as published to the dead-letter exchange with the dead-letter
        // routing key; x-death (written above) keeps the original exchange and routing keys.
        Message dead = DeadLetters.republishedTo(annotated, a.deadLetterExchange(), rk);
        CallContext ctx = CallContext.BROKER.in(g.scope());
        Set<String> targets;
        try {
            targets = ex.route(ctx, a.deadLetterExchange(), rk == null ? "" : rk, Map.of());
        } catch (RuntimeException e) {
            log.debug("dead letter from {} to '{}' dropped: {}", g.queue(), a.deadLetterExchange(), e.toString());
            return;
        }
        List<Map<String, Object>> deaths = DeadLetters.deaths(annotated);
        for (String target : targets) {
            if (DeadLetters.cycles(deaths, target)) {
                log.debug("dead letter from {} not delivered to {}: dead-letter cycle without a rejection",
                        g.queue(), target);
                continue;
            }
            queues.enqueue(ctx, target, dead).whenComplete((ok, t) -> {
                if (t != null) {
                    log.debug("dead letter from {} to {} dropped: {}", g.queue(), target, t.toString());
                }
            });
        }
    }
}
