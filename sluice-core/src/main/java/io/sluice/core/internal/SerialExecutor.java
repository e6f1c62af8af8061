package io.sluice.core.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared pool: the single owner of one mutable structure (a
 * delivery group, the metadata, a group's offsets) without a thread of its own. Any thread may submit; tasks never
 * overlap and each sees the effects of the previous one.
 */
public final class SerialExecutor implements Executor {
    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

    private final Executor pool;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();

    public SerialExecutor(Executor pool) {
        this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (pending.getAndIncrement() == 0) {
            pool.execute(this::drain);
        }
    }

    /**
     * Runs {@code task} on the calling thread when nothing is queued or running, else queues it as {@link #execute}
     * does. For a caller whose thread can afford the task, to spare it a hop to the pool; tasks submitted while it
     * runs are left to the pool. Once the pool is shut down the task is refused as {@link #execute} refuses it.
     */
    public void executeHereIfIdle(Runnable task) {
        if ((pool instanceof ExecutorService es && es.isShutdown()) || !pending.compareAndSet(0, 1)) {
            execute(task);
            return;
        }
        try {
            task.run();
        } catch (Throwable t) {
            log.error("task failed on serial executor", t);
        }
        if (pending.decrementAndGet() != 0) {
            pool.execute(this::drain);
        }
    }

    private void drain() {
        // A bounded turn, so one busy owner cannot starve the others sharing the pool.
        int budget = 256;
        while (true) {
            Runnable r = tasks.poll(); // never null: a task is queued before its count is raised
            try {
                r.run();
            } catch (Throwable t) {
                log.error("task failed on serial executor", t);
            }
            if (pending.decrementAndGet() == 0) {
                return;
            }
            if (--budget == 0) {
                pool.execute(this::drain);
                return;
            }
        }
    }
}
