package io.sluice.core.internal;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sluice.storage.LogId;
import io.sluice.storage.log.LogWriteListener;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Turns the file store's write-path events into meters: the fsync latency ({@code sluice.storage.fsync}, a timer
 * with a percentile histogram) and the size of each group-commit write ({@code sluice.storage.append.batch.records}
 * and {@code sluice.storage.append.batch.bytes}, distribution summaries with histograms). One series each for the
 * whole store: a histogram per partition (or per stream) would multiply the series by the bucket count, so these
 * aggregate every log; per-partition sizes are the admin module's gauges.
 *
 * <p>Thread-safe (Micrometer meters are); pass it to {@code FileLogStore.Options.withListener} before the store
 * opens.
 */
public final class StorageMetrics implements LogWriteListener {
    private final Timer fsync;
    private final DistributionSummary batchRecords;
    private final DistributionSummary batchBytes;

    public StorageMetrics(MeterRegistry meters) {
        // Buckets from 100 µs (page cache on fast SSDs) to 10 s (a stalled device): fsync latency spans five decades.
        fsync = Timer.builder("sluice.storage.fsync").description("Duration of one fsync of a log's segment data")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(100_000))
                .maximumExpectedValue(Duration.ofSeconds(10)).register(meters);
        batchRecords = DistributionSummary.builder("sluice.storage.append.batch.records")
                .description("Records written by one group-commit write").publishPercentileHistogram()
                .minimumExpectedValue(1.0).maximumExpectedValue(1_000_000.0).register(meters);
        batchBytes = DistributionSummary.builder("sluice.storage.append.batch.bytes").baseUnit("bytes")
                .description("Bytes written by one group-commit write").publishPercentileHistogram()
                .minimumExpectedValue(64.0).maximumExpectedValue(16.0 * 1024 * 1024).register(meters);
    }

    @Override
    public void groupWritten(LogId log, int records, long bytes) {
        batchRecords.record(records);
        batchBytes.record(bytes);
    }

    @Override
    public void synced(LogId log, long nanos) {
        fsync.record(nanos, TimeUnit.NANOSECONDS);
    }
}
