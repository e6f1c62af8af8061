package io.sluice.storage.log;

import io.sluice.storage.PartitionLog;
import io.sluice.storage.TestBatches.Rec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills a process that appends to a FSYNC log with SIGKILL at random moments, several times over the same data
 * directory, then checks that every record the process saw acknowledged is in the log at its acknowledged offset,
 * exactly once, and in each writer thread's order.
 */
class StorageCrashTest {
    private static final int ROUNDS = 4;
    private static final int THREADS = 4;

    @TempDir
    Path dir;

    @Test
    void acknowledgedRecordsSurviveKillNine() throws Exception {
        Random random = new Random();
        Map<String, Long> acked = new LinkedHashMap<>();
        for (int round = 0; round < ROUNDS; round++) {
            acked.putAll(runAndKill(round, 300 + random.nextInt(1200)));
        }
        assertThat(acked).hasSizeGreaterThan(ROUNDS);

        try (FileLogStore store = FileLogStore.open(dir, FileLogStore.Options.defaults())) {
            PartitionLog log = store.open(CrashAppenderMain.ID, CrashAppenderMain.CONFIG);
            List<Rec> records = FileLogStoreTest.readAll(log);
            Map<String, Long> offsetOf = new HashMap<>();
            for (Rec r : records) {
                assertThat(offsetOf.put(r.value(), r.offset())).as("payload %s appears once", r.value()).isNull();
            }
            for (Map.Entry<String, Long> e : acked.entrySet()) {
                assertThat(offsetOf.get(e.getKey())).as("acknowledged %s", e.getKey()).isEqualTo(e.getValue());
            }
            Map<String, Integer> lastSeq = new HashMap<>();
            for (Rec r : records) {
                String[] parts = r.value().split("-");
                String writer = parts[0] + "-" + parts[1];
                int seq = Integer.parseInt(parts[2]);
                Integer prev = lastSeq.put(writer, seq);
                assertThat(prev == null ? -1 : prev).as("order of %s", writer).isLessThan(seq);
            }
            assertThat(records).extracting(Rec::offset).isSorted();
        }
    }

    /** Runs the appender until it has acknowledged something, lets it run {@code millis} more, kills it. */
    private Map<String, Long> runAndKill(int round, int millis) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                CrashAppenderMain.class.getName(), dir.toString(), Integer.toString(round),
                Integer.toString(THREADS));
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        List<String> lines = new CopyOnWriteArrayList<>();
        CountDownLatch firstAck = new CountDownLatch(1);
        AtomicInteger acks = new AtomicInteger();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("ACK ")) {
                        lines.add(line);
                        if (acks.incrementAndGet() == 1) {
                            firstAck.countDown();
                        }
                    }
                }
            } catch (IOException ignored) {
                // the process died mid-line: that line was never a complete acknowledgement
            }
        });
        reader.start();
        try {
            assertThat(firstAck.await(60, TimeUnit.SECONDS)).as("appender acknowledged something").isTrue();
            Thread.sleep(millis);
        } finally {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
            reader.join(10_000);
        }
        Map<String, Long> out = new LinkedHashMap<>();
        for (String line : new ArrayList<>(lines)) {
            String[] parts = line.split(" ");
            if (parts.length == 3) {
                out.put(parts[2], Long.parseLong(parts[1]));
            }
        }
        return out;
    }
}
