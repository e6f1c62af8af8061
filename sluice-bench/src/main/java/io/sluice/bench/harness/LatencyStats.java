package io.sluice.bench.harness;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * End-to-end latency distribution of one run, recorded in nanoseconds into an HdrHistogram (3 significant digits,
 * up to 10 minutes) and reported in microseconds.
 *
 * <p>Thread-safe for recording from several delivery threads at once ({@link ConcurrentHistogram}). The caller
 * decides what "start" means; the L1 workload passes the intended send time of its fixed schedule, so a stalled
 * server delays every message queued behind the stall and all of them count (coordinated omission is not hidden).
 */
public final class LatencyStats {
    /** Percentiles reported in every result line and plotted as the latency curve. */
    public static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99};

    private final Histogram histogram = new ConcurrentHistogram(TimeUnit.MINUTES.toNanos(10), 3);

    public void recordNanos(long latencyNs) {
        histogram.recordValue(Math.max(0, Math.min(latencyNs, histogram.getHighestTrackableValue())));
    }

    public long count() {
        return histogram.getTotalCount();
    }

    /** Latency at {@code percentile} in microseconds (rounded to 0.1 µs), or 0 when nothing was recorded. */
    public double percentileMicros(double percentile) {
        return histogram.getTotalCount() == 0 ? 0 : round(histogram.getValueAtPercentile(percentile) / 1000.0);
    }

    public double maxMicros() {
        return histogram.getTotalCount() == 0 ? 0 : round(histogram.getMaxValue() / 1000.0);
    }

    /** The percentiles of {@link #PERCENTILES} plus {@code max}, keyed {@code p50, p90, p99, p99.9, p99.99, max}. */
    public Map<String, Double> summaryMicros() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (double p : PERCENTILES) {
            m.put(key(p), percentileMicros(p));
        }
        m.put("max", maxMicros());
        return m;
    }

    static String key(double p) {
        return p == Math.rint(p) ? "p" + (long) p : "p" + p;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
