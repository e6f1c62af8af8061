package io.sluice.storage.log;

import io.sluice.storage.AppendInfo;
import io.sluice.storage.AppendOptions;
import io.sluice.storage.CleanupPolicy;
import io.sluice.storage.Durability;
import io.sluice.storage.LogConfig;
import io.sluice.storage.LogId;
import io.sluice.storage.LogReadResult;
import io.sluice.storage.PartitionLog;
import io.sluice.storage.StorageErrorCode;
import io.sluice.storage.StorageException;
import io.sluice.storage.TestBatches;
import io.sluice.storage.TestBatches.Rec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** File-store behaviour beyond the shared contract: segments, indexes, restart, recovery, retention, compaction. */
class FileLogStoreTest {
    @TempDir
    Path dir;
    final AtomicLong clock = new AtomicLong(1_000_000_000L);
    final List<FileLogStore> stores = new ArrayList<>();
    final LogId id = new LogId("t", "ns", "s", 0);
    final LogConfig small = LogConfig.defaults().withSegmentBytes(1024);

    @AfterEach
    void closeAll() {
        stores.forEach(FileLogStore::close);
    }

    FileLogStore open(Path d) {
        FileLogStore s = FileLogStore.open(d, FileLogStore.Options.defaults().withClock(clock::get)
                .withMaintenanceIntervalMs(0).withFileDeleteDelayMs(0));
        stores.add(s);
        return s;
    }

    static AppendInfo append(PartitionLog log, ByteBuffer b) {
        return join(log.append(b, AppendOptions.CLIENT));
    }

    static <T> T join(CompletableFuture<T> f) {
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw (RuntimeException) e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static List<Rec> readAll(PartitionLog log) {
        List<Rec> out = new ArrayList<>();
        long next = log.logStartOffset();
        while (next < log.highWatermark()) {
            LogReadResult r = log.read(next, 700, log.highWatermark());
            List<Rec> recs = TestBatches.decode(r.records());
            long before = next;
            for (Rec rec : recs) {
                if (rec.offset() >= next) {
                    out.add(rec);
                    next = rec.offset() + 1;
                }
            }
            if (next == before) {
                // a batch with only control or removed records: skip past the whole slice
                next = lastBatchEnd(r);
            }
        }
        return out;
    }

    private static long lastBatchEnd(LogReadResult r) {
        try {
            long end = -1;
            for (var b : org.apache.kafka.common.record.internal.MemoryRecords
                    .readableRecords(r.records().toByteBuffer()).batches()) {
                end = b.lastOffset() + 1;
            }
            return end;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static List<String> values(List<Rec> recs) {
        return recs.stream().map(Rec::value).toList();
    }

    static List<String> files(Path d, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(suffix)).sorted().toList();
        }
    }

    Path logDir(Path root) {
        return root.resolve(id.relativePath());
    }

    /** Copies a live store's directory: what a crash at this moment would leave (every append was fsynced). */
    static Path crashCopy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.sorted(Comparator.naturalOrder()).toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
        return to;
    }

    @Test
    void segmentsRollAndReadsCrossThem() throws IOException {
        PartitionLog log = open(dir).open(id, small.withTimestampType(io.sluice.storage.TimestampType.CREATE_TIME));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            append(log, TestBatches.plain(1000 + i, "value-" + i, "second-" + i));
            expected.add("value-" + i);
            expected.add("second-" + i);
        }
        assertThat(log.stats().segmentCount()).isGreaterThan(3);
        List<String> segs = files(logDir(dir), ".log");
        assertThat(segs).hasSize(log.stats().segmentCount()).allMatch(n -> n.matches("\\d{20}\\.log"));
        assertThat(files(logDir(dir), ".index")).hasSameSizeAs(segs);
        assertThat(files(logDir(dir), ".timeindex")).hasSameSizeAs(segs);
        assertThat(values(readAll(log))).containsExactlyElementsOf(expected);
        for (long off = 0; off < 120; off += 7) {
            List<Rec> recs = TestBatches.decode(log.read(off, 1, Long.MAX_VALUE).records());
            assertThat(recs).extracting(Rec::offset).contains(off);
        }
        assertThat(log.offsetForTimestamp(1030).orElseThrow().offset()).isEqualTo(60);
        assertThat(log.maxTimestamp().orElseThrow().timestamp()).isEqualTo(1059);
        assertThat(log.maxTimestamp().orElseThrow().offset()).isEqualTo(118);
    }

    @Test
    void denseOffsetIndexFindsEveryBatch() {
        LogConfig cfg = LogConfig.defaults();
        cfg = new LogConfig(cfg.segmentBytes(), cfg.segmentMs(), 1, cfg.retentionMs(), cfg.retentionBytes(),
                cfg.cleanupPolicy(), cfg.durability(), cfg.flushIntervalMs(), cfg.maxBatchBytes(), cfg.timestampType(),
                cfg.deleteRetentionMs());
        PartitionLog log = open(dir).open(id, cfg);
        for (int i = 0; i < 40; i++) {
            append(log, TestBatches.plain(5000 + i, "a" + i, "b" + i, "c" + i));
        }
        for (long off = 0; off < 120; off++) {
            List<Rec> recs = TestBatches.decode(log.read(off, 1, Long.MAX_VALUE).records());
            assertThat(recs.getFirst().offset()).isEqualTo(off - off % 3);
        }
        for (int i = 0; i < 40; i++) {
            assertThat(log.offsetForTimestamp(5000 + i).orElseThrow().offset()).isEqualTo(3L * i);
        }
    }

    @Test
    void reopenKeepsRecordsOffsetsAndProducerState() throws IOException {
        FileLogStore s1 = open(dir);
        PartitionLog log = s1.open(id, small);
        for (int i = 0; i < 20; i++) {
            append(log, TestBatches.plain(1000, "v" + i));
        }
        AppendInfo idem = append(log, TestBatches.idempotent(42, (short) 0, 0, "i0"));
        append(log, TestBatches.transactional(43, (short) 0, 0, "t0"));
        append(log, TestBatches.transactional(44, (short) 0, 0, "x0"));
        join(log.append(TestBatches.marker(44, (short) 0, false), AppendOptions.COORDINATOR));
        long lso = log.lastStableOffset();
        long end = log.logEndOffset();
        s1.close();
        assertThat(files(logDir(dir), ".txnindex")).hasSize(1);
        assertThat(files(logDir(dir), ".snapshot")).isNotEmpty();
        assertThat(logDir(dir).resolve(LogCheckpoint.FILE)).exists();
        stores.remove(s1);

        FileLogStore s2 = open(dir);
        assertThat(s2.list()).contains(id);
        PartitionLog again = s2.open(id, small);
        assertThat(again.logEndOffset()).isEqualTo(end);
        assertThat(again.highWatermark()).isEqualTo(end);
        assertThat(again.lastStableOffset()).isEqualTo(lso).isEqualTo(21);
        AppendInfo dup = append(again, TestBatches.idempotent(42, (short) 0, 0, "i0"));
        assertThat(dup.duplicate()).isTrue();
        assertThat(dup.firstOffset()).isEqualTo(idem.firstOffset());
        assertThat(again.read(21, 1 << 20, Long.MAX_VALUE).abortedTransactions())
                .containsExactly(new LogReadResult.AbortedTxn(44, 22));
        assertThat(append(again, TestBatches.plain(1000, "after")).firstOffset()).isEqualTo(end);
        assertThat(values(readAll(again))).startsWith("v0", "v1").contains("i0", "t0", "x0", "after");
    }

    @Test
    void uncleanShutdownRecoversAndRebuildsState(@TempDir Path crash) throws IOException {
        FileLogStore s1 = open(dir);
        PartitionLog log = s1.open(id, small);
        for (int i = 0; i < 30; i++) {
            append(log, TestBatches.plain(1000, "v" + i));
        }
        append(log, TestBatches.idempotent(42, (short) 0, 0, "i0"));
        append(log, TestBatches.transactional(44, (short) 0, 0, "x0"));
        join(log.append(TestBatches.marker(44, (short) 0, false), AppendOptions.COORDINATOR));
        append(log, TestBatches.transactional(45, (short) 0, 0, "open"));
        crashCopy(dir, crash);

        PartitionLog recovered = open(crash).open(id, small);
        assertThat(recovered.isOnline()).isTrue();
        assertThat(recovered.logEndOffset()).isEqualTo(log.logEndOffset());
        assertThat(values(readAll(recovered))).containsExactlyElementsOf(values(readAll(log)));
        assertThat(append(recovered, TestBatches.idempotent(42, (short) 0, 0, "i0")).duplicate()).isTrue();
        assertThat(recovered.lastStableOffset()).isEqualTo(33);
        assertThat(recovered.read(30, 1 << 20, Long.MAX_VALUE).abortedTransactions())
                .containsExactly(new LogReadResult.AbortedTxn(44, 31));
    }

    @Test
    void tornTailOfTheLastSegmentIsTruncated(@TempDir Path crash) throws IOException {
        PartitionLog log = open(dir).open(id, small);
        for (int i = 0; i < 25; i++) {
            append(log, TestBatches.plain(1000, "v" + i));
        }
        crashCopy(dir, crash);
        Path logDir = logDir(crash);
        List<String> segs = files(logDir, ".log");
        Path last = logDir.resolve(segs.getLast());
        long size = Files.size(last);
        assertThat(size).isPositive();
        try (FileChannel ch = FileChannel.open(last, StandardOpenOption.WRITE)) {
            ch.truncate(size - 5);
            ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), ch.size());
        }
        PartitionLog recovered = open(crash).open(id, small);
        assertThat(recovered.isOnline()).isTrue();
        assertThat(recovered.logEndOffset()).isEqualTo(24);
        assertThat(values(readAll(recovered))).hasSize(24).startsWith("v0").endsWith("v23");
        assertThat(append(recovered, TestBatches.plain(1000, "new")).firstOffset()).isEqualTo(24);
    }

    @Test
    void corruptMiddleSegmentTakesOnlyThatLogOffline() throws IOException {
        FileLogStore s1 = open(dir);
        PartitionLog log = s1.open(id, small);
        LogId other = new LogId("t", "ns", "s", 1);
        PartitionLog fine = s1.open(other, small);
        for (int i = 0; i < 40; i++) {
            append(log, TestBatches.plain(1000, "v" + i));
            append(fine, TestBatches.plain(1000, "w" + i));
        }
        s1.close();
        stores.remove(s1);
        Path logDir = logDir(dir);
        List<String> segs = files(logDir, ".log");
        assertThat(segs.size()).isGreaterThan(2);
        Path middle = logDir.resolve(segs.get(1));
        flipByte(middle, 70);
        Files.delete(logDir.resolve(LogCheckpoint.FILE));

        FileLogStore s2 = open(dir);
        PartitionLog broken = s2.open(id, small);
        assertThat(broken.isOnline()).isFalse();
        assertThatThrownBy(() -> broken.read(0, 100, Long.MAX_VALUE)).isInstanceOf(StorageException.class)
                .extracting(e -> ((StorageException) e).code()).isEqualTo(StorageErrorCode.LOG_OFFLINE);
        assertThatThrownBy(() -> join(broken.append(TestBatches.plain(1, "x"), AppendOptions.CLIENT)))
                .isInstanceOf(StorageException.class)
                .extracting(e -> ((StorageException) e).code()).isEqualTo(StorageErrorCode.LOG_OFFLINE);
        PartitionLog stillFine = s2.open(other, small);
        assertThat(stillFine.isOnline()).isTrue();
        assertThat(values(readAll(stillFine))).hasSize(40);
        assertThat(append(stillFine, TestBatches.plain(1, "more")).firstOffset()).isEqualTo(40);
    }

    static void flipByte(Path file, long position) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, position);
            b.put(0, (byte) (b.get(0) ^ 0x10));
            b.rewind();
            ch.write(b, position);
        }
    }

    @Test
    void retentionByTimeDeletesOldClosedSegmentsOnly() throws IOException {
        FileLogStore store = open(dir);
        LogConfig cfg = small.withRetention(60_000, -1);
        FilePartitionLog log = (FilePartitionLog) store.open(id, cfg);
        for (int i = 0; i < 30; i++) {
            append(log, TestBatches.plain(clock.get(), "old" + i));
        }
        clock.addAndGet(120_000);
        for (int i = 0; i < 3; i++) {
            append(log, TestBatches.plain(clock.get(), "new" + i));
        }
        int segmentsBefore = log.stats().segmentCount();
        int deleted = join(log.enforceRetention());
        assertThat(deleted).isEqualTo(segmentsBefore - 1);
        assertThat(log.stats().segmentCount()).isEqualTo(1);
        assertThat(log.logStartOffset()).isEqualTo(log.activeSegment().baseOffset);
        List<String> expected = new ArrayList<>();
        for (long o = log.logStartOffset(); o < 30; o++) {
            expected.add("old" + o);
        }
        expected.addAll(List.of("new0", "new1", "new2"));
        assertThat(values(readAll(log))).containsExactlyElementsOf(expected);
        assertThat(files(logDir(dir), ".log")).hasSize(1);
        assertThat(join(log.enforceRetention())).isZero();
    }

    @Test
    void retentionBySizeKeepsTheNewestBytes() {
        FileLogStore store = open(dir);
        FilePartitionLog log = (FilePartitionLog) store.open(id, small.withRetention(-1, 3000));
        for (int i = 0; i < 60; i++) {
            append(log, TestBatches.plain(clock.get(), "v" + i));
        }
        long before = log.stats().sizeInBytes();
        assertThat(before).isGreaterThan(3000);
        assertThat(join(log.enforceRetention())).isPositive();
        // Whole segments only: what is left is under the limit plus the one segment that would cross it.
        assertThat(log.stats().sizeInBytes()).isLessThan(3000 + 1024).isGreaterThanOrEqualTo(3000 - 1024);
        List<String> vals = values(readAll(log));
        assertThat(vals).endsWith("v59");
        assertThat(vals.getFirst()).isNotEqualTo("v0");
    }

    @Test
    void deletedSegmentsStayReadableForTheDeleteDelay() throws IOException {
        FileLogStore store = FileLogStore.open(dir, FileLogStore.Options.defaults().withClock(clock::get)
                .withMaintenanceIntervalMs(0).withFileDeleteDelayMs(3_600_000));
        stores.add(store);
        FilePartitionLog log = (FilePartitionLog) store.open(id, small);
        for (int i = 0; i < 30; i++) {
            append(log, TestBatches.plain(clock.get(), "v" + i));
        }
        LogReadResult inFlight = log.read(0, 1 << 20, Long.MAX_VALUE);
        long start = join(log.deleteRecordsBefore(20));
        assertThat(start).isEqualTo(20);
        assertThat(files(logDir(dir), ".deleted")).isNotEmpty();
        assertThat(TestBatches.decode(inFlight.records())).extracting(Rec::value).startsWith("v0");
    }

    @Test
    void deleteRecordsBeforeSurvivesRestart() {
        FileLogStore s1 = open(dir);
        PartitionLog log = s1.open(id, small);
        for (int i = 0; i < 30; i++) {
            append(log, TestBatches.plain(clock.get(), "v" + i));
        }
        assertThat(join(log.deleteRecordsBefore(17))).isEqualTo(17);
        s1.close();
        stores.remove(s1);
        PartitionLog again = open(dir).open(id, small);
        assertThat(again.logStartOffset()).isEqualTo(17);
        assertThat(values(readAll(again)).getFirst()).isEqualTo("v17");
        assertThat(join(again.truncateAll())).isEqualTo(30);
        assertThat(again.stats().segmentCount()).isEqualTo(1);
    }

    @Test
    void compactionKeepsTheNewestRecordPerKeyAndDropsOldTombstones() throws IOException {
        FileLogStore store = open(dir);
        LogConfig cfg = small.withCleanupPolicy(CleanupPolicy.COMPACT);
        FilePartitionLog log = (FilePartitionLog) store.open(id, cfg);
        List<Long> offsetsOfLatest = new ArrayList<>();
        for (int round = 0; round < 6; round++) {
            for (int k = 0; k < 5; k++) {
                AppendInfo info = append(log, TestBatches.keyed(clock.get(), "k" + k, "r" + round + "-k" + k));
                if (round == 5) {
                    offsetsOfLatest.add(info.firstOffset());
                }
            }
        }
        long tombstone = append(log, TestBatches.keyed(clock.get(), "k1", null)).firstOffset();
        clock.addAndGet(LogConfig.DEFAULT_DELETE_RETENTION_MS + 1);
        // push everything above into closed segments
        for (int i = 0; i < 12; i++) {
            append(log, TestBatches.keyed(clock.get(), "other" + i, "x"));
        }
        long end = log.logEndOffset();
        int rewritten = store.compactNow(id);
        assertThat(rewritten).isPositive();
        List<Rec> recs = readAll(log);
        assertThat(recs).extracting(Rec::offset).isSorted().doesNotHaveDuplicates();
        assertThat(recs).filteredOn(r -> r.key().startsWith("k")).extracting(Rec::value)
                .containsExactly("r5-k0", "r5-k2", "r5-k3", "r5-k4");
        assertThat(recs).filteredOn(r -> r.key().equals("k0")).extracting(Rec::offset)
                .containsExactly(offsetsOfLatest.getFirst());
        assertThat(recs).extracting(Rec::offset).doesNotContain(tombstone);
        assertThat(log.logEndOffset()).isEqualTo(end);
        assertThat(files(logDir(dir), ".cleaned")).isEmpty();
        assertThat(store.compactNow(id)).isZero();
        assertThat(append(log, TestBatches.keyed(clock.get(), "k9", "later")).firstOffset()).isEqualTo(end);
    }

    @Test
    void compactionKeepsRecentTombstonesAndSurvivesRestart() {
        FileLogStore s1 = open(dir);
        LogConfig cfg = small.withCleanupPolicy(CleanupPolicy.COMPACT_DELETE);
        PartitionLog log = s1.open(id, cfg);
        for (int round = 0; round < 4; round++) {
            for (int k = 0; k < 4; k++) {
                append(log, TestBatches.keyed(clock.get(), "k" + k, "r" + round));
            }
        }
        append(log, TestBatches.keyed(clock.get(), "k2", null));
        for (int i = 0; i < 12; i++) {
            append(log, TestBatches.keyed(clock.get(), "filler" + i, "x"));
        }
        try {
            assertThat(s1.compactNow(id)).isPositive();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        List<Rec> before = readAll(log);
        assertThat(before).filteredOn(r -> r.key().equals("k2")).extracting(Rec::value).containsExactly((String) null);
        s1.close();
        stores.remove(s1);
        PartitionLog again = open(dir).open(id, cfg);
        assertThat(readAll(again)).isEqualTo(before);
    }

    @Test
    void osCacheModeAcknowledgesWrittenData() {
        PartitionLog log = open(dir).open(id, small.withDurability(Durability.OS_CACHE));
        for (int i = 0; i < 20; i++) {
            append(log, TestBatches.plain(1000, "v" + i));
        }
        assertThat(log.highWatermark()).isEqualTo(20);
        assertThat(values(readAll(log))).hasSize(20);
    }

    @Test
    void manyPartitionsShareTheWriterThreads() {
        FileLogStore store = open(dir);
        List<CompletableFuture<AppendInfo>> fs = new ArrayList<>();
        for (int p = 0; p < 50; p++) {
            PartitionLog log = store.open(new LogId("t", "ns", "many", p), LogConfig.defaults()
                    .withSegmentBytes(1 << 20).withDurability(Durability.OS_CACHE));
            fs.add(log.append(TestBatches.plain(1000, "p" + p), AppendOptions.CLIENT));
        }
        fs.forEach(f -> assertThat(join(f).firstOffset()).isZero());
        long writers = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("sluice-log-writer")).count();
        assertThat(writers).isLessThanOrEqualTo(2 * stores.size());
        assertThat(store.list()).hasSize(50);
    }

    @Test
    void anInterruptedReaderDoesNotBreakTheLog() {
        PartitionLog log = open(dir).open(id, small);
        for (int i = 0; i < 10; i++) {
            append(log, TestBatches.plain(1000, "v" + i));
        }
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> log.read(0, 1 << 20, Long.MAX_VALUE)).isInstanceOf(StorageException.class)
                    .extracting(e -> ((StorageException) e).code()).isEqualTo(StorageErrorCode.IO_ERROR);
        } finally {
            Thread.interrupted();
        }
        assertThat(append(log, TestBatches.plain(1000, "after")).firstOffset()).isEqualTo(10);
        assertThat(values(readAll(log))).hasSize(11).endsWith("after");
        assertThat(log.isOnline()).isTrue();
    }

    @Test
    void secondStoreOnTheSameDirectoryIsRefused() {
        open(dir);
        assertThatThrownBy(() -> FileLogStore.open(dir, FileLogStore.Options.defaults()))
                .hasMessageContaining("in use");
    }
}
