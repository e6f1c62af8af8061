package io.sluice.storage.log;

import io.sluice.storage.AppendOptions;
import io.sluice.storage.Durability;
import io.sluice.storage.LogConfig;
import io.sluice.storage.LogId;
import io.sluice.storage.PartitionLog;
import io.sluice.storage.StorageErrorCode;
import io.sluice.storage.StorageException;
import io.sluice.storage.TestBatches;
import io.sluice.storage.TestBatches.Rec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Crash recovery as properties: whatever damage a crash can do to the unsynced tail of the last segment, the
 * recovered log is exactly a prefix of the acknowledged appends, in order, with no garbage record; and a corrupt
 * batch in the middle of a log takes only that log offline.
 */
class RecoveryProperties {
    private static final LogId ID = new LogId("t", "ns", "p", 0);
    private static final LogId OTHER = new LogId("t", "ns", "p", 1);
    private static final LogConfig CONFIG = LogConfig.defaults().withSegmentBytes(2500)
            .withDurability(Durability.OS_CACHE);

    private static final LogConfig MIDDLE_CONFIG = CONFIG.withSegmentBytes(1000);

    enum Damage { TRUNCATE, FLIP_BIT, GARBAGE }

    @Provide
    Arbitrary<List<Integer>> batchSizes() {
        return Arbitraries.integers().between(1, 4).list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 30)
    void recoveredLogIsAPrefixOfTheAcknowledgedAppends(@ForAll("batchSizes") List<Integer> batches,
                                                       @ForAll Damage damage,
                                                       @ForAll @IntRange(min = 1, max = 400) int tailBytes,
                                                       @ForAll long seed) throws IOException {
        Path root = Files.createTempDirectory("recovery");
        try {
            List<String> acknowledged = new ArrayList<>();
            Path crash = root.resolve("crash");
            try (FileLogStore store = openStore(root.resolve("live"))) {
                PartitionLog log = store.open(ID, CONFIG);
                int n = 0;
                for (int size : batches) {
                    String[] values = new String[size];
                    for (int i = 0; i < size; i++) {
                        values[i] = "v" + n++ + "-" + "x".repeat((int) Math.floorMod(seed + n, 50));
                    }
                    log.append(TestBatches.plain(1000 + n, values), AppendOptions.CLIENT).join();
                    acknowledged.addAll(List.of(values));
                }
                FileLogStoreTest.crashCopy(root.resolve("live"), crash);
            }
            damageLastSegment(crash.resolve(ID.relativePath()), damage, tailBytes, new Random(seed));

            try (FileLogStore store = openStore(crash)) {
                PartitionLog log = store.open(ID, CONFIG);
                assertThat(log.isOnline()).isTrue();
                List<Rec> recovered = FileLogStoreTest.readAll(log);
                List<String> values = recovered.stream().map(Rec::value).toList();
                assertThat(values.size()).isLessThanOrEqualTo(acknowledged.size());
                assertThat(values).isEqualTo(acknowledged.subList(0, values.size()));
                for (int i = 0; i < recovered.size(); i++) {
                    assertThat(recovered.get(i).offset()).isEqualTo(i);
                }
                assertThat(log.logEndOffset()).isEqualTo(recovered.size());
                long next = log.append(TestBatches.plain(1, "after"), AppendOptions.CLIENT).join().firstOffset();
                assertThat(next).isEqualTo(recovered.size());
            }
        } finally {
            deleteTree(root);
        }
    }

    @Property(tries = 12)
    void corruptionInTheMiddleTakesOnlyThatLogOffline(@ForAll @IntRange(min = 0, max = 1000) int batchPick,
                                                      @ForAll @Size(min = 1, max = 1) List<@IntRange(min = 0,
                                                              max = 10_000) Integer> bytePick) throws IOException {
        Path root = Files.createTempDirectory("middle");
        try {
            try (FileLogStore store = openStore(root)) {
                PartitionLog log = store.open(ID, MIDDLE_CONFIG);
                PartitionLog other = store.open(OTHER, MIDDLE_CONFIG);
                for (int i = 0; i < 60; i++) {
                    log.append(TestBatches.plain(1000, "value-" + i), AppendOptions.CLIENT).join();
                    other.append(TestBatches.plain(1000, "other-" + i), AppendOptions.CLIENT).join();
                }
                assertThat(log.stats().segmentCount()).isGreaterThanOrEqualTo(3);
            }
            Path dir = root.resolve(ID.relativePath());
            List<Path> segments = FileLogStoreTest.files(dir, ".log").stream().map(dir::resolve).toList();
            Path middle = segments.get(1 + batchPick % (segments.size() - 2));
            ByteBuffer content = ByteBuffer.wrap(Files.readAllBytes(middle));
            List<long[]> batchRanges = new ArrayList<>();
            long pos = 0;
            for (RecordBatch b : MemoryRecords.readableRecords(content).batches()) {
                batchRanges.add(new long[] {pos, b.sizeInBytes()});
                pos += b.sizeInBytes();
            }
            long[] victim = batchRanges.get(batchPick % batchRanges.size());
            // bytes 21.. of a batch are covered by its CRC
            long at = victim[0] + 21 + bytePick.getFirst() % (victim[1] - 21);
            FileLogStoreTest.flipByte(middle, at);
            Files.delete(dir.resolve(LogCheckpoint.FILE));

            try (FileLogStore store = openStore(root)) {
                PartitionLog log = store.open(ID, MIDDLE_CONFIG);
                assertThat(log.isOnline()).isFalse();
                assertThatThrownBy(() -> log.read(0, 100, Long.MAX_VALUE))
                        .isInstanceOf(StorageException.class)
                        .extracting(e -> ((StorageException) e).code()).isEqualTo(StorageErrorCode.LOG_OFFLINE);
                PartitionLog other = store.open(OTHER, MIDDLE_CONFIG);
                assertThat(other.isOnline()).isTrue();
                assertThat(FileLogStoreTest.readAll(other)).hasSize(60);
            }
        } finally {
            deleteTree(root);
        }
    }

    private static FileLogStore openStore(Path dir) {
        return FileLogStore.open(dir, FileLogStore.Options.defaults().withClock(new AtomicLong(5000)::get)
                .withMaintenanceIntervalMs(0).withFileDeleteDelayMs(0));
    }

    private static void damageLastSegment(Path dir, Damage damage, int tailBytes, Random random) throws IOException {
        List<String> segs = FileLogStoreTest.files(dir, ".log");
        Path last = dir.resolve(segs.getLast());
        try (FileChannel ch = FileChannel.open(last, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            switch (damage) {
                case TRUNCATE -> ch.truncate(Math.max(0, size - tailBytes));
                case FLIP_BIT -> {
                    if (size > 0) {
                        long at = size - 1 - random.nextLong(Math.min(size, tailBytes));
                        ByteBuffer b = ByteBuffer.allocate(1);
                        ch.read(b, at);
                        b.put(0, (byte) (b.get(0) ^ (1 << random.nextInt(8))));
                        b.rewind();
                        ch.write(b, at);
                    }
                }
                case GARBAGE -> {
                    byte[] junk = new byte[tailBytes];
                    random.nextBytes(junk);
                    ch.write(ByteBuffer.wrap(junk), size);
                }
            }
        }
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
