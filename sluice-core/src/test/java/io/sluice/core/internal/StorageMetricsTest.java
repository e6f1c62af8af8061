package io.sluice.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.storage.LogId;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StorageMetricsTest {

    @Test
    void recordsFsyncLatencyAndGroupSizes() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        StorageMetrics m = new StorageMetrics(meters);
        LogId id = new LogId("t", "ns", "s", 0);
        m.groupWritten(id, 3, 300);
        m.groupWritten(id, 1, 100);
        m.synced(id, 2_000_000);

        var fsync = meters.get("sluice.storage.fsync").timer();
        assertThat(fsync.count()).isEqualTo(1);
        assertThat(fsync.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(2.0);
        var records = meters.get("sluice.storage.append.batch.records").summary();
        assertThat(records.count()).isEqualTo(2);
        assertThat(records.totalAmount()).isEqualTo(4.0);
        assertThat(records.max()).isEqualTo(3.0);
        var bytes = meters.get("sluice.storage.append.batch.bytes").summary();
        assertThat(bytes.totalAmount()).isEqualTo(400.0);
    }
}
