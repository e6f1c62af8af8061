package io.sluice.storage.log;

import io.sluice.storage.AppendOptions;
import io.sluice.storage.Durability;
import io.sluice.storage.LogConfig;
import io.sluice.storage.LogId;
import io.sluice.storage.PartitionLog;
import io.sluice.storage.TestBatches;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The write-path hook: every record and byte written is reported once, and durable appends report fsyncs. */
class LogWriteListenerTest {
    @TempDir
    Path dir;

    record Group(LogId log, int records, long bytes) {
    }

    final List<Group> groups = new CopyOnWriteArrayList<>();
    final List<Long> syncs = new CopyOnWriteArrayList<>();
    final LogWriteListener recorder = new LogWriteListener() {
        @Override
        public void groupWritten(LogId log, int records, long bytes) {
            groups.add(new Group(log, records, bytes));
        }

        @Override
        public void synced(LogId log, long nanos) {
            syncs.add(nanos);
        }
    };

    @Test
    void reportsEveryGroupWriteAndEveryFsyncOfDurableAppends() throws Exception {
        LogId id = new LogId("t", "ns", "s", 0);
        ByteBuffer first = TestBatches.plain(1, "a", "b", "c");
        ByteBuffer second = TestBatches.plain(2, "d", "e");
        long expectedBytes = first.remaining() + second.remaining();
        try (FileLogStore store = FileLogStore.open(dir, FileLogStore.Options.defaults().withWriterThreads(1)
                .withSyncThreads(1).withMaintenanceIntervalMs(0).withListener(recorder))) {
            PartitionLog log = store.open(id, LogConfig.defaults().withDurability(Durability.FSYNC));
            log.append(first, AppendOptions.CLIENT).get(30, TimeUnit.SECONDS);
            log.append(second, AppendOptions.CLIENT).get(30, TimeUnit.SECONDS);
        }
        // Both appends may share one group or not; either way every record and byte is reported exactly once.
        assertThat(groups).allSatisfy(g -> assertThat(g.log()).isEqualTo(id));
        assertThat(groups.stream().mapToInt(Group::records).sum()).isEqualTo(5);
        assertThat(groups.stream().mapToLong(Group::bytes).sum()).isEqualTo(expectedBytes);
        // An FSYNC append completes only after an fsync that covers it.
        assertThat(syncs).isNotEmpty().allSatisfy(n -> assertThat(n).isNotNegative());
    }

    @Test
    void aFailingListenerDoesNotFailAppends() throws Exception {
        LogWriteListener broken = new LogWriteListener() {
            @Override
            public void groupWritten(LogId log, int records, long bytes) {
                throw new IllegalStateException("broken listener");
            }

            @Override
            public void synced(LogId log, long nanos) {
                throw new IllegalStateException("broken listener");
            }
        };
        try (FileLogStore store = FileLogStore.open(dir, FileLogStore.Options.defaults().withWriterThreads(1)
                .withSyncThreads(1).withMaintenanceIntervalMs(0).withListener(broken))) {
            PartitionLog log = store.open(new LogId("t", "ns", "s", 0), LogConfig.defaults());
            assertThat(log.append(TestBatches.plain(1, "a"), AppendOptions.CLIENT).get(30, TimeUnit.SECONDS)
                    .lastOffset()).isEqualTo(0);
        }
    }
}
