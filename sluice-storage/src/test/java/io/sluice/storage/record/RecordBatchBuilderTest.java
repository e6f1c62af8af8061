package io.sluice.storage.record;

import static io.sluice.storage.record.RecordBatchHeaderTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.storage.TimestampType;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class RecordBatchBuilderTest {

    @ParameterizedTest
    @EnumSource(Compression.class)
    void roundTripsEveryFieldWithEachCompression(Compression compression) {
        byte[] big = "sluice ".repeat(30_000).getBytes(); // spans several snappy/lz4 blocks
        ByteBuffer built = RecordBatchBuilder.create(compression)
                .baseOffset(500)
                .producer(99L, (short) 3, 10)
                .transactional(true)
                .partitionLeaderEpoch(4)
                .append(1_000L, bytes("a"), bytes("1"), List.of(new Header("h", bytes("x")), new Header("n", null)))
                .append(900L, null, big, null)
                .append(1_200L, bytes("tomb"), null, List.of())
                .build();

        assertThat(built.position()).isZero();
        RecordBatch batch = RecordBatch.wrap(built);
        batch.ensureValid();
        assertThat(batch.sizeInBytes()).isEqualTo(built.remaining());
        assertThat(batch.compression()).isEqualTo(compression);
        assertThat(batch.baseOffset()).isEqualTo(500);
        assertThat(batch.lastOffset()).isEqualTo(502);
        assertThat(batch.baseTimestamp()).isEqualTo(1_000L);
        assertThat(batch.maxTimestamp()).isEqualTo(1_200L);
        assertThat(batch.lastSequence()).isEqualTo(12);
        if (compression != Compression.NONE) {
            assertThat(batch.sizeInBytes()).isLessThan(big.length / 10);
        }

        List<Record> records = batch.records();
        assertThat(records).extracting(Record::offset).containsExactly(500L, 501L, 502L);
        assertThat(records).extracting(Record::timestamp).containsExactly(1_000L, 900L, 1_200L);
        assertThat(records.get(0).headers()).hasSize(2);
        assertThat(records.get(0).headers().get(0).value()).isEqualTo(bytes("x"));
        assertThat(records.get(0).headers().get(1).value()).isNull();
        assertThat(records.get(1).key()).isNull();
        assertThat(records.get(1).valueBytes()).isEqualTo(big);
        assertThat(records.get(2).value()).isNull();
        assertThat(records.get(2).keyBytes()).isEqualTo(bytes("tomb"));

        MutableRecordBatch kafka = MemoryRecords.readableRecords(built.duplicate()).batches().iterator().next();
        kafka.ensureValid();
        assertThat(kafka.lastOffset()).isEqualTo(502);
    }

    @Test
    void byteBufferOverloadLeavesThePositionsAlone() {
        ByteBuffer key = ByteBuffer.wrap(bytes("xxkey")).position(2);
        ByteBuffer value = ByteBuffer.allocateDirect(5).put(bytes("value")).flip();
        ByteBuffer built = RecordBatchBuilder.create(Compression.NONE).append(1L, key, value, List.of()).build();
        assertThat(key.position()).isEqualTo(2);
        assertThat(value.position()).isZero();
        Record r = RecordBatch.wrap(built).records().get(0);
        assertThat(r.keyBytes()).isEqualTo(bytes("key"));
        assertThat(r.valueBytes()).isEqualTo(bytes("value"));
    }

    @Test
    void logAppendTimeIsReportedForEveryRecord() {
        ByteBuffer built = RecordBatchBuilder.create(Compression.LZ4)
                .append(5L, null, bytes("a"), null)
                .append(7L, null, bytes("b"), null)
                .build();
        RecordBatch batch = RecordBatch.wrap(built);
        batch.setLogAppendTime(1_000L);
        batch.ensureValid();
        assertThat(batch.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(batch.records()).extracting(Record::timestamp).containsExactly(1_000L, 1_000L);
        MutableRecordBatch kafka = MemoryRecords.readableRecords(built.duplicate()).batches().iterator().next();
        assertThat(kafka.iterator().next().timestamp()).isEqualTo(1_000L);
    }

    @Test
    void noTimestampIsAccepted() {
        ByteBuffer built = RecordBatchBuilder.create(Compression.NONE).append(RecordBatch.NO_TIMESTAMP, null,
                bytes("a"), null).build();
        RecordBatch batch = RecordBatch.wrap(built);
        assertThat(batch.maxTimestamp()).isEqualTo(RecordBatch.NO_TIMESTAMP);
        assertThat(batch.records().get(0).timestamp()).isEqualTo(RecordBatch.NO_TIMESTAMP);
    }

    @Test
    void recordCountAndSizeGrowWithAppends() {
        RecordBatchBuilder b = RecordBatchBuilder.create(Compression.NONE);
        assertThat(b.recordCount()).isZero();
        assertThat(b.uncompressedSizeInBytes()).isEqualTo(RecordBatch.HEADER_SIZE);
        for (int i = 0; i < 1000; i++) {
            b.append(i, null, new byte[100], null);
        }
        assertThat(b.recordCount()).isEqualTo(1000);
        ByteBuffer built = b.build();
        assertThat(built.remaining()).isEqualTo(b.uncompressedSizeInBytes());
        assertThat(RecordBatch.wrap(built).records()).hasSize(1000);
    }

    @Test
    void rejectsMisuse() {
        assertThatThrownBy(() -> RecordBatchBuilder.create(Compression.NONE).build())
                .isInstanceOf(IllegalStateException.class);
        RecordBatchBuilder once = RecordBatchBuilder.create(Compression.NONE)
                .append(1L, (byte[]) null, null, null);
        once.build();
        assertThatThrownBy(once::build).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> once.append(1L, (byte[]) null, null, null))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> RecordBatchBuilder.create(Compression.NONE).transactional(true)
                .append(1L, (byte[]) null, null, null).build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> RecordBatchBuilder.create(Compression.NONE)
                .append(-5L, (byte[]) null, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RecordBatchBuilder.create(Compression.NONE)
                .append(1L, (byte[]) null, null, List.of(new Header(null, null))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void varintSizesMatchTheEncoding() {
        int[] ints = {0, 1, -1, 63, -64, 64, -65, 8191, 8192, Integer.MAX_VALUE, Integer.MIN_VALUE};
        for (int v : ints) {
            GrowableBuffer b = new GrowableBuffer(0);
            b.writeVarint(v);
            assertThat(GrowableBuffer.sizeOfVarint(v)).as("varint %d", v).isEqualTo(b.size());
            assertThat(org.apache.kafka.common.utils.internals.ByteUtils.sizeOfVarint(v)).isEqualTo(b.size());
        }
        long[] longs = {0, 1, -1, 1L << 40, -(1L << 40), Long.MAX_VALUE, Long.MIN_VALUE};
        for (long v : longs) {
            GrowableBuffer b = new GrowableBuffer(0);
            b.writeVarlong(v);
            assertThat(GrowableBuffer.sizeOfVarlong(v)).as("varlong %d", v).isEqualTo(b.size());
            assertThat(org.apache.kafka.common.utils.internals.ByteUtils.sizeOfVarlong(v)).isEqualTo(b.size());
        }
    }

    @Test
    void deleteHorizonIsByteIdenticalToKafkasCompactedBatch() {
        long horizon = 1_700_000_500_000L;
        ByteBuffer ours = RecordBatchBuilder.create(Compression.NONE).baseOffset(10).deleteHorizonMs(horizon)
                .append(1_700_000_000_000L, bytes("k"), null, List.of())
                .append(1_700_000_000_100L, bytes("k2"), bytes("v"), List.of())
                .build();
        var kafkaBuilder = new org.apache.kafka.common.record.internal.MemoryRecordsBuilder(
                new org.apache.kafka.common.utils.internals.ByteBufferOutputStream(256), RecordBatch.MAGIC,
                org.apache.kafka.common.compress.Compression.NONE,
                org.apache.kafka.common.record.TimestampType.CREATE_TIME, 10L, -1L, -1L, (short) -1, -1, false,
                false, -1, Integer.MAX_VALUE, horizon);
        kafkaBuilder.append(1_700_000_000_000L, bytes("k"), null);
        kafkaBuilder.append(1_700_000_000_100L, bytes("k2"), bytes("v"));
        assertThat(ours).isEqualTo(kafkaBuilder.build().buffer());

        RecordBatch batch = RecordBatch.wrap(ours);
        assertThat(batch.hasDeleteHorizonMs()).isTrue();
        assertThat(batch.deleteHorizonMs()).isEqualTo(horizon);
        assertThat(batch.records()).extracting(Record::timestamp).containsExactly(1_700_000_000_000L,
                1_700_000_000_100L);
        assertThat(RecordBatch.wrap(batch(Compression.NONE)).deleteHorizonMs()).isEqualTo(RecordBatch.NO_TIMESTAMP);
    }

    @Test
    void wrapIgnoresTheCallersByteOrder() {
        ByteBuffer built = batch(Compression.NONE);
        ByteBuffer little = ByteBuffer.allocate(built.remaining()).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .put(built.duplicate()).flip();
        RecordBatch batch = RecordBatch.wrap(little);
        batch.ensureValid();
        assertThat(batch.records()).hasSize(1);
        assertThat(RecordBatches.iterate(little)).hasSize(1);
        ByteBuffer key = ByteBuffer.allocate(4).putShort((short) 0).putShort((short) 1).flip()
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertThat(ControlRecords.type(key)).isEqualTo(ControlType.COMMIT);
    }

    private static ByteBuffer batch(Compression compression) {
        return RecordBatchBuilder.create(compression).append(1L, bytes("k"), bytes("v"), List.of()).build();
    }
}
