package io.sluice.protocol.nats.session;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.core.Broker;
import io.sluice.core.CallContext;
import io.sluice.core.Message;
import io.sluice.core.queue.Delivery;
import io.sluice.core.queue.DeliveryGroup;
import io.sluice.storage.record.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;

/**
 * The delivery pump of one JetStream push consumer: pulls from the consumer's core delivery group and publishes each
 * message to the consumer's {@code deliver_subject} through the core pub/sub, so whichever connections subscribe to
 * it (one member of {@code deliver_group}, if set) receive it with the stored subject and a {@code $JS.ACK} reply.
 *
 * <p>Threading: one step at a time. A step runs on the shared timer thread or on the core thread that completed the
 * previous fetch, and always schedules the next one itself, so the pump's own fields need no lock; only the flow
 * control state, which a client's reply changes from its event loop, is guarded by {@code this}.
 *
 * <p>Bounds, so that a slow subscriber cannot make the broker buffer without limit: with {@code ack_policy}
 * explicit or all at most {@code max_ack_pending} deliveries are unacknowledged at once (the core's pending list);
 * with {@code flow_control} a {@code 100 FlowControl Request} is sent once {@value #FC_WINDOW_BYTES}/2 bytes are
 * outstanding and delivery pauses at {@value #FC_WINDOW_BYTES} bytes until the client answers it; past both, the
 * connection's own {@code max_pending} cuts a subscriber off as a slow consumer, as for core NATS.
 *
 * <p>While nothing is delivered for {@code idle_heartbeat}, a {@code 100 Idle Heartbeat} status is sent with
 * {@code Nats-Last-Consumer} and {@code Nats-Last-Stream} (and {@code Nats-Consumer-Stalled} naming the unanswered
 * flow control subject), which is what nats-server sends and what jnats' ordered consumer watches. Nothing is
 * delivered while nobody subscribes to the deliver subject; an ephemeral consumer without interest for
 * {@code inactive_threshold} (default 5 s) deletes itself.
 */
final class NatsJsPushConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(NatsJsPushConsumer.class);

    static final String FC_PREFIX = "$JS.FC.";
    static final int FC_WINDOW_BYTES = 4 * 1024 * 1024;
    private static final int BATCH = 256;
    private static final long MAX_WAIT_MS = 500;
    private static final long POLL_MS = 20;
    private static final long DEFAULT_INACTIVE_MS = 5_000;

    private final Broker broker;
    private final CallContext ctx;
    private final DeliveryGroup group;
    private final String stream;
    private final String name;
    private final String deliverSubject;
    private final String filter;
    private final boolean ackNone;
    private final long maxAckPending;
    private final long heartbeatMs;
    private final boolean flowControl;
    private final boolean ephemeral;
    private final long inactiveMs;
    private final AtomicLong consumerSeq;
    /** Offsets never shown (deliver policy last_per_subject); skipped like messages outside the filter. */
    private final LongPredicate skip;
    private final ScheduledExecutorService timer;
    private final Runnable onInactive;

    private volatile boolean stopped;
    private long lastInterestMs;
    private long lastSentMs;
    private volatile long lastStreamSeq;
    /**
     * Consumer and stream sequence of the last delivery, replaced together after each one, so consumer info reads a
     * consistent pair (jnats adds {@code num_pending} to the consumer sequence to know how much is left).
     */
    private volatile long[] delivered = {0, 0};

    /** Guarded by this. */
    private String fcId;
    private long outstandingBytes;
    private long fcCoveredBytes;

    NatsJsPushConsumer(Broker broker, CallContext ctx, DeliveryGroup group, String stream, String name,
                       JsonNode config, AtomicLong consumerSeq, LongPredicate skip, ScheduledExecutorService timer,
                       Runnable onInactive) {
        this.skip = skip;
        this.broker = broker;
        this.ctx = ctx;
        this.group = group;
        this.stream = stream;
        this.name = name;
        this.deliverSubject = config.get("deliver_subject").asText();
        String f = config.path("filter_subject").asText("");
        this.filter = f.isEmpty() || f.equals(">") ? null : f;
        this.ackNone = config.path("ack_policy").asText().equals("none");
        this.maxAckPending = config.path("max_ack_pending").asLong(0);
        this.heartbeatMs = config.path("idle_heartbeat").asLong(0) / 1_000_000;
        this.flowControl = config.path("flow_control").asBoolean(false);
        this.ephemeral = !config.hasNonNull("durable_name");
        long inactiveNs = config.path("inactive_threshold").asLong(0);
        this.inactiveMs = inactiveNs > 0 ? Math.max(1, inactiveNs / 1_000_000) : DEFAULT_INACTIVE_MS;
        this.consumerSeq = consumerSeq;
        this.timer = timer;
        this.onInactive = onInactive;
    }

    /** {consumer sequence, stream sequence} of the last delivery; zeros before the first. */
    long[] delivered() {
        return delivered;
    }

    String deliverSubject() {
        return deliverSubject;
    }

    void start() {
        long now = broker.clock().millis();
        lastInterestMs = now;
        lastSentMs = now;
        timer.execute(this::step);
    }

    void stop() {
        stopped = true;
    }

    /** Whether someone subscribes to the deliver subject (consumer info {@code push_bound}). */
    boolean bound() {
        return broker.pubsub().hasSubscribers(ctx, deliverSubject);
    }

    private void later(long ms) {
        if (!stopped) {
            try {
                timer.schedule(this::step, ms, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                stopped = true; // the listener is closing
            }
        }
    }

    private void step() {
        if (stopped) {
            return;
        }
        try {
            long now = broker.clock().millis();
            if (!bound()) {
                if (ephemeral && now - lastInterestMs >= inactiveMs) {
                    stopped = true;
                    onInactive.run();
                    return;
                }
                later(POLL_MS);
                return;
            }
            lastInterestMs = now;
            if (heartbeatMs > 0 && now - lastSentMs >= heartbeatMs) {
                heartbeat();
                lastSentMs = now;
            }
            long room = BATCH;
            if (!ackNone && maxAckPending > 0) {
                room = Math.min(room, maxAckPending - group.info().pending());
            }
            if (room <= 0 || flowBlocked()) {
                later(POLL_MS);
                return;
            }
            long waitMs = MAX_WAIT_MS;
            if (heartbeatMs > 0) {
                waitMs = Math.max(1, Math.min(waitMs, heartbeatMs - (now - lastSentMs)));
            }
            group.fetch(NatsJsConsumers.CORE_CONSUMER, (int) room, waitMs, ackNone).whenComplete((ds, error) -> {
                if (error != null) {
                    LOG.debug("push consumer {}/{} fetch failed", stream, name, error);
                    later(MAX_WAIT_MS); // a deleted consumer is stopped by its deletion
                    return;
                }
                try {
                    deliver(ds);
                } catch (RuntimeException e) {
                    LOG.warn("push consumer {}/{} delivery failed", stream, name, e);
                }
                later(0);
            });
        } catch (RuntimeException e) {
            LOG.debug("push consumer {}/{} step failed", stream, name, e);
            later(MAX_WAIT_MS);
        }
    }

    private void deliver(List<Delivery> deliveries) {
        if (deliveries.isEmpty()) {
            return;
        }
        long pending = group.info().ready();
        List<Long> skipped = new ArrayList<>();
        List<Long> unrouted = new ArrayList<>();
        int left = deliveries.size();
        for (Delivery d : deliveries) {
            left--;
            Message m = d.message();
            String subject = m.subject() == null ? stream : m.subject();
            if (stopped || (filter != null && !NatsSubjectMatch.matches(filter, subject)) || skip.test(d.offset())) {
                skipped.add(d.offset());
                continue;
            }
            long cseq = consumerSeq.incrementAndGet();
            long tsNanos = Math.max(0, m.timestamp()) * 1_000_000;
            String ack = new NatsAckSubject(stream, name, d.deliveryCount(), d.offset() + 1, cseq, tsNanos,
                    pending + left).format();
            Message out = new Message(subject, ack.getBytes(StandardCharsets.UTF_8), m.value(), m.headers(), 0, -1, -1);
            int receivers = broker.pubsub().publish(ctx, deliverSubject, out);
            if (receivers == 0) {
                consumerSeq.decrementAndGet();
                unrouted.add(d.offset());
                continue;
            }
            lastStreamSeq = d.offset() + 1;
            delivered = new long[] {cseq, d.offset() + 1};
            lastSentMs = broker.clock().millis();
            if (flowControl) {
                account((m.value() == null ? 0 : m.value().length) + subject.length() + ack.length() + 64L);
            }
        }
        if (!ackNone) {
            if (!skipped.isEmpty()) {
                group.ack(skipped);
            }
            if (!unrouted.isEmpty()) {
                group.nack(unrouted, true, 0); // interest went away mid-batch: deliver again later
            }
        }
    }

    private void heartbeat() {
        List<Header> h = new ArrayList<>(4);
        h.add(NatsMessages.status(100, "Idle Heartbeat"));
        h.add(header("Nats-Last-Consumer", Long.toString(consumerSeq.get())));
        h.add(header("Nats-Last-Stream", Long.toString(lastStreamSeq)));
        String stalled;
        synchronized (this) {
            stalled = fcId;
        }
        if (stalled != null) {
            h.add(header("Nats-Consumer-Stalled", stalled));
        }
        broker.pubsub().publish(ctx, deliverSubject, new Message(null, null, new byte[0], h, 0, -1, -1));
    }

    private static Header header(String name, String value) {
        return new Header(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private synchronized void account(long bytes) {
        outstandingBytes += bytes;
        if (fcId == null && outstandingBytes > FC_WINDOW_BYTES / 2) {
            fcId = FC_PREFIX + stream + '.' + name + '.' + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
            fcCoveredBytes = outstandingBytes;
            byte[] reply = fcId.getBytes(StandardCharsets.UTF_8);
            broker.pubsub().publish(ctx, deliverSubject,
                    new Message(null, reply, new byte[0], List.of(NatsMessages.status(100, "FlowControl Request")),
                            0, -1, -1));
        }
    }

    private synchronized boolean flowBlocked() {
        return fcId != null && outstandingBytes >= FC_WINDOW_BYTES;
    }

    /** The client answered a flow control request; stale or unknown subjects are ignored, as nats-server does. */
    synchronized void flowControlReply(String subject) {
        if (subject.equals(fcId)) {
            outstandingBytes = Math.max(0, outstandingBytes - fcCoveredBytes);
            fcId = null;
            fcCoveredBytes = 0;
        }
    }
}
