package io.sluice.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencyStatsTest {

    @Test
    void percentilesOfAUniformSpreadMatchItsRanks() {
        LatencyStats s = new LatencyStats();
        for (int us = 1; us <= 10_000; us++) {
            s.recordNanos(us * 1_000L);
        }
        // HdrHistogram keeps 3 significant digits: values are exact to 0.1 %
        assertThat(s.percentileMicros(50)).isCloseTo(5_000, within(5.0));
        assertThat(s.percentileMicros(99)).isCloseTo(9_900, within(10.0));
        assertThat(s.percentileMicros(99.9)).isCloseTo(9_990, within(10.0));
        assertThat(s.maxMicros()).isCloseTo(10_000, within(10.0));
        assertThat(s.count()).isEqualTo(10_000);
    }

    @Test
    void oneSlowOutlierOnlyMovesTheTail() {
        LatencyStats s = new LatencyStats();
        for (int i = 0; i < 999; i++) {
            s.recordNanos(100_000); // 100 µs
        }
        s.recordNanos(2_000_000_000L); // one 2 s stall
        assertThat(s.percentileMicros(50)).isCloseTo(100, within(0.2));
        assertThat(s.percentileMicros(99)).isCloseTo(100, within(0.2));
        assertThat(s.maxMicros()).isCloseTo(2_000_000, within(2_000.0));
    }

    @Test
    void summaryNamesEveryReportedPercentile() {
        LatencyStats s = new LatencyStats();
        s.recordNanos(1_000);
        assertThat(s.summaryMicros()).containsOnlyKeys("p50", "p90", "p99", "p99.9", "p99.99", "max");
    }

    @Test
    void emptyHistogramReportsZeroAndNegativeLatencyIsClampedToZero() {
        LatencyStats s = new LatencyStats();
        assertThat(s.percentileMicros(99)).isZero();
        s.recordNanos(-5);
        assertThat(s.maxMicros()).isZero();
        assertThat(s.count()).isOne();
    }
}
