package io.sluice.storage.record;

import io.sluice.storage.StorageErrorCode;
import io.sluice.storage.StorageException;
import io.sluice.storage.TimestampType;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * A zero-copy view of one record batch in the v2 format (Kafka's "magic 2"), the unit the log stores, replicates
 * and serves. The bytes are exactly Kafka's, so a Kafka produce request's batches are appended as they arrive and a
 * fetch response is a slice of a segment file.
 *
 * <h2>Byte layout</h2>
 * All integers are big-endian; offsets are from the start of the batch.
 * <pre>
 *  0  baseOffset            int64   offset of the first record; assigned by the log on append
 *  8  batchLength           int32   bytes after this field (total size - 12)
 * 12  partitionLeaderEpoch  int32   leader epoch when appended; -1 if none
 * 16  magic                 int8    always 2
 * 17  crc                   uint32  CRC-32C (Castagnoli) of bytes 21 .. end
 * ---- covered by the CRC from here on ----
 * 21  attributes            int16   bits 0-2 compression (0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd)
 *                                   bit 3 timestamp type (0 CreateTime, 1 LogAppendTime)
 *                                   bit 4 transactional, bit 5 control, bit 6 baseTimestamp is a delete horizon
 * 23  lastOffsetDelta       int32   offset of the last record minus baseOffset
 * 27  baseTimestamp         int64   timestamp of the first record (or the delete horizon, see bit 6)
 * 35  maxTimestamp          int64   largest record timestamp; the append time under LogAppendTime
 * 43  producerId            int64   -1 if not idempotent
 * 51  producerEpoch         int16   -1 if not idempotent
 * 53  baseSequence          int32   sequence of the first record, -1 if not idempotent
 * 57  recordCount           int32
 * 61  records               the records, back to back; if compressed, all of them as one compressed block
 * </pre>
 * Each record (lengths and deltas are zigzag varints, as in protobuf's sint32/sint64):
 * <pre>
 * length varint (bytes after this field) | attributes int8 (unused, 0) | timestampDelta varlong |
 * offsetDelta varint | keyLength varint (-1: null key) | key | valueLength varint (-1: null value) | value |
 * headerCount varint | headers: (keyLength varint | key UTF-8 | valueLength varint (-1: null) | value)*
 * </pre>
 * A control batch (bit 5) holds one record whose key is {@code version int16 (0) | type int16} (0 ABORT, 1 COMMIT)
 * and whose value is {@code version int16 (0) | coordinatorEpoch int32}; see {@link ControlRecords}.
 *
 * <h2>Invariants and why</h2>
 * <ul>
 *   <li>The CRC starts at the attributes and so excludes baseOffset, batchLength, partitionLeaderEpoch and magic:
 *       the broker rewrites baseOffset and partitionLeaderEpoch on every append (it assigns offsets), and excluding
 *       them lets it do so in place, without recomputing a checksum over the records or touching compressed data.
 *       The magic sits before the CRC because a reader must know the format before it knows where the CRC is.</li>
 *   <li>Record offsets and timestamps are deltas from the header, so rewriting baseOffset renumbers the whole batch
 *       and setting LogAppendTime ({@link #setLogAppendTime}) changes one header field; only the latter is covered
 *       by the CRC, which is therefore recomputed.</li>
 *   <li>The producer fields make idempotence a per-batch check: the log keeps the last sequences per producer and
 *       compares each incoming batch's baseSequence/lastSequence, never looking at records.</li>
 *   <li>A batch may hold zero records (compaction keeps an emptied batch to preserve its producer state), so
 *       lastOffsetDelta, not recordCount, gives the offsets a batch occupies. A batch a client appends must have
 *       lastOffsetDelta + 1 == recordCount ({@link #ensureValidForAppend}).</li>
 *   <li>The checksum is CRC-32C rather than the zip CRC-32 because CPUs compute it in hardware (SSE 4.2, ARMv8),
 *       which {@link CRC32C} uses: every append and every read from disk checks it.</li>
 *   <li>The header is never compressed and the records are compressed as one block: the broker validates,
 *       renumbers and indexes a batch from its header alone, and one block compresses better than records
 *       compressed one by one, since records of a batch tend to repeat each other.</li>
 *   <li>Lengths are zigzag varints so that the common -1 (null) and small values take one byte.</li>
 *   <li>Under LogAppendTime the records keep the producer's timestamps on disk but every reader reports
 *       maxTimestamp for each of them, so stamping a batch never rewrites (or recompresses) its records.</li>
 *   <li>Decompression is capped ({@link #DEFAULT_MAX_DECOMPRESSED_BYTES}): a few KiB of zstd can expand to
 *       gigabytes, and a broker must not let one produce request exhaust its heap.</li>
 * </ul>
 *
 * <h2>Contract</h2>
 * A view shares its bytes with the buffer it wraps: writes through the setters are visible there and vice versa.
 * Header accessors read the buffer each time and never validate; call {@link #ensureValid()} on untrusted input
 * before trusting any field. {@link #records()} validates the record framing as it decodes and fails with
 * {@link StorageErrorCode#CORRUPT_BATCH}, never with another exception, whatever the bytes. Views are not
 * thread-safe for the setters; concurrent reads of an unchanging buffer are safe.
 */
public final class RecordBatch implements Iterable<Record> {
    /** Bytes before the first record. */
    public static final int HEADER_SIZE = 61;
    /** Bytes before batchLength counts: baseOffset and batchLength themselves. */
    public static final int LOG_OVERHEAD = 12;
    /** The only magic (format version) this class reads and writes. */
    public static final byte MAGIC = 2;
    /** The value of producerId, producerEpoch and baseSequence in a batch without an idempotent producer. */
    public static final long NO_PRODUCER_ID = -1L;
    public static final short NO_PRODUCER_EPOCH = -1;
    public static final int NO_SEQUENCE = -1;
    public static final int NO_PARTITION_LEADER_EPOCH = -1;
    /** Timestamp of a record without one (clients older than Kafka 0.10 still send it). */
    public static final long NO_TIMESTAMP = -1L;
    /**
     * Default cap on the decompressed size of one batch's records, 64 MiB. A batch is at most a few MiB on the
     * wire, and a compression ratio above ~60 on real data is rare; anything beyond the cap is treated as a
     * decompression bomb ({@link StorageErrorCode#CORRUPT_BATCH}). Override per call with
     * {@link #records(int)}.
     */
    public static final int DEFAULT_MAX_DECOMPRESSED_BYTES = 64 << 20;

    static final int BASE_OFFSET_OFFSET = 0;
    static final int LENGTH_OFFSET = 8;
    static final int PARTITION_LEADER_EPOCH_OFFSET = 12;
    static final int MAGIC_OFFSET = 16;
    static final int CRC_OFFSET = 17;
    static final int ATTRIBUTES_OFFSET = 21;
    static final int LAST_OFFSET_DELTA_OFFSET = 23;
    static final int BASE_TIMESTAMP_OFFSET = 27;
    static final int MAX_TIMESTAMP_OFFSET = 35;
    static final int PRODUCER_ID_OFFSET = 43;
    static final int PRODUCER_EPOCH_OFFSET = 51;
    static final int BASE_SEQUENCE_OFFSET = 53;
    static final int RECORD_COUNT_OFFSET = 57;

    static final int COMPRESSION_MASK = 0x07;
    static final int TIMESTAMP_TYPE_MASK = 0x08;
    static final int TRANSACTIONAL_MASK = 0x10;
    static final int CONTROL_MASK = 0x20;
    static final int DELETE_HORIZON_MASK = 0x40;

    private final ByteBuffer buffer;

    private RecordBatch(ByteBuffer buffer) {
        this.buffer = buffer;
    }

    /**
     * A view of the batch starting at {@code buf.position()}. The caller's position, limit and byte order are not
     * changed or used (the format is big-endian); a read-only buffer gives a view whose setters throw
     * {@link java.nio.ReadOnlyBufferException}.
     *
     * @throws StorageException {@link StorageErrorCode#CORRUPT_BATCH} if fewer than {@link #HEADER_SIZE} bytes
     *                          remain, or batchLength is smaller than a header or larger than what remains
     */
    public static RecordBatch wrap(ByteBuffer buf) {
        int start = buf.position();
        int remaining = buf.remaining();
        if (remaining < HEADER_SIZE) {
            throw corrupt("batch needs at least " + HEADER_SIZE + " bytes, " + remaining + " remain");
        }
        // a slice is big-endian whatever the caller's byte order
        int batchLength = buf.slice(start, LOG_OVERHEAD).getInt(LENGTH_OFFSET);
        if (batchLength < HEADER_SIZE - LOG_OVERHEAD) {
            throw corrupt("batchLength " + batchLength + " is smaller than a batch header");
        }
        if (batchLength > remaining - LOG_OVERHEAD) {
            throw corrupt("batchLength " + batchLength + " exceeds the " + (remaining - LOG_OVERHEAD)
                    + " bytes available");
        }
        return new RecordBatch(buf.slice(start, batchLength + LOG_OVERHEAD));
    }

    /** The batch's bytes: a slice exactly {@link #sizeInBytes()} long, position 0; shares content with the view. */
    public ByteBuffer buffer() {
        return buffer.duplicate();
    }

    public long baseOffset() {
        return buffer.getLong(BASE_OFFSET_OFFSET);
    }

    /** Rewrites the base offset in place; not covered by the CRC, so the batch stays valid. */
    public void setBaseOffset(long baseOffset) {
        buffer.putLong(BASE_OFFSET_OFFSET, baseOffset);
    }

    public int batchLength() {
        return buffer.getInt(LENGTH_OFFSET);
    }

    /** Total size of the batch: {@code batchLength() + LOG_OVERHEAD}. */
    public int sizeInBytes() {
        return buffer.limit();
    }

    public int partitionLeaderEpoch() {
        return buffer.getInt(PARTITION_LEADER_EPOCH_OFFSET);
    }

    /** Rewrites the leader epoch in place; not covered by the CRC, so the batch stays valid. */
    public void setPartitionLeaderEpoch(int epoch) {
        buffer.putInt(PARTITION_LEADER_EPOCH_OFFSET, epoch);
    }

    public byte magic() {
        return buffer.get(MAGIC_OFFSET);
    }

    /** The stored CRC, unsigned. */
    public long crc() {
        return Integer.toUnsignedLong(buffer.getInt(CRC_OFFSET));
    }

    /** CRC-32C of the bytes from the attributes to the end of the batch, as the crc field should hold. */
    public long computeCrc() {
        CRC32C crc = new CRC32C();
        crc.update(buffer.duplicate().position(ATTRIBUTES_OFFSET));
        return crc.getValue();
    }

    /** Whether the magic is 2 and the stored CRC matches; never throws. */
    public boolean isValid() {
        return magic() == MAGIC && crc() == computeCrc();
    }

    /**
     * Checks what can be checked without decoding records: the magic, the CRC, a known compression codec and
     * non-negative record count and offset delta.
     *
     * @throws StorageException {@link StorageErrorCode#CORRUPT_BATCH} naming the first check that failed
     */
    public void ensureValid() {
        if (magic() != MAGIC) {
            throw corrupt("unsupported magic " + magic() + " (only " + MAGIC + " is supported) in batch at offset "
                    + baseOffset());
        }
        long stored = crc();
        long computed = computeCrc();
        if (stored != computed) {
            throw corrupt("batch at offset " + baseOffset() + " is corrupt: stored crc 0x" + Long.toHexString(stored)
                    + " != computed crc 0x" + Long.toHexString(computed) + " over " + (sizeInBytes()
                    - ATTRIBUTES_OFFSET) + " bytes");
        }
        compression();
        if (recordCount() < 0) {
            throw corrupt("negative record count " + recordCount() + " in batch at offset " + baseOffset());
        }
        if (lastOffsetDelta() < 0) {
            throw corrupt("negative lastOffsetDelta " + lastOffsetDelta() + " in batch at offset " + baseOffset());
        }
    }

    /**
     * {@link #ensureValid()} plus the batch-level checks a broker applies to a batch a client produced, as Kafka's
     * log validator does: at least one record; lastOffsetDelta + 1 equal to the record count (the log renumbers a
     * batch by rewriting baseOffset, which is only right if the batch occupies exactly recordCount offsets); a
     * transactional batch carries a producer id; an idempotent batch a sequence; and only the broker itself
     * ({@code coordinatorWrite}) writes control batches. Reads the header only.
     *
     * @throws StorageException {@link StorageErrorCode#CORRUPT_BATCH} naming the first check that failed
     */
    public void ensureValidForAppend(boolean coordinatorWrite) {
        ensureValid();
        int count = recordCount();
        if (count <= 0) {
            throw corrupt("batch at offset " + baseOffset() + " declares " + count + " records");
        }
        if ((long) lastOffsetDelta() + 1 != count) {
            throw corrupt("batch at offset " + baseOffset() + " spans " + ((long) lastOffsetDelta() + 1)
                    + " offsets but declares " + count + " records");
        }
        if (isControl() && !coordinatorWrite) {
            throw corrupt("clients may not write control batches (batch at offset " + baseOffset() + ")");
        }
        if (isTransactional() && !hasProducerId()) {
            throw corrupt("transactional batch at offset " + baseOffset() + " has no producer id");
        }
        if (!isControl() && hasProducerId() && baseSequence() < 0) {
            throw corrupt("batch at offset " + baseOffset() + " of producer " + producerId()
                    + " has invalid sequence " + baseSequence());
        }
    }

    /**
     * Decodes every record (decompressing if needed) and checks that the records are well formed and their offset
     * deltas run 0, 1, 2... as the header implies; the deep counterpart of {@link #ensureValidForAppend}, costing a
     * full decode.
     *
     * @throws StorageException {@link StorageErrorCode#CORRUPT_BATCH} on the first malformed record
     */
    public void ensureRecordsValid() {
        long base = baseOffset();
        int i = 0;
        for (Record r : records()) {
            if (r.offset() - base != i) {
                throw corrupt("record " + i + " of batch at offset " + base + " has offset delta "
                        + (r.offset() - base));
            }
            i++;
        }
    }

    public short attributes() {
        return buffer.getShort(ATTRIBUTES_OFFSET);
    }

    /** @throws StorageException {@link StorageErrorCode#CORRUPT_BATCH} if bits 0-2 name no known codec */
    public Compression compression() {
        int id = attributes() & COMPRESSION_MASK;
        return switch (id) {
            case 0 -> Compression.NONE;
            case 1 -> Compression.GZIP;
            case 2 -> Compression.SNAPPY;
            case 3 -> Compression.LZ4;
            case 4 -> Compression.ZSTD;
            default -> throw corrupt("unknown compression id " + id + " in batch at offset " + baseOffset());
        };
    }

    public TimestampType timestampType() {
        return (attributes() & TIMESTAMP_TYPE_MASK) != 0 ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME;
    }

    public boolean isTransactional() {
        return (attributes() & TRANSACTIONAL_MASK) != 0;
    }

    public boolean isControl() {
        return (attributes() & CONTROL_MASK) != 0;
    }

    /** Whether baseTimestamp holds the time after which compaction may drop tombstones (Kafka KIP-534). */
    public boolean hasDeleteHorizonMs() {
        return (attributes() & DELETE_HORIZON_MASK) != 0;
    }

    /**
     * The time after which compaction may remove this batch's tombstones and aborted-transaction markers, or -1 if
     * none is set. Under bit 6 the baseTimestamp field holds it, and record timestamps are deltas from it.
     */
    public long deleteHorizonMs() {
        return hasDeleteHorizonMs() ? baseTimestamp() : NO_TIMESTAMP;
    }

    public int lastOffsetDelta() {
        return buffer.getInt(LAST_OFFSET_DELTA_OFFSET);
    }

    public long lastOffset() {
        return baseOffset() + lastOffsetDelta();
    }

    public long nextOffset() {
        return lastOffset() + 1;
    }

    public long baseTimestamp() {
        return buffer.getLong(BASE_TIMESTAMP_OFFSET);
    }

    public long maxTimestamp() {
        return buffer.getLong(MAX_TIMESTAMP_OFFSET);
    }

    /**
     * Stamps the batch with the broker's append time, as Kafka does for LogAppendTime topics: sets the timestamp
     * type bit and maxTimestamp, leaves the records untouched (readers then report {@code timestamp} for every
     * record) and recomputes the CRC, which covers both fields. A no-op if the batch already says so.
     */
    public void setLogAppendTime(long timestamp) {
        short attributes = attributes();
        if ((attributes & TIMESTAMP_TYPE_MASK) != 0 && maxTimestamp() == timestamp) {
            return;
        }
        buffer.putShort(ATTRIBUTES_OFFSET, (short) (attributes | TIMESTAMP_TYPE_MASK));
        buffer.putLong(MAX_TIMESTAMP_OFFSET, timestamp);
        buffer.putInt(CRC_OFFSET, (int) computeCrc());
    }

    public long producerId() {
        return buffer.getLong(PRODUCER_ID_OFFSET);
    }

    public short producerEpoch() {
        return buffer.getShort(PRODUCER_EPOCH_OFFSET);
    }

    public int baseSequence() {
        return buffer.getInt(BASE_SEQUENCE_OFFSET);
    }

    /**
     * Sequence of the last record: baseSequence + lastOffsetDelta, wrapping past {@link Integer#MAX_VALUE} to 0 as
     * producers do; {@link #NO_SEQUENCE} if the batch has none.
     */
    public int lastSequence() {
        return incrementSequence(baseSequence(), lastOffsetDelta());
    }

    /** {@code sequence + increment} in the producer's sequence space, which wraps from MAX_VALUE to 0. */
    public static int incrementSequence(int sequence, int increment) {
        if (sequence == NO_SEQUENCE) {
            return NO_SEQUENCE;
        }
        if (sequence > Integer.MAX_VALUE - increment) {
            return increment - (Integer.MAX_VALUE - sequence) - 1;
        }
        return sequence + increment;
    }

    public int recordCount() {
        return buffer.getInt(RECORD_COUNT_OFFSET);
    }

    /** Whether the batch comes from an idempotent (or transactional) producer. */
    public boolean hasProducerId() {
        return producerId() > NO_PRODUCER_ID;
    }

    /**
     * Decodes every record, decompressing if needed, with at most {@link #DEFAULT_MAX_DECOMPRESSED_BYTES} of
     * decompressed data. Uncompressed keys and values are slices of this batch's buffer; compressed ones are slices
     * of one fresh buffer per call.
     *
     * @throws StorageException {@link StorageErrorCode#CORRUPT_BATCH} on malformed or oversized content
     */
    public List<Record> records() {
        return records(DEFAULT_MAX_DECOMPRESSED_BYTES);
    }

    /**
     * {@link #records()} with an explicit cap on the decompressed size of the records.
     *
     * @throws IllegalArgumentException if the cap is negative
     */
    public List<Record> records(int maxDecompressedBytes) {
        if (maxDecompressedBytes < 0) {
            throw new IllegalArgumentException("negative decompression cap " + maxDecompressedBytes);
        }
        return reader(maxDecompressedBytes).readAll();
    }

    /** Iterates the records lazily for uncompressed batches (compressed ones are decompressed on this call). */
    @Override
    public Iterator<Record> iterator() {
        return reader(DEFAULT_MAX_DECOMPRESSED_BYTES);
    }

    /**
     * The transaction marker type of a control batch, read from its first record's key.
     *
     * @throws IllegalStateException if this is not a control batch
     * @throws StorageException      {@link StorageErrorCode#CORRUPT_BATCH} if it holds no record or a key that is
     *                               not an ABORT or COMMIT marker
     */
    public ControlType controlType() {
        if (!isControl()) {
            throw new IllegalStateException("batch at offset " + baseOffset() + " is not a control batch");
        }
        RecordReader reader = reader(DEFAULT_MAX_DECOMPRESSED_BYTES);
        if (recordCount() < 1) {
            throw corrupt("control batch at offset " + baseOffset() + " holds no record");
        }
        return ControlRecords.type(reader.next().key());
    }

    private RecordReader reader(int maxDecompressedBytes) {
        if (magic() != MAGIC) {
            throw corrupt("unsupported magic " + magic() + " in batch at offset " + baseOffset());
        }
        ByteBuffer records = buffer.slice(HEADER_SIZE, buffer.limit() - HEADER_SIZE);
        Compression compression = compression();
        if (compression != Compression.NONE) {
            records = CompressionCodecs.decompress(compression, records, maxDecompressedBytes);
        }
        boolean logAppendTime = timestampType() == TimestampType.LOG_APPEND_TIME;
        return new RecordReader(records, recordCount(), baseOffset(), baseTimestamp(), logAppendTime,
                maxTimestamp());
    }

    @Override
    public String toString() {
        return "RecordBatch(baseOffset=" + baseOffset() + ", lastOffset=" + lastOffset() + ", size=" + sizeInBytes()
                + ", magic=" + magic() + ", attributes=0x" + Integer.toHexString(attributes() & 0xffff)
                + ", count=" + recordCount() + ", producerId=" + producerId() + ", producerEpoch=" + producerEpoch()
                + ", baseSequence=" + baseSequence() + ", crc=0x" + Long.toHexString(crc()) + ")";
    }

    private static StorageException corrupt(String message) {
        return new StorageException(StorageErrorCode.CORRUPT_BATCH, message);
    }
}
