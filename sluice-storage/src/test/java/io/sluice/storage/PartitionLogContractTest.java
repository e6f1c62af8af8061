package io.sluice.storage;

import io.sluice.storage.TestBatches.Rec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The behaviour every {@link LogStore} must show, run once per implementation (file and memory), as NATS runs its
 * store tests against both stores.
 */
public abstract class PartitionLogContractTest {

    protected final AtomicLong clock = new AtomicLong(1_000_000);
    protected LogStore store;
    protected PartitionLog log;
    protected final LogId id = new LogId("t", "ns", "orders", 0);

    /** A store using {@code clock} for every time it needs. */
    protected abstract LogStore createStore(LongSupplier clock) throws Exception;

    @BeforeEach
    void openLog() throws Exception {
        store = createStore(clock::get);
        log = store.open(id, LogConfig.defaults());
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    protected static AppendInfo append(PartitionLog log, ByteBuffer batches) {
        return join(log.append(batches, AppendOptions.CLIENT));
    }

    protected static <T> T join(CompletableFuture<T> f) {
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new AssertionError(e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    protected static StorageErrorCode failure(CompletableFuture<?> f) {
        try {
            f.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(StorageException.class);
            return ((StorageException) e.getCause()).code();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("append succeeded");
    }

    protected List<Rec> readAll(PartitionLog log, long from) {
        List<Rec> out = new ArrayList<>();
        long next = from;
        while (next < log.highWatermark()) {
            LogReadResult r = log.read(next, 64 * 1024, log.highWatermark());
            List<Rec> recs = TestBatches.decode(r.records());
            assertThat(r.records().sizeInBytes()).isPositive();
            for (Rec rec : recs) {
                if (rec.offset() >= next) {
                    out.add(rec);
                }
            }
            next = lastOffset(r) + 1;
        }
        return out;
    }

    private static long lastOffset(LogReadResult r) {
        try {
            ByteBuffer b = r.records().toByteBuffer();
            long last = -1;
            for (var batch : org.apache.kafka.common.record.internal.MemoryRecords.readableRecords(b).batches()) {
                last = batch.lastOffset();
            }
            return last;
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void appendAssignsConsecutiveOffsetsAndReadReturnsTheRecords() {
        AppendInfo a = append(log, TestBatches.plain(10, "a", "b", "c"));
        AppendInfo b = append(log, TestBatches.concat(TestBatches.plain(11, "d"), TestBatches.plain(12, "e", "f")));

        assertThat(a.firstOffset()).isZero();
        assertThat(a.lastOffset()).isEqualTo(2);
        assertThat(a.recordCount()).isEqualTo(3);
        assertThat(a.duplicate()).isFalse();
        assertThat(b.firstOffset()).isEqualTo(3);
        assertThat(b.lastOffset()).isEqualTo(5);
        assertThat(log.logEndOffset()).isEqualTo(6);
        assertThat(log.highWatermark()).isEqualTo(6);
        assertThat(log.lastStableOffset()).isEqualTo(6);
        assertThat(readAll(log, 0)).extracting(Rec::offset, Rec::value).containsExactly(
                org.assertj.core.groups.Tuple.tuple(0L, "a"), org.assertj.core.groups.Tuple.tuple(1L, "b"),
                org.assertj.core.groups.Tuple.tuple(2L, "c"), org.assertj.core.groups.Tuple.tuple(3L, "d"),
                org.assertj.core.groups.Tuple.tuple(4L, "e"), org.assertj.core.groups.Tuple.tuple(5L, "f"));
    }

    @Test
    void readStartsAtTheBatchHoldingTheOffsetAndReturnsAtLeastOneBatch() throws Exception {
        append(log, TestBatches.plain(10, "a", "b", "c"));
        append(log, TestBatches.plain(10, "d", "e"));
        append(log, TestBatches.plain(10, "f"));

        LogReadResult mid = log.read(1, 1, log.highWatermark());
        assertThat(TestBatches.baseOffsets(mid.records())).containsExactly(0L);
        LogReadResult all = log.read(3, 1 << 20, log.highWatermark());
        assertThat(TestBatches.baseOffsets(all.records())).containsExactly(3L, 5L);
        LogReadResult bounded = log.read(0, 1 << 20, 5);
        assertThat(TestBatches.baseOffsets(bounded.records())).containsExactly(0L, 3L);
        LogReadResult atEnd = log.read(6, 1 << 20, log.highWatermark());
        assertThat(atEnd.records().sizeInBytes()).isZero();
        assertThat(atEnd.highWatermark()).isEqualTo(6);
        assertThat(atEnd.logStartOffset()).isZero();
    }

    @Test
    void readingOutsideTheLogFails() {
        append(log, TestBatches.plain(10, "a"));
        assertThatThrownBy(() -> log.read(2, 100, Long.MAX_VALUE)).isInstanceOf(StorageException.class)
                .extracting(e -> ((StorageException) e).code()).isEqualTo(StorageErrorCode.OFFSET_OUT_OF_RANGE);
        assertThatThrownBy(() -> log.read(-1, 100, Long.MAX_VALUE)).isInstanceOf(StorageException.class)
                .extracting(e -> ((StorageException) e).code()).isEqualTo(StorageErrorCode.OFFSET_OUT_OF_RANGE);
    }

    @Test
    void highWatermarkListenersSeeEveryAdvance() throws Exception {
        List<Long> seen = new CopyOnWriteArrayList<>();
        AutoCloseable handle = log.onHighWatermark(seen::add);
        append(log, TestBatches.plain(10, "a", "b"));
        append(log, TestBatches.plain(10, "c"));
        await().until(() -> seen.contains(3L));
        assertThat(seen).isSorted().contains(2L, 3L);
        handle.close();
        append(log, TestBatches.plain(10, "d"));
        assertThat(log.highWatermark()).isEqualTo(4);
        assertThat(seen).doesNotContain(4L);
    }

    @Test
    void invalidBatchesFailOnlyTheirOwnAppend() {
        ByteBuffer corrupt = TestBatches.plain(10, "x");
        corrupt.put(corrupt.limit() - 1, (byte) (corrupt.get(corrupt.limit() - 1) ^ 0x55));
        CompletableFuture<AppendInfo> bad = log.append(corrupt, AppendOptions.CLIENT);
        CompletableFuture<AppendInfo> good = log.append(TestBatches.plain(10, "y"), AppendOptions.CLIENT);
        ByteBuffer truncated = TestBatches.plain(10, "z");
        truncated.limit(truncated.limit() - 3);
        CompletableFuture<AppendInfo> torn = log.append(truncated, AppendOptions.CLIENT);

        assertThat(failure(bad)).isEqualTo(StorageErrorCode.CORRUPT_BATCH);
        assertThat(failure(torn)).isEqualTo(StorageErrorCode.CORRUPT_BATCH);
        assertThat(join(good).firstOffset()).isZero();
        assertThat(readAll(log, 0)).extracting(Rec::value).containsExactly("y");
    }

    @Test
    void batchesLargerThanTheLimitAreRefused() {
        log.updateConfig(log.config().withMaxBatchBytes(200));
        CompletableFuture<AppendInfo> f = log.append(TestBatches.plain(10, "x".repeat(300)), AppendOptions.CLIENT);
        assertThat(failure(f)).isEqualTo(StorageErrorCode.BATCH_TOO_LARGE);
        assertThat(log.logEndOffset()).isZero();
    }

    @Test
    void logAppendTimeOverwritesTheProducerTimestamp() {
        log.updateConfig(log.config().withTimestampType(TimestampType.LOG_APPEND_TIME));
        clock.set(5_000_000);
        AppendInfo info = append(log, TestBatches.plain(10, "a", "b"));
        assertThat(info.logAppendTime()).isEqualTo(5_000_000);
        assertThat(readAll(log, 0)).extracting(Rec::timestamp).containsExactly(5_000_000L, 5_000_000L);
    }

    @Test
    void timestampsFindOffsets() {
        assertThat(log.maxTimestamp()).isEmpty();
        append(log, TestBatches.plain(100, "a", "b"));
        append(log, TestBatches.plain(300, "c"));
        append(log, TestBatches.plain(200, "d"));

        // Answered as Kafka's ListOffsets does: the found record's own timestamp and offset.
        assertThat(log.offsetForTimestamp(50)).contains(new TimestampOffset(100, 0));
        assertThat(log.offsetForTimestamp(150)).contains(new TimestampOffset(300, 2));
        assertThat(log.offsetForTimestamp(300)).contains(new TimestampOffset(300, 2));
        assertThat(log.offsetForTimestamp(200)).contains(new TimestampOffset(300, 2));
        assertThat(log.offsetForTimestamp(301)).isEmpty();
        assertThat(log.maxTimestamp()).contains(new TimestampOffset(300, 2));
    }

    @Test
    void idempotentResendIsAnsweredWithTheOriginalOffsets() {
        append(log, TestBatches.plain(10, "other"));
        AppendInfo first = append(log, TestBatches.idempotent(7, (short) 0, 0, "a", "b"));
        AppendInfo second = append(log, TestBatches.idempotent(7, (short) 0, 2, "c"));
        AppendInfo resend = append(log, TestBatches.idempotent(7, (short) 0, 0, "a", "b"));

        assertThat(first.firstOffset()).isEqualTo(1);
        assertThat(second.firstOffset()).isEqualTo(3);
        assertThat(resend.duplicate()).isTrue();
        assertThat(resend.firstOffset()).isEqualTo(1);
        assertThat(resend.lastOffset()).isEqualTo(2);
        assertThat(log.logEndOffset()).isEqualTo(4);
    }

    @Test
    void sequenceGapsAreRefused() {
        append(log, TestBatches.idempotent(7, (short) 0, 0, "a"));
        assertThat(failure(log.append(TestBatches.idempotent(7, (short) 0, 2, "c"), AppendOptions.CLIENT)))
                .isEqualTo(StorageErrorCode.OUT_OF_ORDER_SEQUENCE);
        assertThat(append(log, TestBatches.idempotent(7, (short) 0, 1, "b")).firstOffset()).isEqualTo(1);
        // A producer the log has no state for is accepted at any sequence (Kafka: its state may have expired),
        // and checked from there on.
        assertThat(append(log, TestBatches.idempotent(8, (short) 0, 5, "c")).firstOffset()).isEqualTo(2);
        assertThat(failure(log.append(TestBatches.idempotent(8, (short) 0, 7, "d"), AppendOptions.CLIENT)))
                .isEqualTo(StorageErrorCode.OUT_OF_ORDER_SEQUENCE);
    }

    @Test
    void olderEpochsAreFencedAndNewEpochsStartAtZero() {
        append(log, TestBatches.idempotent(7, (short) 1, 0, "a"));
        assertThat(failure(log.append(TestBatches.idempotent(7, (short) 0, 1, "b"), AppendOptions.CLIENT)))
                .isEqualTo(StorageErrorCode.PRODUCER_FENCED);
        assertThat(failure(log.append(TestBatches.idempotent(7, (short) 2, 5, "b"), AppendOptions.CLIENT)))
                .isEqualTo(StorageErrorCode.OUT_OF_ORDER_SEQUENCE);
        assertThat(append(log, TestBatches.idempotent(7, (short) 2, 0, "b")).firstOffset()).isEqualTo(1);
        assertThat(failure(log.append(TestBatches.idempotent(7, (short) 1, 1, "c"), AppendOptions.CLIENT)))
                .isEqualTo(StorageErrorCode.PRODUCER_FENCED);
    }

    @Test
    void openTransactionsHoldBackTheLastStableOffsetAndAbortsAreListed() {
        append(log, TestBatches.plain(10, "before"));
        append(log, TestBatches.transactional(7, (short) 0, 0, "t1", "t2"));
        append(log, TestBatches.plain(10, "during"));
        assertThat(log.lastStableOffset()).isEqualTo(1);
        assertThat(log.highWatermark()).isEqualTo(4);
        append(log, TestBatches.transactional(9, (short) 0, 0, "u1"));
        assertThat(log.lastStableOffset()).isEqualTo(1);

        join(log.append(TestBatches.marker(7, (short) 0, false), AppendOptions.COORDINATOR));
        assertThat(log.lastStableOffset()).isEqualTo(4);
        join(log.append(TestBatches.marker(9, (short) 0, true), AppendOptions.COORDINATOR));
        assertThat(log.lastStableOffset()).isEqualTo(log.highWatermark()).isEqualTo(7);

        LogReadResult r = log.read(0, 1 << 20, log.lastStableOffset());
        assertThat(r.abortedTransactions()).containsExactly(new LogReadResult.AbortedTxn(7, 1));
        assertThat(r.lastStableOffset()).isEqualTo(7);
        LogReadResult after = log.read(6, 1 << 20, log.lastStableOffset());
        assertThat(after.abortedTransactions()).isEmpty();

        // A new transaction of the same producer, at a new position.
        append(log, TestBatches.transactional(7, (short) 0, 2, "t3"));
        assertThat(log.lastStableOffset()).isEqualTo(7);
        assertThat(log.read(0, 1 << 20, log.lastStableOffset()).records().sizeInBytes()).isPositive();
    }

    @Test
    void abortedTransactionsAreListedEvenWhenTheirMarkerLiesBeyondTheRead() {
        log.updateConfig(log.config().withSegmentBytes(400));
        append(log, TestBatches.transactional(7, (short) 0, 0, "t1"));
        for (int i = 0; i < 12; i++) {
            append(log, TestBatches.plain(10, "filler-" + i));
        }
        join(log.append(TestBatches.marker(7, (short) 0, false), AppendOptions.COORDINATOR));
        LogReadResult first = log.read(0, 1, log.lastStableOffset());
        assertThat(first.abortedTransactions()).containsExactly(new LogReadResult.AbortedTxn(7, 0));
        LogReadResult later = log.read(5, 1, log.lastStableOffset());
        assertThat(later.abortedTransactions()).containsExactly(new LogReadResult.AbortedTxn(7, 0));
        LogReadResult after = log.read(log.logEndOffset() - 1, 1, log.lastStableOffset());
        assertThat(after.abortedTransactions()).containsExactly(new LogReadResult.AbortedTxn(7, 0));
    }

    @Test
    void clientsMayNotWriteMarkersAndFencedMarkersAreRefused() {
        append(log, TestBatches.transactional(7, (short) 3, 0, "t1"));
        assertThat(failure(log.append(TestBatches.marker(7, (short) 3, true), AppendOptions.CLIENT)))
                .isEqualTo(StorageErrorCode.CORRUPT_BATCH);
        assertThat(failure(log.append(TestBatches.marker(7, (short) 2, true), AppendOptions.COORDINATOR)))
                .isEqualTo(StorageErrorCode.PRODUCER_FENCED);
        assertThat(failure(log.append(TestBatches.idempotent(7, (short) 3, 1, "x"), AppendOptions.CLIENT)))
                .isEqualTo(StorageErrorCode.INVALID_TXN_STATE);
        assertThat(log.lastStableOffset()).isZero();
    }

    @Test
    void deleteRecordsBeforeRaisesTheLogStartOffset() {
        for (int i = 0; i < 10; i++) {
            append(log, TestBatches.plain(10, "v" + i));
        }
        assertThat(join(log.deleteRecordsBefore(4))).isEqualTo(4);
        assertThat(log.logStartOffset()).isEqualTo(4);
        assertThat(readAll(log, 4)).extracting(Rec::value).containsExactly("v4", "v5", "v6", "v7", "v8", "v9");
        assertThatThrownBy(() -> log.read(3, 100, Long.MAX_VALUE)).isInstanceOf(StorageException.class);
        assertThat(join(log.deleteRecordsBefore(2))).isEqualTo(4);
        assertThat(join(log.truncateAll())).isEqualTo(10);
        assertThat(log.logStartOffset()).isEqualTo(10);
        assertThat(log.read(10, 100, Long.MAX_VALUE).records().sizeInBytes()).isZero();
        assertThat(append(log, TestBatches.plain(10, "next")).firstOffset()).isEqualTo(10);
        assertThat(append(log, TestBatches.plain(10, "n2")).logStartOffset()).isEqualTo(10);
    }

    @Test
    void openReturnsTheSameLogAndListsIt() {
        assertThat(store.open(id, LogConfig.defaults())).isSameAs(log);
        assertThat(store.get(id)).containsSame(log);
        assertThat(store.list()).contains(id);
        LogId other = new LogId("t", "ns", "orders", 1);
        PartitionLog o = store.open(other, LogConfig.defaults());
        append(o, TestBatches.plain(10, "x"));
        assertThat(log.logEndOffset()).isZero();
        store.delete(other);
        assertThat(store.get(other)).isEmpty();
        assertThat(store.list()).doesNotContain(other);
    }

    @Test
    void concurrentAppendersGetDistinctContiguousOffsets() throws Exception {
        int threads = 4;
        int perThread = 300;
        Set<Long> offsets = new ConcurrentSkipListSet<>();
        List<Thread> ts = new ArrayList<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        for (int t = 0; t < threads; t++) {
            int tt = t;
            Thread th = new Thread(() -> {
                try {
                    List<CompletableFuture<AppendInfo>> fs = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        fs.add(log.append(TestBatches.plain(10, "t" + tt + "-" + i, "x"), AppendOptions.CLIENT));
                        if (fs.size() == 16) {
                            fs.forEach(f -> add(offsets, join(f)));
                            fs.clear();
                        }
                    }
                    fs.forEach(f -> add(offsets, join(f)));
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            ts.add(th);
            th.start();
        }
        for (Thread th : ts) {
            th.join();
        }
        assertThat(errors).isEmpty();
        long total = (long) threads * perThread * 2;
        assertThat(offsets).containsExactlyElementsOf(LongStream.range(0, total).boxed().toList());
        assertThat(log.highWatermark()).isEqualTo(total);
        List<Rec> recs = readAll(log, 0);
        assertThat(recs).hasSize((int) total);
        assertThat(recs).extracting(Rec::offset).isSorted().doesNotHaveDuplicates();
    }

    private static void add(Set<Long> offsets, AppendInfo info) {
        for (long o = info.firstOffset(); o <= info.lastOffset(); o++) {
            assertThat(offsets.add(o)).isTrue();
        }
    }
}
