package io.sluice.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {
    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private final SerialExecutor exec = new SerialExecutor(pool);
    private final List<String> ran = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void anIdleExecutorRunsTheTaskOnTheCaller() {
        Thread caller = Thread.currentThread();
        Thread[] on = new Thread[1];

        exec.executeHereIfIdle(() -> on[0] = Thread.currentThread());

        assertThat(on[0]).isSameAs(caller);
    }

    @Test
    void aBusyExecutorQueuesTheTaskBehindTheRunningOne() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        exec.execute(() -> {
            started.countDown();
            awaitQuietly(release);
            ran.add("first");
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        exec.executeHereIfIdle(() -> ran.add("second:" + (Thread.currentThread().getName().startsWith("pool"))));
        assertThat(ran).isEmpty(); // not run here: the first task still holds the executor
        release.countDown();

        await().untilAsserted(() -> assertThat(ran).containsExactly("first", "second:true"));
    }

    @Test
    void tasksQueuedWhileItRunsHereAreLeftToThePoolInOrder() {
        Thread caller = Thread.currentThread();
        List<Thread> threads = new CopyOnWriteArrayList<>();

        exec.executeHereIfIdle(() -> {
            for (int i = 0; i < 3; i++) {
                int n = i;
                exec.execute(() -> {
                    ran.add("queued" + n);
                    threads.add(Thread.currentThread());
                });
            }
            assertThat(ran).isEmpty(); // they wait for this task to end
            ran.add("here");
        });

        await().untilAsserted(() -> assertThat(ran).containsExactly("here", "queued0", "queued1", "queued2"));
        assertThat(threads).doesNotContain(caller);
    }

    @Test
    void aTaskThatFailsHereDoesNotWedgeTheExecutor() {
        exec.executeHereIfIdle(() -> {
            throw new IllegalStateException("boom");
        });

        exec.executeHereIfIdle(() -> ran.add("after"));

        assertThat(ran).containsExactly("after");
    }

    @Test
    void aShutDownPoolRefusesTheTaskInsteadOfRunningItHere() {
        pool.shutdown();

        assertThatThrownBy(() -> exec.executeHereIfIdle(() -> ran.add("ran")))
                .isInstanceOf(RejectedExecutionException.class);
        assertThat(ran).isEmpty();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
