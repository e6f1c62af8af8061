package io.sluice.storage.record;

import static io.sluice.storage.record.RecordBatchHeaderTest.assertCorrupt;
import static io.sluice.storage.record.RecordBatchHeaderTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordBatchesTest {

    private static ByteBuffer batch(long baseOffset, String... values) {
        RecordBatchBuilder b = RecordBatchBuilder.create(Compression.NONE).baseOffset(baseOffset);
        for (String v : values) {
            b.append(1L, null, bytes(v), List.of());
        }
        return b.build();
    }

    private static ByteBuffer concat(ByteBuffer... parts) {
        int size = 0;
        for (ByteBuffer p : parts) {
            size += p.remaining();
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        for (ByteBuffer p : parts) {
            out.put(p.duplicate());
        }
        return out.flip();
    }

    private static List<Long> baseOffsets(ByteBuffer buf) {
        List<Long> out = new ArrayList<>();
        for (RecordBatch b : RecordBatches.iterate(buf)) {
            out.add(b.baseOffset());
        }
        return out;
    }

    @Test
    void iteratesConsecutiveBatchesAndStopsBeforeAPartialOne() {
        ByteBuffer a = batch(0, "a", "b");
        ByteBuffer b = batch(2, "c");
        ByteBuffer c = batch(3, "d", "e", "f");
        ByteBuffer all = concat(a, b, c);
        assertThat(baseOffsets(all)).containsExactly(0L, 2L, 3L);
        assertThat(RecordBatches.records(all)).extracting(Record::offset).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);

        for (int cut = 1; cut < c.remaining(); cut++) {
            ByteBuffer truncated = all.duplicate().limit(all.limit() - cut);
            assertThat(baseOffsets(truncated)).as("cut %d", cut).containsExactly(0L, 2L);
            assertThat(RecordBatches.sizeOfCompleteBatches(truncated)).isEqualTo(a.remaining() + b.remaining());
        }
    }

    @Test
    void iterationStartsAtThePositionAndCanBeRepeated() {
        ByteBuffer all = concat(batch(0, "a"), batch(1, "b"));
        int firstSize = RecordBatch.wrap(all).sizeInBytes();
        all.position(firstSize);
        Iterable<RecordBatch> batches = RecordBatches.iterate(all);
        assertThat(batches).extracting(RecordBatch::baseOffset).containsExactly(1L);
        assertThat(batches).extracting(RecordBatch::baseOffset).containsExactly(1L);
        assertThat(all.position()).isEqualTo(firstSize);
    }

    @Test
    void emptyInputHasNoBatches() {
        assertThat(RecordBatches.iterate(ByteBuffer.allocate(0))).isEmpty();
        assertThat(RecordBatches.records(ByteBuffer.allocate(11))).isEmpty();
    }

    @Test
    void aLengthSmallerThanAHeaderIsCorruptNotPartial() {
        ByteBuffer all = concat(batch(0, "a"), batch(1, "b"));
        int second = RecordBatch.wrap(all).sizeInBytes();
        all.putInt(second + RecordBatch.LENGTH_OFFSET, 3);
        var it = RecordBatches.iterate(all).iterator();
        assertThat(it.next().baseOffset()).isZero();
        assertCorrupt(it::hasNext);
    }
}
