package io.sluice.bench.harness.driver;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Bounds the number of published-but-unconfirmed messages, the same way for every protocol: a permit is taken before
 * each send and returned by the protocol's confirm callback.
 *
 * <p>Thread-safe: {@link #acquire()} is called by the publishing thread, {@link #confirmed} and {@link #failed} by
 * the client's I/O threads. A refusal is remembered and reported by {@link #awaitAll}, so a publisher that lost a
 * message can never finish cleanly.
 */
public final class ConfirmWindow {
    private final int size;
    private final Semaphore permits;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();

    public ConfirmWindow(int size) {
        this.size = size;
        this.permits = new Semaphore(size);
    }

    public int size() {
        return size;
    }

    public void acquire() throws InterruptedException {
        permits.acquire();
    }

    public void confirmed(int count) {
        permits.release(count);
    }

    public void failed(int count, String reason) {
        failures.addAndGet(count);
        firstFailure.compareAndSet(null, reason);
        permits.release(count);
    }

    public long failures() {
        return failures.get();
    }

    /** Waits until every permit is back (all confirmed), then throws if any send was refused. */
    public void awaitAll(Duration timeout) throws Exception {
        if (!permits.tryAcquire(size, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new TimeoutException((size - permits.availablePermits()) + " publishes still unconfirmed after " + timeout);
        }
        permits.release(size);
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " publishes refused by the server; first: " + firstFailure.get());
        }
    }
}
