package io.sluice.storage.log;

import io.sluice.storage.AppendInfo;
import io.sluice.storage.AppendOptions;
import io.sluice.storage.LogConfig;
import io.sluice.storage.LogId;
import io.sluice.storage.PartitionLog;
import io.sluice.storage.TestBatches;

import java.io.PrintStream;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.nio.file.Path;

/**
 * The process {@link StorageCrashTest} kills: appends from several threads to a FSYNC log and prints
 * {@code ACK <offset> <payload>} for every acknowledged record, the moment it is acknowledged.
 * Arguments: data directory, round number, thread count.
 */
public final class CrashAppenderMain {
    static final LogId ID = new LogId("crash", "ns", "log", 0);
    static final LogConfig CONFIG = LogConfig.defaults().withSegmentBytes(64 * 1024);

    private CrashAppenderMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int round = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
        FileLogStore store = FileLogStore.open(dir, FileLogStore.Options.defaults());
        PartitionLog log = store.open(ID, CONFIG);
        out.println("READY " + log.logEndOffset());
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread th = new Thread(() -> {
                for (int seq = 0; ; seq++) {
                    String payload = "r" + round + "-t" + thread + "-" + seq;
                    AppendInfo info = log.append(TestBatches.plain(System.currentTimeMillis(), payload),
                            AppendOptions.CLIENT).join();
                    synchronized (out) {
                        out.println("ACK " + info.firstOffset() + " " + payload);
                    }
                }
            });
            th.start();
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
