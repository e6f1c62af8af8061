package io.sluice.storage.record;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.storage.TimestampType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.MutableRecordBatch;

/**
 * A batch described independently of either implementation, with generators for property tests and the two ways
 * to write it: our {@link RecordBatchBuilder} and kafka-clients' {@code MemoryRecordsBuilder} (the oracle).
 */
record BatchSpec(Compression compression, TimestampType timestampType, long baseOffset, int partitionLeaderEpoch,
                 long producerId, short producerEpoch, int baseSequence, boolean transactional,
                 List<RecordSpec> records) {

    record RecordSpec(long timestamp, byte[] key, byte[] value, List<Header> headers) {
    }

    // ---- generators ----

    static Arbitrary<BatchSpec> batches() {
        Arbitrary<Compression> compression = Arbitraries.of(Compression.class);
        Arbitrary<TimestampType> timestampType = Arbitraries.of(TimestampType.class);
        Arbitrary<Long> baseOffset = Arbitraries.oneOf(Arbitraries.just(0L), Arbitraries.longs().between(0, 1L << 50));
        Arbitrary<Integer> epoch = Arbitraries.integers().between(-1, 10_000);
        // 0: no producer, 1: idempotent, 2: transactional
        Arbitrary<Integer> producerKind = Arbitraries.integers().between(0, 2);
        Arbitrary<Long> producerId = Arbitraries.longs().between(0, Long.MAX_VALUE);
        Arbitrary<Short> producerEpoch = Arbitraries.shorts().between((short) 0, Short.MAX_VALUE);
        Arbitrary<Integer> baseSequence = Arbitraries.oneOf(Arbitraries.integers().between(0, 1000),
                Arbitraries.integers().between(Integer.MAX_VALUE - 30, Integer.MAX_VALUE));
        Arbitrary<List<RecordSpec>> records = recordSpecs().list().ofMinSize(1).ofMaxSize(25);
        return Combinators.combine(compression, timestampType, baseOffset, epoch, producerKind, producerId,
                        producerEpoch, baseSequence)
                .as((c, t, o, e, kind, pid, pe, seq) -> new Object[] {c, t, o, e, kind, pid, pe, seq})
                .flatMap(a -> records.map(rs -> {
                    int kind = (Integer) a[4];
                    return new BatchSpec((Compression) a[0], (TimestampType) a[1], (Long) a[2], (Integer) a[3],
                            kind == 0 ? -1L : (Long) a[5], kind == 0 ? (short) -1 : (Short) a[6],
                            kind == 0 ? -1 : (Integer) a[7], kind == 2, rs);
                }));
    }

    static Arbitrary<RecordSpec> recordSpecs() {
        Arbitrary<Long> timestamp = Arbitraries.oneOf(Arbitraries.just(-1L),
                Arbitraries.longs().between(0, 1L << 45), Arbitraries.longs().between(1_700_000_000_000L,
                        1_700_000_100_000L));
        Arbitrary<byte[]> key = bytes(40).injectNull(0.2);
        Arbitrary<byte[]> value = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, bytes(300)), net.jqwik.api.Tuple.of(1, compressible())).injectNull(0.1);
        Arbitrary<Header> header = Combinators.combine(headerKey(), bytes(30).injectNull(0.2)).as(Header::new);
        return Combinators.combine(timestamp, key, value, header.list().ofMaxSize(4)).as(RecordSpec::new);
    }

    static Arbitrary<byte[]> bytes(int maxLength) {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(maxLength);
    }

    /** Repetitive values, so compressed batches really shrink and span several codec blocks. */
    static Arbitrary<byte[]> compressible() {
        return Combinators.combine(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8),
                        Arbitraries.integers().between(1, 4_000))
                .as((s, n) -> s.repeat(n).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static Arbitrary<String> headerKey() {
        // multi-byte UTF-8, including a supplementary character, must survive both writers
        return Combinators.combine(Arbitraries.strings().withCharRange('a', 'z').withChars('-', '.', 'é', '日', '€')
                        .ofMaxLength(12), Arbitraries.of("", "", "\uD83D\uDE00"))
                .as(String::concat);
    }

    // ---- writers ----

    ByteBuffer buildWithSluice() {
        RecordBatchBuilder b = RecordBatchBuilder.create(compression)
                .baseOffset(baseOffset)
                .timestampType(timestampType)
                .producer(producerId, producerEpoch, baseSequence)
                .transactional(transactional)
                .partitionLeaderEpoch(partitionLeaderEpoch);
        for (RecordSpec r : records) {
            b.append(r.timestamp(), r.key(), r.value(), r.headers());
        }
        return b.build();
    }

    /** Writes the batch with kafka-clients; under LogAppendTime Kafka stamps {@code logAppendTime} itself. */
    ByteBuffer buildWithKafka(long logAppendTime) {
        MemoryRecordsBuilder b = MemoryRecords.builder(ByteBuffer.allocate(1024), RecordBatch.MAGIC,
                kafkaCompression(compression), kafkaTimestampType(timestampType), baseOffset, logAppendTime,
                producerId, producerEpoch, baseSequence, transactional, partitionLeaderEpoch);
        for (RecordSpec r : records) {
            b.append(r.timestamp(), r.key(), r.value(), kafkaHeaders(r.headers()));
        }
        return b.build().buffer();
    }

    // ---- expectations ----

    /** Checks every header field and record of {@code batch} (parsed by us) against this spec. */
    void assertMatches(RecordBatch batch, long expectedLogAppendTime) {
        batch.ensureValid();
        assertThat(batch.magic()).isEqualTo(RecordBatch.MAGIC);
        assertThat(batch.baseOffset()).isEqualTo(baseOffset);
        assertThat(batch.partitionLeaderEpoch()).isEqualTo(partitionLeaderEpoch);
        assertThat(batch.compression()).isEqualTo(compression);
        assertThat(batch.timestampType()).isEqualTo(timestampType);
        assertThat(batch.isTransactional()).isEqualTo(transactional);
        assertThat(batch.isControl()).isFalse();
        assertThat(batch.producerId()).isEqualTo(producerId);
        assertThat(batch.producerEpoch()).isEqualTo(producerEpoch);
        assertThat(batch.baseSequence()).isEqualTo(baseSequence);
        assertThat(batch.hasProducerId()).isEqualTo(producerId >= 0);
        assertThat(batch.recordCount()).isEqualTo(records.size());
        assertThat(batch.lastOffsetDelta()).isEqualTo(records.size() - 1);
        assertThat(batch.lastOffset()).isEqualTo(baseOffset + records.size() - 1);
        assertThat(batch.lastSequence())
                .isEqualTo(RecordBatch.incrementSequence(baseSequence, records.size() - 1));
        assertThat(batch.baseTimestamp()).isEqualTo(records.get(0).timestamp());
        long maxTimestamp = records.stream().mapToLong(RecordSpec::timestamp).max().orElseThrow();
        assertThat(batch.maxTimestamp()).isEqualTo(
                timestampType == TimestampType.LOG_APPEND_TIME && expectedLogAppendTime != Long.MIN_VALUE
                        ? expectedLogAppendTime : maxTimestamp);
        List<Record> got = batch.records();
        assertThat(got).hasSize(records.size());
        for (int i = 0; i < records.size(); i++) {
            RecordSpec want = records.get(i);
            Record r = got.get(i);
            assertThat(r.offset()).isEqualTo(baseOffset + i);
            assertThat(r.timestamp()).isEqualTo(timestampType == TimestampType.LOG_APPEND_TIME
                    ? batch.maxTimestamp() : want.timestamp());
            assertThat(r.keyBytes()).isEqualTo(want.key());
            assertThat(r.valueBytes()).isEqualTo(want.value());
            assertThat(r.headers()).hasSize(want.headers().size());
            for (int h = 0; h < want.headers().size(); h++) {
                assertThat(r.headers().get(h).key()).isEqualTo(want.headers().get(h).key());
                assertThat(r.headers().get(h).value()).isEqualTo(want.headers().get(h).value());
            }
        }
        List<Record> iterated = new ArrayList<>();
        batch.iterator().forEachRemaining(iterated::add);
        assertThat(iterated).hasSameSizeAs(got);
    }

    /** Checks every header field and record of {@code batch} (parsed by kafka-clients) against this spec. */
    void assertMatches(MutableRecordBatch batch) {
        batch.ensureValid();
        assertThat(batch.isValid()).isTrue();
        assertThat(batch.magic()).isEqualTo(RecordBatch.MAGIC);
        assertThat(batch.baseOffset()).isEqualTo(baseOffset);
        assertThat(batch.partitionLeaderEpoch()).isEqualTo(partitionLeaderEpoch);
        assertThat((int) batch.compressionType().id).isEqualTo(compression.id);
        assertThat((int) batch.timestampType().id).isEqualTo(timestampType.ordinal());
        assertThat(batch.isTransactional()).isEqualTo(transactional);
        assertThat(batch.isControlBatch()).isFalse();
        assertThat(batch.producerId()).isEqualTo(producerId);
        assertThat(batch.producerEpoch()).isEqualTo(producerEpoch);
        assertThat(batch.baseSequence()).isEqualTo(baseSequence);
        assertThat(batch.lastSequence()).isEqualTo(RecordBatch.incrementSequence(baseSequence, records.size() - 1));
        assertThat(batch.countOrNull()).isEqualTo(records.size());
        assertThat(batch.lastOffset()).isEqualTo(baseOffset + records.size() - 1);
        long maxTimestamp = records.stream().mapToLong(RecordSpec::timestamp).max().orElseThrow();
        assertThat(batch.maxTimestamp()).isEqualTo(maxTimestamp);
        int i = 0;
        try (var it = batch.streamingIterator(org.apache.kafka.common.utils.internals.BufferSupplier.NO_CACHING)) {
            while (it.hasNext()) {
                org.apache.kafka.common.record.internal.Record r = it.next();
                RecordSpec want = records.get(i);
                assertThat(r.offset()).isEqualTo(baseOffset + i);
                assertThat(r.timestamp()).isEqualTo(timestampType == TimestampType.LOG_APPEND_TIME
                        ? maxTimestamp : want.timestamp());
                assertThat(toArray(r.key())).isEqualTo(want.key());
                assertThat(toArray(r.value())).isEqualTo(want.value());
                var headers = r.headers();
                assertThat(headers).hasSize(want.headers().size());
                for (int h = 0; h < headers.length; h++) {
                    assertThat(headers[h].key()).isEqualTo(want.headers().get(h).key());
                    assertThat(headers[h].value()).isEqualTo(want.headers().get(h).value());
                }
                i++;
            }
        }
        assertThat(i).isEqualTo(records.size());
    }

    // ---- conversions ----

    static org.apache.kafka.common.compress.Compression kafkaCompression(Compression c) {
        return switch (c) {
            case NONE -> org.apache.kafka.common.compress.Compression.NONE;
            case GZIP -> org.apache.kafka.common.compress.Compression.gzip().build();
            case SNAPPY -> org.apache.kafka.common.compress.Compression.snappy().build();
            case LZ4 -> org.apache.kafka.common.compress.Compression.lz4().build();
            case ZSTD -> org.apache.kafka.common.compress.Compression.zstd().build();
        };
    }

    static org.apache.kafka.common.record.TimestampType kafkaTimestampType(TimestampType t) {
        return t == TimestampType.LOG_APPEND_TIME ? org.apache.kafka.common.record.TimestampType.LOG_APPEND_TIME
                : org.apache.kafka.common.record.TimestampType.CREATE_TIME;
    }

    static org.apache.kafka.common.header.Header[] kafkaHeaders(List<Header> headers) {
        return headers.stream().map(h -> new RecordHeader(h.key(), h.value()))
                .toArray(org.apache.kafka.common.header.Header[]::new);
    }

    static byte[] toArray(ByteBuffer b) {
        if (b == null) {
            return null;
        }
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    @Override
    public String toString() {
        return "BatchSpec(" + compression + ", " + timestampType + ", baseOffset=" + baseOffset + ", pid=" + producerId
                + ", epoch=" + producerEpoch + ", seq=" + baseSequence + ", txn=" + transactional + ", records="
                + records.size() + ", first=" + (records.isEmpty() ? "" : Arrays.toString(records.get(0).key()))
                + ")";
    }
}
