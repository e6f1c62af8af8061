package io.sluice.bench.jmh;

import io.sluice.storage.AppendOptions;
import io.sluice.storage.Durability;
import io.sluice.storage.LogConfig;
import io.sluice.storage.LogId;
import io.sluice.storage.PartitionLog;
import io.sluice.storage.log.FileLogStore;
import io.sluice.storage.record.Compression;
import io.sluice.storage.record.RecordBatchBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Append throughput of one partition of the file log, in records per second (every method counts records, not
 * calls): 1 KiB records in batches of 1 and 100, in both durability modes, and in FSYNC mode with 64 concurrent
 * appenders sharing the group commit. Each appender waits for its acknowledgement before the next append, as a
 * producer with one request in flight does.
 *
 * <p>Run (from the repository root, after {@code ./mvnw -q -pl sluice-bench -am package -DskipTests} and
 * {@code ./mvnw -q -pl sluice-bench dependency:build-classpath -Dmdep.outputFile=/tmp/cp}):
 * {@code java -cp sluice-bench/target/classes:sluice-storage/target/classes:$(cat /tmp/cp) org.openjdk.jmh.Main
 * LogAppendBenchmark -f 1 -wi 2 -i 3 -r 3s}. The module's own classes come first so a stale snapshot jar in the
 * local repository is not what gets measured. The log lives under {@code java.io.tmpdir} (set {@code -Djava.io.tmpdir} to the disk under test) and is
 * deleted afterwards; size retention keeps it under 1 GiB.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class LogAppendBenchmark {
    static final int RECORD_BYTES = 1024;

    /** A durability config name (a String rather than the enum keeps the JMH processor independent of storage). */
    @Param({"fsync", "os-cache"})
    public String durability;

    Path dir;
    FileLogStore store;
    PartitionLog log;

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("sluice-append-bench");
        store = FileLogStore.open(dir, FileLogStore.Options.defaults().withFileDeleteDelayMs(0));
        log = store.open(new LogId("bench", "ns", "append", 0), LogConfig.defaults()
                .withSegmentBytes(64 << 20).withRetention(-1, 1L << 30).withDurability(Durability.fromConfigName(durability)));
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        store.close();
        deleteTree(dir);
    }

    /** The batches one appender thread sends; reused because the log only rewrites their offsets in place. */
    @State(Scope.Thread)
    public static class Batches {
        ByteBuffer one;
        ByteBuffer hundred;

        @Setup(Level.Trial)
        public void build() {
            one = batch(1);
            hundred = batch(100);
        }
    }

    static ByteBuffer batch(int records) {
        byte[] value = new byte[RECORD_BYTES];
        ThreadLocalRandom.current().nextBytes(value);
        RecordBatchBuilder b = RecordBatchBuilder.create(Compression.NONE, records * (RECORD_BYTES + 32) + 128);
        for (int i = 0; i < records; i++) {
            b.append(System.currentTimeMillis(), null, value, null);
        }
        return b.build();
    }

    @Benchmark
    public long batchOf1(Batches b) {
        return log.append(b.one.duplicate(), AppendOptions.CLIENT).join().lastOffset();
    }

    @Benchmark
    @OperationsPerInvocation(100)
    public long batchOf100(Batches b) {
        return log.append(b.hundred.duplicate(), AppendOptions.CLIENT).join().lastOffset();
    }

    @Benchmark
    @Threads(64)
    public long batchOf1With64Appenders(Batches b) {
        return log.append(b.one.duplicate(), AppendOptions.CLIENT).join().lastOffset();
    }

    @Benchmark
    @Threads(64)
    @OperationsPerInvocation(100)
    public long batchOf100With64Appenders(Batches b) {
        return log.append(b.hundred.duplicate(), AppendOptions.CLIENT).join().lastOffset();
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
