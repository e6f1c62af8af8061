package io.sluice.protocol.nats.session;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One {@code SUB} of one connection. Created and removed on the connection's event loop; {@link #delivered} and
 * {@link #maxMsgs} are read by delivering threads, hence atomic/volatile.
 */
final class NatsSubscription {

    final String sid;
    final String subject;
    final String queue;
    /** Messages delivered so far; compared with {@link #maxMsgs} for {@code UNSUB sid max}. */
    final AtomicLong delivered = new AtomicLong();
    /** 0 = unlimited. */
    volatile long maxMsgs;
    /** The core's handle; closing it stops delivery. Set once right after subscribing. */
    volatile AutoCloseable handle;
    volatile boolean closed;

    NatsSubscription(String sid, String subject, String queue) {
        this.sid = sid;
        this.subject = subject;
        this.queue = queue;
    }

    /**
     * Claims the right to deliver one more message: false once the subscription is closed or its maximum was reached.
     * Reaching the maximum exactly is reported by {@link #reachedMax}.
     */
    boolean tryDeliver() {
        if (closed) {
            return false;
        }
        long max = maxMsgs;
        long n = delivered.incrementAndGet();
        return max <= 0 || n <= max;
    }

    boolean reachedMax() {
        long max = maxMsgs;
        return max > 0 && delivered.get() >= max;
    }
}
