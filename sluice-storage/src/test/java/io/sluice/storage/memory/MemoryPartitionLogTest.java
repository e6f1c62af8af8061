package io.sluice.storage.memory;

import io.sluice.storage.CleanupPolicy;
import io.sluice.storage.LogStore;
import io.sluice.storage.PartitionLogContractTest;
import io.sluice.storage.TestBatches;
import org.junit.jupiter.api.Test;

import java.util.function.LongSupplier;

import static org.assertj.core.api.Assertions.assertThat;

class MemoryPartitionLogTest extends PartitionLogContractTest {
    @Override
    protected LogStore createStore(LongSupplier clock) {
        return new MemoryLogStore(clock);
    }

    @Test
    void sizeRetentionDropsTheOldestBatchesButKeepsTheNewest() {
        int one = TestBatches.plain(clock.get(), "a").remaining();
        log.updateConfig(log.config().withRetention(-1, 2L * one));
        for (String v : new String[] {"a", "b", "c", "d"}) {
            append(log, TestBatches.plain(clock.get(), v));
        }
        assertThat(log.logStartOffset()).isEqualTo(2);
        assertThat(log.stats().sizeInBytes()).isEqualTo(2L * one);
        assertThat(readAll(log, 2)).extracting(r -> r.value()).containsExactly("c", "d");

        log.updateConfig(log.config().withRetention(-1, 0));
        append(log, TestBatches.plain(clock.get(), "e"));
        assertThat(log.logStartOffset()).isEqualTo(4);
        assertThat(readAll(log, 4)).extracting(r -> r.value()).containsExactly("e");
    }

    @Test
    void timeRetentionExpiresBatchesOnAppendAndOnReadOfAnIdleLog() {
        log.updateConfig(log.config().withRetention(10_000, -1));
        append(log, TestBatches.plain(clock.get(), "old"));
        clock.addAndGet(6_000);
        append(log, TestBatches.plain(clock.get(), "mid"));
        clock.addAndGet(6_000);
        append(log, TestBatches.plain(clock.get(), "new"));
        assertThat(log.logStartOffset()).isEqualTo(1);

        clock.addAndGet(20_000);
        assertThat(log.logStartOffset()).isEqualTo(1);
        assertThat(log.read(log.logEndOffset(), 1024, Long.MAX_VALUE).records().sizeInBytes()).isZero();
        assertThat(log.logStartOffset()).isEqualTo(3);
        assertThat(log.stats().sizeInBytes()).isZero();
    }

    @Test
    void idleIdempotentProducersAreForgottenAfterTheExpiration() {
        store.close();
        store = new MemoryLogStore(clock::get, 120_000);
        log = store.open(id, io.sluice.storage.LogConfig.defaults().withTimestampType(
                io.sluice.storage.TimestampType.LOG_APPEND_TIME));
        append(log, TestBatches.idempotent(7, (short) 0, 0, "a"));
        clock.addAndGet(200_000);
        append(log, TestBatches.plain(clock.get(), "someone else"));

        // Forgotten: a resend of its first batch is no longer recognised as a duplicate and is written again.
        var again = log.append(TestBatches.idempotent(7, (short) 0, 0, "a"), io.sluice.storage.AppendOptions.CLIENT)
                .toCompletableFuture().join();
        assertThat(again.duplicate()).isFalse();
        assertThat(again.firstOffset()).isEqualTo(2);
    }

    @Test
    void compactedLogsAreNotTrimmedByRetention() {
        log.updateConfig(log.config().withRetention(0, 0).withCleanupPolicy(CleanupPolicy.COMPACT));
        append(log, TestBatches.plain(clock.get(), "a"));
        append(log, TestBatches.plain(clock.get(), "b"));
        clock.addAndGet(1_000);
        assertThat(readAll(log, 0)).hasSize(2);
        assertThat(log.logStartOffset()).isZero();
    }
}
