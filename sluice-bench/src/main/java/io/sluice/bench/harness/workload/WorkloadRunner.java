package io.sluice.bench.harness.workload;

import io.sluice.bench.harness.LatencyStats;
import io.sluice.bench.harness.Payload;
import io.sluice.bench.harness.ReceiveTracker;
import io.sluice.bench.harness.ServerProcess;
import io.sluice.bench.harness.driver.BrokerDriver;
import io.sluice.bench.harness.driver.Publisher;
import io.sluice.bench.harness.driver.Subscriber;
import io.sluice.bench.harness.driver.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Runs one workload against one driver: creates the topology, starts the subscribers, publishes, waits until every
 * subscriber has every message (or nothing moved for the stall timeout), verifies, tears down.
 *
 * <p>Single-threaded from the caller's point of view: it publishes on the calling thread; deliveries arrive on the
 * client libraries' threads and are recorded into thread-safe {@link ReceiveTracker}s and {@link LatencyStats}.
 */
public final class WorkloadRunner {
    private final BrokerDriver driver;
    private final ServerProcess server; // may be null: then no idle-cost figures
    private final String runId;
    private final Options options;

    /**
     * What the runner does around the measured part of a run.
     *
     * @param fillWindow  R1: unconfirmed messages allowed while filling the backlog, through
     *                    {@link BrokerDriver#openFillPublisher}; 0 fills like T1
     * @param makeCold    R1: run between the fill and the replay (e.g. drop the OS page cache); returns what it did,
     *                    recorded in the result line as {@code replay_cache}
     * @param jvmLiveHeap M1: also measure a JVM server's live heap before and after the queues (forces two full
     *                    collections, a few seconds; see {@link ServerProcess#jvmLiveHeapBytes})
     */
    public record Options(int fillWindow, Supplier<String> makeCold, boolean jvmLiveHeap) {
        public static final Options NONE = new Options(0, () -> "nothing dropped", false);
    }

    public WorkloadRunner(BrokerDriver driver, ServerProcess server, String runId) {
        this(driver, server, runId, Options.NONE);
    }

    public WorkloadRunner(BrokerDriver driver, ServerProcess server, String runId, Options options) {
        this.driver = driver;
        this.server = server;
        this.runId = runId;
        this.options = options;
    }

    public Outcome run(Workload workload, RunSpec spec) throws Exception {
        return switch (workload) {
            case T1, F1 -> publishAndReceive(spec, null);
            case L1 -> publishAndReceive(spec, new LatencyStats());
            case M1 -> manyQueues(spec);
            case R1 -> replay(spec);
        };
    }

    private Outcome publishAndReceive(RunSpec spec, LatencyStats latency) throws Exception {
        Map<String, Object> extra = new LinkedHashMap<>();
        if (latency == null && spec.warmupMessages() > 0) {
            // T1/F1: the same run, smaller, on destinations of its own, so that both sides' JIT, caches and
            // connections are warm; verified like the measured pass, its figures are not kept
            RunSpec warm = new RunSpec(spec.warmupMessages(), spec.size(), spec.destinations(), spec.subscribers(), 0,
                    0, spec.stallTimeout(), 0);
            Outcome w = pass(new Topology(runId + "w", spec.destinations(), spec.subscribers()), warm, null, false);
            if (!w.problems().isEmpty()) {
                List<String> problems = new ArrayList<>();
                w.problems().forEach(p -> problems.add("warm-up: " + p));
                return Outcome.failed(spec.messages(), problems);
            }
            extra.put("warmup_messages", spec.warmupMessages());
        }
        Outcome o = pass(new Topology(runId, spec.destinations(), spec.subscribers()), spec, latency, true);
        o.extra().putAll(extra);
        return o;
    }

    private Outcome pass(Topology topology, RunSpec spec, LatencyStats latency, boolean measured) throws Exception {
        driver.setUp(topology);
        try {
            List<ReceiveTracker> trackers = new ArrayList<>();
            List<Subscriber> subs = startSubscribers(spec, spec.subscribers(), trackers, latency, spec.warmupMessages());
            try {
                long cpu0 = measured ? serverCpuNanos() : -1;
                long[] sent = publish(spec);
                List<String> problems = awaitDelivery(trackers, spec.messages(), spec.stallTimeout());
                long cpu1 = measured ? serverCpuNanos() : -1;
                double receiveSeconds = (lastDelivery(trackers) - sent[0]) / 1e9;
                Map<String, Object> extra = new LinkedHashMap<>();
                putServerCpu(extra, cpu0, cpu1, spec.messages());
                return new Outcome(spec.messages(), seconds(sent), receiveSeconds, deliveries(trackers), latency,
                        problems, extra);
            } finally {
                closeAll(subs);
            }
        } finally {
            driver.tearDown();
        }
    }

    /** M1: the publish/receive run over many destinations, then the server's cost of keeping them while idle. */
    private Outcome manyQueues(RunSpec spec) throws Exception {
        Long heapBefore = server == null || spec.idleSeconds() <= 0 || !options.jvmLiveHeap() ? null
                : server.jvmLiveHeapBytes().stream().boxed().findFirst().orElse(null);
        Long rssBefore = server == null ? null : server.rssBytes().stream().boxed().findFirst().orElse(null);
        Topology topology = new Topology(runId, spec.destinations(), spec.subscribers());
        long setUpStart = System.nanoTime();
        driver.setUp(topology);
        double setUpSeconds = (System.nanoTime() - setUpStart) / 1e9;
        try {
            List<ReceiveTracker> trackers = new ArrayList<>();
            Outcome outcome;
            List<Subscriber> subs = startSubscribers(spec, spec.subscribers(), trackers, null, 0);
            try {
                long[] sent = publish(spec);
                List<String> problems = awaitDelivery(trackers, spec.messages(), spec.stallTimeout());
                outcome = new Outcome(spec.messages(), seconds(sent), (lastDelivery(trackers) - sent[0]) / 1e9,
                        deliveries(trackers), null, problems, new LinkedHashMap<>());
            } finally {
                closeAll(subs);
            }
            outcome.extra().put("setup_seconds", round(setUpSeconds));
            if (server != null && spec.idleSeconds() > 0) {
                outcome.extra().put("idle", IdleCost.measure(server, rssBefore, heapBefore, spec.destinations(), spec.idleSeconds()));
            }
            return outcome;
        } finally {
            driver.tearDown();
        }
    }

    /** R1: fill one destination, then time a brand-new subscriber reading all of it from the start. */
    private Outcome replay(RunSpec spec) throws Exception {
        if (!driver.stores()) {
            return Outcome.failed(spec.messages(), List.of("R1 needs a protocol that stores messages; this one does not"));
        }
        driver.setUp(new Topology(runId, 1, 1));
        try {
            double sendSeconds = seconds(publish(spec, options.fillWindow()));
            String cache = options.makeCold().get();
            List<ReceiveTracker> trackers = new ArrayList<>();
            long cpu0 = serverCpuNanos();
            long readStart = System.nanoTime();
            List<Subscriber> subs = startSubscribers(spec, 1, trackers, null, 0);
            try {
                List<String> problems = awaitDelivery(trackers, spec.messages(), spec.stallTimeout());
                long cpu1 = serverCpuNanos();
                ReceiveTracker t = trackers.get(0);
                Map<String, Object> extra = new LinkedHashMap<>();
                putServerCpu(extra, cpu0, cpu1, spec.messages());
                extra.put("first_message_ms", round((t.firstDeliveryNs() - readStart) / 1e6));
                extra.put("fill_window", options.fillWindow() > 0 ? options.fillWindow() : "default");
                extra.put("replay_cache", cache);
                return new Outcome(spec.messages(), sendSeconds, (t.lastDeliveryNs() - readStart) / 1e9,
                        deliveries(trackers), null, problems, extra);
            } finally {
                closeAll(subs);
            }
        } finally {
            driver.tearDown();
        }
    }

    /** The server's CPU time so far (user + system, all its threads), or -1 when it cannot be read. */
    private long serverCpuNanos() {
        return server == null ? -1 : server.cpuNanos().orElse(-1);
    }

    /**
     * The server's CPU time over the measured part (T1, F1, L1: first send to last delivery, subscribers already in
     * place; R1: the replay alone), in total and per message published. Unlike a rate, this hardly depends on what
     * else the machine runs, so it compares builds (and systems) on a shared machine.
     */
    private static void putServerCpu(Map<String, Object> extra, long cpu0, long cpu1, long messages) {
        if (cpu0 >= 0 && cpu1 >= cpu0 && messages > 0) {
            extra.put("server_cpu_seconds", round((cpu1 - cpu0) / 1e9));
            extra.put("server_cpu_us_per_message", round((cpu1 - cpu0) / 1e3 / messages));
        }
    }

    /** Starts {@code count} subscribers and waits, at most the stall timeout each, until they are in place. */
    private List<Subscriber> startSubscribers(RunSpec spec, int count, List<ReceiveTracker> trackers, LatencyStats latency,
            long warmup) throws Exception {
        List<Subscriber> subs = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                ReceiveTracker tracker = new ReceiveTracker("subscriber " + i, driver.ordered());
                trackers.add(tracker);
                subs.add(driver.subscribe(i, body -> {
                    long now = System.nanoTime();
                    long seq = Payload.seq(body);
                    tracker.record(seq, Payload.dest(body), now);
                    if (latency != null && seq >= warmup) {
                        latency.recordNanos(now - Payload.intendedSendNs(body));
                    }
                }));
            }
            for (Subscriber s : subs) {
                s.awaitReady(spec.stallTimeout());
            }
        } catch (Exception e) {
            closeAll(subs);
            throw e;
        }
        return subs;
    }

    /**
     * Publishes {@code spec.messages()} round robin over the destinations and waits for every confirm; returns the
     * {@link System#nanoTime()} of the first send and of the last confirm (the connection is opened before). With a rate, message {@code i} is due at
     * {@code start + i / rate}, and that due time, not the moment the send actually happened, goes into the body:
     * when the publisher falls behind (window full, server stalled) the delay shows up as latency.
     */
    private long[] publish(RunSpec spec) throws Exception {
        return publish(spec, 0);
    }

    /** As {@link #publish(RunSpec)}; a positive {@code fillWindow} publishes through the driver's bulk-fill path. */
    private long[] publish(RunSpec spec, int fillWindow) throws Exception {
        long periodNs = spec.ratePerSecond() > 0 ? 1_000_000_000L / spec.ratePerSecond() : 0;
        try (Publisher publisher = fillWindow > 0 ? driver.openFillPublisher(fillWindow) : driver.openPublisher()) {
            long t0 = System.nanoTime();
            for (long i = 0; i < spec.messages(); i++) {
                int dest = (int) (i % spec.destinations());
                long due;
                if (periodNs > 0) {
                    due = t0 + i * periodNs;
                    long wait;
                    while ((wait = due - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                    }
                } else {
                    due = System.nanoTime();
                }
                publisher.send(dest, Payload.encode(i, due, dest, spec.size()));
            }
            publisher.awaitConfirms(spec.stallTimeout().multipliedBy(2));
            return new long[] {t0, System.nanoTime()};
        }
    }

    private static double seconds(long[] interval) {
        return (interval[1] - interval[0]) / 1e9;
    }

    /** Waits until every tracker has all messages, or no tracker made progress for {@code stall}. */
    static List<String> awaitDelivery(List<ReceiveTracker> trackers, long expected, Duration stall) throws InterruptedException {
        long lastTotal = -1;
        long lastProgress = System.nanoTime();
        while (true) {
            long total = 0;
            boolean all = true;
            for (ReceiveTracker t : trackers) {
                long r = t.received();
                total += t.deliveries();
                all &= r >= expected;
            }
            if (all) {
                break;
            }
            if (total != lastTotal) {
                lastTotal = total;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > stall.toNanos()) {
                break;
            }
            Thread.sleep(5);
        }
        Thread.sleep(200); // a late duplicate or stray message still gets counted against the run
        List<String> problems = new ArrayList<>();
        for (ReceiveTracker t : trackers) {
            problems.addAll(t.problems(expected));
        }
        return problems;
    }

    private static long lastDelivery(List<ReceiveTracker> trackers) {
        return trackers.stream().mapToLong(ReceiveTracker::lastDeliveryNs).max().orElse(0);
    }

    private static long deliveries(List<ReceiveTracker> trackers) {
        return trackers.stream().mapToLong(ReceiveTracker::deliveries).sum();
    }

    private static void closeAll(List<Subscriber> subs) {
        for (Subscriber s : subs) {
            try {
                s.close();
            } catch (Exception e) {
                System.err.println("closing a subscriber (ignored): " + e);
            }
        }
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
