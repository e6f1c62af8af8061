package io.sluice.it.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.CallContext;
import io.sluice.core.MessageCodec;
import io.sluice.core.internal.BrokerOptions;
import io.sluice.core.internal.DefaultBroker;
import io.sluice.core.stream.Isolation;
import io.sluice.core.stream.StreamPartition;
import io.sluice.storage.log.FileLogStore;
import io.sluice.storage.memory.MemoryLogStore;
import io.sluice.storage.record.Record;
import io.sluice.storage.record.RecordBatch;
import io.sluice.storage.record.RecordBatches;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing acknowledged is lost: a separate JVM appends through the core API in fsync mode and reports each
 * acknowledged offset; the test kills it with SIGKILL at random moments, several rounds on the same data folder, and
 * after each round checks that every acknowledged record is present at its offset, in order, exactly once.
 */
@Tag("crash")
class CoreCrashTest {

    @Test
    void everyAcknowledgedAppendSurvivesSigkill(@TempDir Path dir) throws Exception {
        Random random = new Random(42);
        Map<Integer, Map<Long, String>> acked = new HashMap<>();
        for (int round = 0; round < 4; round++) {
            Map<Integer, Map<Long, String>> thisRound = runAndKill(dir, "r" + round, 400 + random.nextInt(1200));
            thisRound.forEach((p, m) -> acked.computeIfAbsent(p, k -> new HashMap<>()).putAll(m));
            verify(dir, acked);
        }
        assertThat(acked.values().stream().mapToInt(Map::size).sum()).as("acknowledged appends").isGreaterThan(100);
    }

    private Map<Integer, Map<Long, String>> runAndKill(Path dir, String round, long runMillis) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                CrashAppender.class.getName(), dir.toString(), round);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process proc = pb.start();
        Map<Integer, Map<Long, String>> acked = new ConcurrentHashMap<>();
        CountDownLatch ready = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.equals("READY")) {
                        ready.countDown();
                    } else if (line.startsWith("ACK ")) {
                        String[] f = line.split(" ");
                        if (f.length == 4) { // a line cut by the kill is not an acknowledgement we saw
                            acked.computeIfAbsent(Integer.parseInt(f[1]), k -> new ConcurrentHashMap<>())
                                    .put(Long.parseLong(f[2]), f[3]);
                        }
                    }
                }
            } catch (java.io.IOException ignored) {
                // the pipe breaks when the process dies
            }
        });
        reader.start();
        assertThat(ready.await(60, TimeUnit.SECONDS)).as("appender process started").isTrue();
        Thread.sleep(runMillis);
        proc.destroyForcibly(); // SIGKILL on Linux
        proc.waitFor(30, TimeUnit.SECONDS);
        reader.join(10_000);
        return acked;
    }

    private void verify(Path dir, Map<Integer, Map<Long, String>> acked) throws Exception {
        try (DefaultBroker broker = DefaultBroker.start(BrokerOptions.of(
                FileLogStore.open(dir, FileLogStore.Options.defaults()), new MemoryLogStore()))) {
            for (int p = 0; p < CrashAppender.PARTITIONS; p++) {
                StreamPartition part = broker.streams().partition(CallContext.DEFAULT, CrashAppender.STREAM, p);
                Map<Long, String> stored = new HashMap<>();
                Set<String> payloads = new HashSet<>();
                long offset = part.logStartOffset();
                long previous = -1;
                while (offset < part.highWatermark()) {
                    ByteBuffer buf = part.read(offset, 1 << 20, Isolation.READ_UNCOMMITTED).records().toByteBuffer();
                    long next = offset;
                    for (RecordBatch b : RecordBatches.iterate(buf)) {
                        assertThat(b.isValid()).as("CRC of batch at %d", b.baseOffset()).isTrue();
                        for (Record r : b.records()) {
                            assertThat(r.offset()).as("offsets increase").isGreaterThan(previous);
                            previous = r.offset();
                            String payload = new String(MessageCodec.fromRecord(r).value(), StandardCharsets.UTF_8);
                            assertThat(payloads.add(payload)).as("payload %s stored once", payload).isTrue();
                            stored.put(r.offset(), payload);
                        }
                        next = b.nextOffset();
                    }
                    assertThat(next).as("read progresses").isGreaterThan(offset);
                    offset = next;
                }
                List<String> missing = new ArrayList<>();
                acked.getOrDefault(p, Map.of()).forEach((o, payload) -> {
                    if (!payload.equals(stored.get(o))) {
                        missing.add(o + "=" + payload + " (found " + stored.get(o) + ")");
                    }
                });
                assertThat(missing).as("acknowledged records missing after SIGKILL in partition " + p).isEmpty();
            }
        }
    }
}
