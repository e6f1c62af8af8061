package io.sluice.it.crash;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.core.CallContext;
import io.sluice.core.Message;
import io.sluice.core.internal.BrokerOptions;
import io.sluice.core.internal.DefaultBroker;
import io.sluice.core.stream.StreamPartition;
import io.sluice.core.stream.StreamSpec;
import io.sluice.storage.LogConfig;
import io.sluice.storage.log.FileLogStore;
import io.sluice.storage.memory.MemoryLogStore;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * The process {@link CoreCrashTest} kills: opens a broker on a data folder in fsync mode and appends through the core
 * API from several threads, printing {@code ACK <partition> <offset> <payload>} for each append as soon as its
 * future completes (that is, after the fsync covering it). Runs until killed.
 */
public final class CrashAppender {
    static final String STREAM = "crash";
    static final int PARTITIONS = 2;

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String round = args[1];
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false,
                StandardCharsets.UTF_8);
        FileLogStore store = FileLogStore.open(dir, FileLogStore.Options.defaults());
        DefaultBroker broker = DefaultBroker.start(new BrokerOptions(store, new MemoryLogStore(), dir,
                Clock.systemUTC(), LogConfig.defaults().withSegmentBytes(256 * 1024), new SimpleMeterRegistry(), 2, 1,
                0, 0));
        CallContext ctx = CallContext.DEFAULT;
        if (broker.streams().describe(ctx, STREAM).isEmpty()) {
            broker.streams().create(ctx, StreamSpec.of(STREAM, PARTITIONS)).join();
        }
        synchronized (out) {
            out.println("READY");
            out.flush();
        }
        int threads = 8;
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                StreamPartition p = broker.streams().partition(ctx, STREAM, id % PARTITIONS);
                Semaphore inFlight = new Semaphore(16);
                for (long seq = 0; ; seq++) {
                    String payload = round + "-" + id + "-" + seq;
                    inFlight.acquireUninterruptibly();
                    p.publish(List.of(Message.of("s", payload.getBytes(StandardCharsets.UTF_8))))
                            .whenComplete((r, e) -> {
                                inFlight.release();
                                if (e == null) {
                                    synchronized (out) {
                                        out.println("ACK " + p.partition() + " " + r.baseOffset() + " " + payload);
                                        out.flush();
                                    }
                                }
                            });
                }
            }, "appender-" + t);
            th.setDaemon(false);
            th.start();
        }
    }
}
