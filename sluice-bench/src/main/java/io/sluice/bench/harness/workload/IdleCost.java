package io.sluice.bench.harness.workload;

import io.sluice.bench.harness.ServerProcess;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What keeping many idle queues costs the server: resident memory per queue and CPU while nothing happens.
 *
 * <p>Measured after M1's clients have disconnected and before its queues are deleted: wait two seconds for
 * in-flight work to settle, then sample RSS once a second and CPU time at both ends of the window. RSS per queue is
 * (average RSS at rest − RSS before the queues were created) / queues; for a garbage-collected server this includes
 * heap growth that is not per-queue state, so read it as an upper bound. For a JVM server the live heap after a
 * forced full collection is also taken, before the queues and after the idle window ({@code heap_per_queue_bytes}):
 * that is the state the queues really hold on the heap (off-heap buffers and mapped files are only in RSS).
 */
final class IdleCost {
    private IdleCost() {
    }

    static Map<String, Object> measure(ServerProcess server, Long rssBefore, Long heapBefore, int queues, int seconds)
            throws InterruptedException {
        Thread.sleep(2_000);
        long cpu0 = server.cpuNanos().orElse(-1);
        long t0 = System.nanoTime();
        long rssSum = 0;
        int samples = 0;
        for (int i = 0; i < seconds; i++) {
            Thread.sleep(1_000);
            long rss = server.rssBytes().orElse(-1);
            if (rss > 0) {
                rssSum += rss;
                samples++;
            }
        }
        long cpu1 = server.cpuNanos().orElse(-1);
        double wall = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> idle = new LinkedHashMap<>();
        idle.put("queues", queues);
        idle.put("seconds", WorkloadRunner.round(wall));
        if (samples > 0) {
            long rssIdle = rssSum / samples;
            idle.put("rss_bytes", rssIdle);
            if (rssBefore != null) {
                idle.put("rss_before_bytes", rssBefore);
                idle.put("rss_per_queue_bytes", (rssIdle - rssBefore) / queues);
            }
        }
        if (cpu0 >= 0 && cpu1 >= 0) {
            idle.put("cpu_percent", WorkloadRunner.round(100.0 * (cpu1 - cpu0) / 1e9 / wall));
        }
        if (heapBefore != null) {
            server.jvmLiveHeapBytes().ifPresent(heap -> {
                idle.put("heap_live_before_bytes", heapBefore);
                idle.put("heap_live_bytes", heap);
                idle.put("heap_per_queue_bytes", (heap - heapBefore) / queues);
            });
        }
        return idle;
    }
}
