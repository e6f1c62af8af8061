package io.sluice.bench.jmh;

import io.sluice.storage.AppendOptions;
import io.sluice.storage.Durability;
import io.sluice.storage.LogConfig;
import io.sluice.storage.LogId;
import io.sluice.storage.LogReadResult;
import io.sluice.storage.PartitionLog;
import io.sluice.storage.log.FileLogStore;
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
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Read throughput of the file log over a 100 MiB partition that is in the page cache: {@code slice} measures the
 * read path alone (index look-up, header walk, a {@link io.sluice.storage.LogSlice.FileRange} ready for sendfile),
 * {@code sliceAndCopy} also copies the bytes into the heap, as an adapter that decodes records does. Each call asks
 * for up to 1 MiB from the next offset, wrapping around; the score is calls per second (multiply by ~1 MiB).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class LogReadBenchmark {
    static final int RECORDS = 100_000;
    static final int MAX_BYTES = 1 << 20;

    Path dir;
    FileLogStore store;
    PartitionLog log;
    long next;

    @Setup(Level.Trial)
    public void fill() throws IOException {
        dir = Files.createTempDirectory("sluice-read-bench");
        store = FileLogStore.open(dir, FileLogStore.Options.defaults());
        log = store.open(new LogId("bench", "ns", "read", 0), LogConfig.defaults()
                .withDurability(Durability.OS_CACHE));
        ByteBuffer batch = LogAppendBenchmark.batch(100);
        CompletableFuture<?> last = null;
        for (int i = 0; i < RECORDS / 100; i++) {
            ByteBuffer copy = ByteBuffer.allocate(batch.remaining()).put(batch.duplicate()).flip();
            last = log.append(copy, AppendOptions.CLIENT);
        }
        last.join();
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        store.close();
        LogAppendBenchmark.deleteTree(dir);
    }

    private LogReadResult readNext() {
        LogReadResult r = log.read(next, MAX_BYTES, log.highWatermark());
        next += MAX_BYTES / (LogAppendBenchmark.RECORD_BYTES + 10);
        if (next >= RECORDS) {
            next = 0;
        }
        return r;
    }

    @Benchmark
    public int slice() {
        return readNext().records().sizeInBytes();
    }

    @Benchmark
    public int sliceAndCopy() throws IOException {
        return readNext().records().toByteBuffer().remaining();
    }
}
