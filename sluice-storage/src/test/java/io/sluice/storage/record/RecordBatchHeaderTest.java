package io.sluice.storage.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.storage.StorageErrorCode;
import io.sluice.storage.StorageException;
import io.sluice.storage.TimestampType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;

/** Header accessors, CRC and in-place rewrites of {@link RecordBatch}, against batches written by kafka-clients. */
class RecordBatchHeaderTest {

    private static ByteBuffer kafkaTransactionalBatch() {
        MemoryRecords records = MemoryRecords.withTransactionalRecords(
                (byte) 2, 1000L, org.apache.kafka.common.compress.Compression.NONE, 4242L, (short) 7, 55, 9,
                new SimpleRecord(1_700_000_000_000L, bytes("k1"), bytes("v1")),
                new SimpleRecord(1_700_000_000_500L, null, bytes("v2")),
                new SimpleRecord(1_699_999_999_000L, bytes("k3"), null));
        return records.buffer();
    }

    @Test
    void readsEveryHeaderFieldKafkaWrote() {
        ByteBuffer buf = kafkaTransactionalBatch();
        DefaultRecordBatch kafka = (DefaultRecordBatch) MemoryRecords.readableRecords(buf.duplicate())
                .batches().iterator().next();
        RecordBatch batch = RecordBatch.wrap(buf);

        assertThat(batch.baseOffset()).isEqualTo(1000L);
        assertThat(batch.sizeInBytes()).isEqualTo(kafka.sizeInBytes()).isEqualTo(buf.remaining());
        assertThat(batch.batchLength()).isEqualTo(kafka.sizeInBytes() - RecordBatch.LOG_OVERHEAD);
        assertThat(batch.partitionLeaderEpoch()).isEqualTo(9);
        assertThat(batch.magic()).isEqualTo((byte) 2);
        assertThat(batch.crc()).isEqualTo(kafka.checksum()).isEqualTo(batch.computeCrc());
        assertThat(batch.isValid()).isTrue();
        assertThat(batch.compression()).isEqualTo(Compression.NONE);
        assertThat(batch.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
        assertThat(batch.isTransactional()).isTrue();
        assertThat(batch.isControl()).isFalse();
        assertThat(batch.lastOffsetDelta()).isEqualTo(2);
        assertThat(batch.lastOffset()).isEqualTo(kafka.lastOffset()).isEqualTo(1002L);
        assertThat(batch.nextOffset()).isEqualTo(1003L);
        assertThat(batch.baseTimestamp()).isEqualTo(1_700_000_000_000L);
        assertThat(batch.maxTimestamp()).isEqualTo(kafka.maxTimestamp()).isEqualTo(1_700_000_000_500L);
        assertThat(batch.producerId()).isEqualTo(4242L);
        assertThat(batch.producerEpoch()).isEqualTo((short) 7);
        assertThat(batch.baseSequence()).isEqualTo(55);
        assertThat(batch.lastSequence()).isEqualTo(kafka.lastSequence()).isEqualTo(57);
        assertThat(batch.recordCount()).isEqualTo(3);
        assertThat(batch.hasProducerId()).isTrue();
        assertThat(batch.attributes()).isEqualTo((short) 0x10);
    }

    @Test
    void baseOffsetAndLeaderEpochAreRewrittenWithoutInvalidatingTheCrc() {
        RecordBatch batch = RecordBatch.wrap(kafkaTransactionalBatch());
        long crc = batch.crc();
        batch.setBaseOffset(77L);
        batch.setPartitionLeaderEpoch(3);
        assertThat(batch.baseOffset()).isEqualTo(77L);
        assertThat(batch.lastOffset()).isEqualTo(79L);
        assertThat(batch.partitionLeaderEpoch()).isEqualTo(3);
        assertThat(batch.crc()).isEqualTo(crc);
        batch.ensureValid();
    }

    @Test
    void crcDetectsAFlippedBitInTheCoveredRange() {
        ByteBuffer buf = kafkaTransactionalBatch();
        RecordBatch batch = RecordBatch.wrap(buf);
        int at = RecordBatch.ATTRIBUTES_OFFSET + 30;
        buf.put(at, (byte) (buf.get(at) ^ 0x10));
        assertThat(batch.isValid()).isFalse();
        assertThatThrownBy(batch::ensureValid)
                .isInstanceOfSatisfying(StorageException.class,
                        e -> assertThat(e.code()).isEqualTo(StorageErrorCode.CORRUPT_BATCH))
                .hasMessageContaining("crc");
    }

    @Test
    void wrapRejectsShortOrInconsistentInput() {
        ByteBuffer buf = kafkaTransactionalBatch();
        assertCorrupt(() -> RecordBatch.wrap(buf.slice(0, RecordBatch.HEADER_SIZE - 1)));
        assertCorrupt(() -> RecordBatch.wrap(buf.slice(0, buf.remaining() - 1)));
        ByteBuffer tiny = buf.duplicate();
        tiny.putInt(RecordBatch.LENGTH_OFFSET, 10);
        assertCorrupt(() -> RecordBatch.wrap(tiny));
        ByteBuffer negative = kafkaTransactionalBatch();
        negative.putInt(RecordBatch.LENGTH_OFFSET, -5);
        assertCorrupt(() -> RecordBatch.wrap(negative));
    }

    @Test
    void wrapViewsTheBatchAtThePositionAndLeavesTheCallersBufferAlone() {
        ByteBuffer batchBytes = kafkaTransactionalBatch();
        ByteBuffer padded = ByteBuffer.allocate(batchBytes.remaining() + 20);
        padded.position(7);
        padded.put(batchBytes.duplicate());
        padded.position(7);
        RecordBatch batch = RecordBatch.wrap(padded);
        assertThat(padded.position()).isEqualTo(7);
        assertThat(batch.buffer().remaining()).isEqualTo(batch.sizeInBytes()).isEqualTo(batchBytes.remaining());
        assertThat(batch.buffer()).isEqualTo(batchBytes);
        batch.ensureValid();
    }

    @Test
    void lastSequenceWrapsLikeKafka() {
        assertThat(RecordBatch.incrementSequence(Integer.MAX_VALUE - 1, 3)).isEqualTo(1);
        assertThat(RecordBatch.incrementSequence(Integer.MAX_VALUE, 1)).isZero();
        assertThat(RecordBatch.incrementSequence(5, 3)).isEqualTo(8);
        assertThat(RecordBatch.incrementSequence(RecordBatch.NO_SEQUENCE, 3)).isEqualTo(RecordBatch.NO_SEQUENCE);
        for (int base : new int[] {0, 17, Integer.MAX_VALUE - 5, Integer.MAX_VALUE}) {
            for (int delta : new int[] {0, 1, 4, 6, 100}) {
                assertThat(RecordBatch.incrementSequence(base, delta))
                        .isEqualTo(DefaultRecordBatch.incrementSequence(base, delta));
            }
        }
    }

    @Test
    void setLogAppendTimeMatchesKafkasRewrite() {
        ByteBuffer ours = kafkaTransactionalBatch();
        ByteBuffer theirs = kafkaTransactionalBatch();
        RecordBatch batch = RecordBatch.wrap(ours);
        batch.setLogAppendTime(1_800_000_000_000L);
        ((DefaultRecordBatch) MemoryRecords.readableRecords(theirs).batches().iterator().next())
                .setMaxTimestamp(org.apache.kafka.common.record.TimestampType.LOG_APPEND_TIME, 1_800_000_000_000L);
        assertThat(ours).isEqualTo(theirs);
        assertThat(batch.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(batch.maxTimestamp()).isEqualTo(1_800_000_000_000L);
        batch.ensureValid();
    }

    @Test
    void recordsOfAnUncompressedKafkaBatch() {
        RecordBatch batch = RecordBatch.wrap(kafkaTransactionalBatch());
        var records = batch.records();
        assertThat(records).hasSize(3);
        assertThat(records.get(0).offset()).isEqualTo(1000L);
        assertThat(records.get(0).keyBytes()).isEqualTo(bytes("k1"));
        assertThat(records.get(1).key()).isNull();
        assertThat(records.get(1).timestamp()).isEqualTo(1_700_000_000_500L);
        assertThat(records.get(2).value()).isNull();
        assertThat(records.get(2).timestamp()).isEqualTo(1_699_999_999_000L);
    }

    static void assertCorrupt(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StorageException.class,
                e -> assertThat(e.code()).isEqualTo(StorageErrorCode.CORRUPT_BATCH));
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
