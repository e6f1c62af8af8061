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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Point look-ups in the file log's indexes, in look-ups per second, over 1,000,000 records of 100 bytes (batches
 * of 10, about 130 MiB in 16 MiB segments, in the page cache): {@code readAtOffset} positions a read at a random
 * offset (segment floor look-up, offset-index binary search, header walk to the batch; the slice is not copied),
 * {@code offsetForTimestamp} finds the first record at or after a random timestamp through the time indexes (what
 * a Kafka ListOffsets by time or a JetStream start-time consumer pays). {@link LogReadBenchmark} covers sequential
 * 1 MiB reads; this one covers the seeks.
 *
 * <p>Record {@code i} carries timestamp {@code T0 + i}, so any timestamp in range has a known answer; the look-ups
 * are drawn from a fixed-seed sequence. Run: {@code java -cp
 * sluice-bench/target/classes:$(cat sluice-bench/target/classpath.txt) org.openjdk.jmh.Main IndexLookupBenchmark
 * -f 1 -wi 1 -i 2 -r 2s}. The log lives under {@code java.io.tmpdir} and is deleted afterwards.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class IndexLookupBenchmark {
    static final int RECORDS = 1_000_000;
    static final int PER_BATCH = 10;
    static final int LOOKUPS = 1 << 16; // a power of two: the look-up index wraps with a mask
    static final long T0 = 1_700_000_000_000L;

    Path dir;
    FileLogStore store;
    PartitionLog log;
    final long[] offsets = new long[LOOKUPS];
    final long[] timestamps = new long[LOOKUPS];
    int next;

    @Setup(Level.Trial)
    public void fill() throws IOException {
        dir = Files.createTempDirectory("sluice-index-bench");
        store = FileLogStore.open(dir, FileLogStore.Options.defaults().withFileDeleteDelayMs(0));
        log = store.open(new LogId("bench", "ns", "index", 0), LogConfig.defaults()
                .withSegmentBytes(16 << 20).withRetention(-1, -1).withDurability(Durability.OS_CACHE));
        byte[] value = new byte[100];
        new SplittableRandom(1).nextBytes(value);
        CompletableFuture<?> last = null;
        for (int b = 0; b < RECORDS / PER_BATCH; b++) {
            RecordBatchBuilder builder = RecordBatchBuilder.create(Compression.NONE, PER_BATCH * 140 + 128);
            for (int r = 0; r < PER_BATCH; r++) {
                builder.append(T0 + (long) b * PER_BATCH + r, null, value, null);
            }
            last = log.append(builder.build(), AppendOptions.CLIENT);
        }
        last.join();
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < LOOKUPS; i++) {
            offsets[i] = random.nextLong(RECORDS);
            timestamps[i] = T0 + random.nextLong(RECORDS);
        }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        store.close();
        LogAppendBenchmark.deleteTree(dir);
    }

    @Benchmark
    public int readAtOffset() {
        return log.read(offsets[next++ & (LOOKUPS - 1)], 1, RECORDS).records().sizeInBytes();
    }

    @Benchmark
    public long offsetForTimestamp() {
        return log.offsetForTimestamp(timestamps[next++ & (LOOKUPS - 1)]).orElseThrow().offset();
    }
}
