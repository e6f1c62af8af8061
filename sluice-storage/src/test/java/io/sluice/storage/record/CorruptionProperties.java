package io.sluice.storage.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.storage.StorageErrorCode;
import io.sluice.storage.StorageException;
import java.nio.ByteBuffer;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Fuzzing of the reader: bit flips, truncations and random bytes anywhere in a batch either still parse or fail with
 * CORRUPT_BATCH, never with another exception, and a flip the CRC covers is always detected.
 */
class CorruptionProperties {

    @Provide
    Arbitrary<BatchSpec> batches() {
        return BatchSpec.batches();
    }

    @Provide
    Arbitrary<List<Integer>> flips() {
        return Arbitraries.integers().between(0, Integer.MAX_VALUE).list().ofMinSize(1).ofMaxSize(4);
    }

    @Property(tries = 200)
    void bitFlipsAreDetectedOrHarmless(@ForAll("batches") BatchSpec spec, @ForAll("flips") List<Integer> flips) {
        ByteBuffer buf = spec.buildWithSluice();
        int covered = buf.remaining() - RecordBatch.MAGIC_OFFSET;
        for (int f : flips) {
            int at = RecordBatch.MAGIC_OFFSET + (f >>> 3) % covered;
            buf.put(at, (byte) (buf.get(at) ^ (1 << (f & 7))));
        }
        RecordBatch batch = RecordBatch.wrap(buf);
        boolean unchanged = batch.buffer().equals(spec.buildWithSluice());
        if (!unchanged) {
            // CRC-32C detects every burst of up to 32 bits; random sparse flips escape with probability 2^-32
            assertThat(batch.isValid()).isFalse();
            assertCorruptOrOk(batch::ensureValid);
        }
        assertCorruptOrOk(batch::records);
        assertCorruptOrOk(() -> batch.iterator().forEachRemaining(r -> { }));
    }

    @Property(tries = 100)
    void truncatedBatchesWithConsistentLengthFailCleanly(@ForAll("batches") BatchSpec spec,
                                                         @ForAll @IntRange(min = 1, max = 10_000) int cut) {
        ByteBuffer full = spec.buildWithSluice();
        int size = Math.max(RecordBatch.HEADER_SIZE, full.remaining() - cut);
        ByteBuffer truncated = ByteBuffer.allocate(size).put(full.duplicate().limit(size)).flip();
        assertCorruptOrOk(() -> RecordBatch.wrap(truncated)); // batchLength now exceeds the bytes
        truncated.putInt(RecordBatch.LENGTH_OFFSET, size - RecordBatch.LOG_OVERHEAD);
        RecordBatchCorruptionTest.fixCrc(truncated);
        RecordBatch batch = RecordBatch.wrap(truncated);
        batch.ensureValid();
        if (size < full.remaining()) {
            assertThatThrownBy(batch::records).isInstanceOfSatisfying(StorageException.class,
                    e -> assertThat(e.code()).isEqualTo(StorageErrorCode.CORRUPT_BATCH));
        }
    }

    @Property(tries = 200)
    void randomRecordsBlocksNeverEscapeAsAnotherException(@ForAll Compression compression,
                                                          @ForAll @IntRange(min = -1, max = 50) int count,
                                                          @ForAll @Size(max = 300) byte[] block) {
        RecordBatch batch = RecordBatch.wrap(RecordBatchCorruptionTest.rawBatch(compression, count, block));
        assertCorruptOrOk(batch::records);
    }

    @Property(tries = 100)
    void randomBytesNeverEscapeWrapOrIterate(@ForAll @Size(max = 200) byte[] bytes) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        assertCorruptOrOk(() -> RecordBatch.wrap(buf).records());
        assertCorruptOrOk(() -> RecordBatches.records(buf));
    }

    private static void assertCorruptOrOk(Runnable action) {
        try {
            action.run();
        } catch (StorageException e) {
            assertThat(e.code()).isEqualTo(StorageErrorCode.CORRUPT_BATCH);
        }
    }
}
