package io.sluice.storage.record;

import static io.sluice.storage.record.RecordBatchHeaderTest.assertCorrupt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.storage.StorageErrorCode;
import io.sluice.storage.StorageException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Malformed batches fail with CORRUPT_BATCH, whatever is wrong with them, and never allocate by a forged length. */
class RecordBatchCorruptionTest {

    /** A batch with a consistent header and a valid CRC around arbitrary records bytes. */
    static ByteBuffer rawBatch(Compression compression, int recordCount, byte[] records) {
        ByteBuffer b = ByteBuffer.allocate(RecordBatch.HEADER_SIZE + records.length);
        b.putLong(0L).putInt(b.capacity() - RecordBatch.LOG_OVERHEAD).putInt(-1).put(RecordBatch.MAGIC).putInt(0)
                .putShort((short) compression.id).putInt(Math.max(0, recordCount - 1)).putLong(10L).putLong(10L)
                .putLong(-1L).putShort((short) -1).putInt(-1).putInt(recordCount).put(records).flip();
        fixCrc(b);
        return b;
    }

    static void fixCrc(ByteBuffer batch) {
        CRC32C crc = new CRC32C();
        crc.update(batch.duplicate().position(RecordBatch.ATTRIBUTES_OFFSET));
        batch.putInt(RecordBatch.CRC_OFFSET, (int) crc.getValue());
    }

    static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    private static void assertRecordsCorrupt(ByteBuffer batch, String messagePart) {
        RecordBatch b = RecordBatch.wrap(batch);
        b.ensureValid(); // the framing and CRC are fine: only the records are wrong
        assertThatThrownBy(b::records)
                .isInstanceOfSatisfying(StorageException.class,
                        e -> assertThat(e.code()).isEqualTo(StorageErrorCode.CORRUPT_BATCH))
                .hasMessageContaining(messagePart);
    }

    @Test
    void wellFormedRawRecordParses() {
        // length 7: attributes 0, tsDelta 0, offsetDelta 0, key null (-1 = 0x01), value "a" (len 1 = 0x02), 0 headers
        ByteBuffer ok = rawBatch(Compression.NONE, 1, bytes(14, 0, 0, 0, 1, 2, 'a', 0));
        assertThat(RecordBatch.wrap(ok).records()).singleElement()
                .satisfies(r -> assertThat(r.valueBytes()).isEqualTo(new byte[] {'a'}));
    }

    @Test
    void absurdKeyLength() {
        // key length 2^30 (zigzag 2^31 = 0x80 0x80 0x80 0x80 0x08)
        assertRecordsCorrupt(rawBatch(Compression.NONE, 1, bytes(20, 0, 0, 0, 0x80, 0x80, 0x80, 0x80, 0x08, 1, 0)),
                "key length");
    }

    @Test
    void absurdRecordLength() {
        assertRecordsCorrupt(rawBatch(Compression.NONE, 1, bytes(0xfe, 0xff, 0xff, 0xff, 0x07, 0, 0, 0, 1, 1, 0)),
                "declares length");
    }

    @Test
    void negativeRecordLengthAndValueLength() {
        assertRecordsCorrupt(rawBatch(Compression.NONE, 1, bytes(3, 0, 0, 0, 1, 1, 0)), "declares length");
        // value length -2
        assertRecordsCorrupt(rawBatch(Compression.NONE, 1, bytes(14, 0, 0, 0, 1, 3, 0, 0)), "value length");
    }

    @Test
    void absurdHeaderCountAndHeaderLengths() {
        // header count 2^30
        assertRecordsCorrupt(rawBatch(Compression.NONE, 1, bytes(20, 0, 0, 0, 1, 1, 0x80, 0x80, 0x80, 0x80, 0x08)),
                "headers");
        // one header, key length 100
        assertRecordsCorrupt(rawBatch(Compression.NONE, 1, bytes(18, 0, 0, 0, 1, 1, 2, 0xc8, 1, 1)),
                "header key length");
        // one header, key "" and value length 100
        assertRecordsCorrupt(rawBatch(Compression.NONE, 1, bytes(18, 0, 0, 0, 1, 1, 2, 0, 0xc8, 1)),
                "header value length");
        // one header with a null key
        assertRecordsCorrupt(rawBatch(Compression.NONE, 1, bytes(16, 0, 0, 0, 1, 1, 2, 1, 1)),
                "header key length");
    }

    @Test
    void overlongVarint() {
        assertRecordsCorrupt(rawBatch(Compression.NONE, 1,
                bytes(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0, 0, 0, 0, 1, 1, 0)), "longer than 5 bytes");
        assertRecordsCorrupt(rawBatch(Compression.NONE, 1, bytes(32, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                0xff, 0xff, 0xff, 0xff, 0, 1, 1, 0)), "longer than 10 bytes");
    }

    @Test
    void fieldsLongerOrShorterThanTheDeclaredRecordLength() {
        // declares 8 bytes but the fields take 7: one stray byte inside the record
        assertRecordsCorrupt(rawBatch(Compression.NONE, 1, bytes(16, 0, 0, 0, 1, 2, 'a', 0, 0)), "fields take");
        // declares 6 but value runs past it
        assertRecordsCorrupt(rawBatch(Compression.NONE, 1, bytes(12, 0, 0, 0, 1, 2, 'a', 0)), "");
    }

    @Test
    void countDisagreesWithTheRecords() {
        byte[] one = bytes(14, 0, 0, 0, 1, 2, 'a', 0);
        assertRecordsCorrupt(rawBatch(Compression.NONE, 2, one), "varint runs past");
        assertRecordsCorrupt(rawBatch(Compression.NONE, Integer.MAX_VALUE, one), "varint runs past");
        assertRecordsCorrupt(rawBatch(Compression.NONE, 0, one), "left after the declared 0 records");
        byte[] two = new byte[16];
        System.arraycopy(one, 0, two, 0, 8);
        System.arraycopy(one, 0, two, 8, 8);
        assertRecordsCorrupt(rawBatch(Compression.NONE, 1, two), "left after the declared 1 records");
    }

    @Test
    void headerLevelCorruption() {
        ByteBuffer negativeCount = rawBatch(Compression.NONE, -1, new byte[0]);
        assertCorrupt(() -> RecordBatch.wrap(negativeCount).ensureValid());
        assertCorrupt(() -> RecordBatch.wrap(negativeCount).records());

        ByteBuffer unknownCodec = rawBatch(Compression.NONE, 1, bytes(14, 0, 0, 0, 1, 2, 'a', 0));
        unknownCodec.putShort(RecordBatch.ATTRIBUTES_OFFSET, (short) 5);
        fixCrc(unknownCodec);
        assertCorrupt(() -> RecordBatch.wrap(unknownCodec).ensureValid());
        assertCorrupt(() -> RecordBatch.wrap(unknownCodec).records());

        ByteBuffer oldMagic = rawBatch(Compression.NONE, 1, bytes(14, 0, 0, 0, 1, 2, 'a', 0));
        oldMagic.put(RecordBatch.MAGIC_OFFSET, (byte) 1);
        assertThat(RecordBatch.wrap(oldMagic).isValid()).isFalse();
        assertCorrupt(() -> RecordBatch.wrap(oldMagic).ensureValid());
        assertCorrupt(() -> RecordBatch.wrap(oldMagic).records());
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void garbageInsteadOfACompressedBlock(Compression compression) {
        byte[] garbage = new byte[200];
        new java.util.Random(compression.id).nextBytes(garbage);
        assertRecordsCorrupt(rawBatch(compression, 3, garbage), "");
        assertRecordsCorrupt(rawBatch(compression, 3, new byte[0]), "");
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void truncatedCompressedBlock(Compression compression) {
        ByteBuffer good = RecordBatchBuilder.create(compression)
                .append(1L, null, "abcdefgh".repeat(20_000).getBytes(), List.of()).build();
        byte[] block = new byte[(good.remaining() - RecordBatch.HEADER_SIZE) / 2];
        good.get(RecordBatch.HEADER_SIZE, block);
        assertRecordsCorrupt(rawBatch(compression, 1, block), "");
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void decompressionBeyondTheCapIsRefused(Compression compression) {
        ByteBuffer bomb = RecordBatchBuilder.create(compression)
                .append(1L, null, new byte[4 << 20], List.of()).build();
        RecordBatch batch = RecordBatch.wrap(bomb);
        batch.ensureValid();
        assertThat(batch.sizeInBytes()).isLessThan(256 << 10);
        assertThatThrownBy(() -> batch.records(1 << 20))
                .isInstanceOfSatisfying(StorageException.class,
                        e -> assertThat(e.code()).isEqualTo(StorageErrorCode.CORRUPT_BATCH))
                .hasMessageContaining("more than " + (1 << 20));
        assertThat(batch.records(5 << 20)).hasSize(1);
    }

    @Test
    void snappyChunkDeclaringAHugeLengthIsRefusedBeforeAllocating() {
        // xerial header, then a 6-byte chunk whose snappy preamble declares 2^31 - 1 bytes
        byte[] block = bytes(0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0, 0, 0, 0, 1, 0, 0, 0, 1,
                0, 0, 0, 6, 0xff, 0xff, 0xff, 0xff, 0x07, 0);
        // snappy-java rejects it itself since 1.1.10.1; our cap would otherwise
        assertRecordsCorrupt(rawBatch(Compression.SNAPPY, 1, block), "SNAPPY records block");
        // the same chunk with a length pointing past the end
        byte[] pastEnd = block.clone();
        pastEnd[19] = 60;
        assertRecordsCorrupt(rawBatch(Compression.SNAPPY, 1, pastEnd), "snappy chunk length");
    }

    @Test
    void rawSnappyWithoutFramingIsAccepted() throws Exception {
        // what non-Java clients may send: one snappy block, no xerial header
        ByteBuffer plain = RecordBatchBuilder.create(Compression.NONE).append(3L, null, "hello".getBytes(),
                List.of()).build();
        byte[] recordBytes = new byte[plain.remaining() - RecordBatch.HEADER_SIZE];
        plain.get(RecordBatch.HEADER_SIZE, recordBytes);
        ByteBuffer batch = rawBatch(Compression.SNAPPY, 1, org.xerial.snappy.Snappy.compress(recordBytes));
        assertThat(RecordBatch.wrap(batch).records()).singleElement()
                .satisfies(r -> assertThat(r.valueBytes()).isEqualTo("hello".getBytes()));
    }

    @Test
    void appendChecksMirrorKafkasClientBatchValidation() {
        ByteBuffer good = RecordBatchBuilder.create(Compression.NONE).producer(5L, (short) 0, 0)
                .append(1L, (byte[]) null, new byte[1], List.of()).append(2L, (byte[]) null, new byte[1], List.of())
                .build();
        RecordBatch.wrap(good).ensureValidForAppend(false);
        RecordBatch.wrap(good).ensureRecordsValid();

        ByteBuffer spansMore = good.duplicate();
        spansMore.putInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET, 5);
        fixCrc(spansMore);
        assertCorrupt(() -> RecordBatch.wrap(spansMore).ensureValidForAppend(false));

        ByteBuffer noSequence = RecordBatchBuilder.create(Compression.NONE).producer(5L, (short) 0, -1)
                .append(1L, (byte[]) null, null, List.of()).build();
        assertCorrupt(() -> RecordBatch.wrap(noSequence).ensureValidForAppend(false));

        ByteBuffer marker = ControlRecords.marker(ControlType.COMMIT, 5L, (short) 0, 1, 1L);
        assertCorrupt(() -> RecordBatch.wrap(marker).ensureValidForAppend(false));
        RecordBatch.wrap(marker).ensureValidForAppend(true);

        ByteBuffer empty = rawBatch(Compression.NONE, 0, new byte[0]);
        RecordBatch.wrap(empty).ensureValid(); // compaction may leave empty batches in a log
        assertCorrupt(() -> RecordBatch.wrap(empty).ensureValidForAppend(false));

        // two records with offset deltas 0 and 5
        ByteBuffer gap = rawBatch(Compression.NONE, 2, bytes(14, 0, 0, 0, 1, 2, 'a', 0, 14, 0, 0, 10, 1, 2, 'b', 0));
        RecordBatch.wrap(gap).ensureValidForAppend(false);
        assertThatThrownBy(() -> RecordBatch.wrap(gap).ensureRecordsValid()).hasMessageContaining("offset delta 5");
    }
}
