package io.sluice.core.queue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A prefetch limit shared by several push consumers, possibly on different queues: AMQP's {@code basic.qos} with
 * {@code global=true}, which RabbitMQ applies to all the consumers of a channel together. Each consumer keeps its own
 * limit ({@link ConsumerSpec#prefetch()}); an acknowledging delivery needs room in both. Auto-ack deliveries take
 * no credit.
 *
 * <p>Credit is counted whatever the limit, so that a limit set later (or changed) applies to what is already
 * outstanding. {@code limit <= 0} means no limit.
 *
 * <p>Thread-safe: delivery groups of different queues run on different threads and take and return credit
 * concurrently. A group that found no room registers a waker ({@link #whenRoom}); the release (or limit change) that
 * makes room runs each registered waker once. Wakers must only schedule work, never run a delivery turn inline.
 */
public final class SharedPrefetch {
    private volatile int limit;
    private final AtomicInteger used = new AtomicInteger();
    private final Set<Runnable> wakers = ConcurrentHashMap.newKeySet();

    public SharedPrefetch(int limit) {
        this.limit = limit;
    }

    /** Changes the limit; raising it (or removing it) lets waiting consumers go on at once. */
    public void setLimit(int limit) {
        this.limit = limit;
        wake();
    }

    public int limit() {
        return limit;
    }

    /** Deliveries holding credit now. */
    public int inUse() {
        return used.get();
    }

    /** Whether one more delivery would fit; a hint only, {@link #tryAcquire} decides. */
    public boolean hasRoom() {
        int l = limit;
        return l <= 0 || used.get() < l;
    }

    /** Takes credit for one delivery; false when the limit is reached. */
    public boolean tryAcquire() {
        while (true) {
            int u = used.get();
            int l = limit;
            if (l > 0 && u >= l) {
                return false;
            }
            if (used.compareAndSet(u, u + 1)) {
                return true;
            }
        }
    }

    /** Returns the credit of one settled (or returned) delivery. Never goes below zero. */
    public void release() {
        while (true) {
            int u = used.get();
            if (u <= 0 || used.compareAndSet(u, u - 1)) {
                break;
            }
        }
        if (!wakers.isEmpty()) {
            wake();
        }
    }

    /**
     * Runs {@code waker} once when there is room: at the next release or limit change, or now if room appeared
     * since the caller looked (so that a release between the caller's check and this call is not missed).
     */
    public void whenRoom(Runnable waker) {
        wakers.add(waker);
        if (hasRoom()) {
            wake();
        }
    }

    private void wake() {
        if (!hasRoom()) {
            return;
        }
        for (Runnable w : wakers) {
            if (wakers.remove(w)) {
                w.run();
            }
        }
    }
}
