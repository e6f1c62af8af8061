package io.sluice.storage.record;

import io.sluice.storage.TimestampType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * Writes one record batch in the v2 format described in {@link RecordBatch}. Every non-Kafka publish goes through
 * here, so records are encoded straight into one growing array that already reserves the header: an uncompressed
 * batch is returned over that same array without a copy, a compressed one costs one pass of the codec.
 *
 * <p>Record {@code i} gets offsetDelta {@code i}; baseTimestamp is the first record's timestamp (or the delete
 * horizon, see {@link #deleteHorizonMs}) and maxTimestamp the largest. Under {@link TimestampType#LOG_APPEND_TIME} the caller passes the append time as every record's
 * timestamp (the log stamps it again with {@link RecordBatch#setLogAppendTime} anyway).
 *
 * <p>Single use and not thread-safe: configure, append, {@link #build()} once.
 */
public final class RecordBatchBuilder {
    private static final int DEFAULT_INITIAL_CAPACITY = 512;

    private final Compression compression;
    private final GrowableBuffer buf;
    private long baseOffset;
    private TimestampType timestampType = TimestampType.CREATE_TIME;
    private long producerId = RecordBatch.NO_PRODUCER_ID;
    private short producerEpoch = RecordBatch.NO_PRODUCER_EPOCH;
    private int baseSequence = RecordBatch.NO_SEQUENCE;
    private boolean transactional;
    private boolean control;
    private int partitionLeaderEpoch = RecordBatch.NO_PARTITION_LEADER_EPOCH;
    private int count;
    private long baseTimestamp;
    private long maxTimestamp = RecordBatch.NO_TIMESTAMP;
    private long deleteHorizonMs = RecordBatch.NO_TIMESTAMP;
    private boolean built;

    private RecordBatchBuilder(Compression compression, int initialCapacity) {
        this.compression = Objects.requireNonNull(compression, "compression");
        this.buf = new GrowableBuffer(Math.max(RecordBatch.HEADER_SIZE + 64, initialCapacity));
        buf.skip(RecordBatch.HEADER_SIZE);
    }

    public static RecordBatchBuilder create(Compression compression) {
        return new RecordBatchBuilder(compression, DEFAULT_INITIAL_CAPACITY);
    }

    /** A builder whose buffer starts at {@code initialCapacity} bytes, for callers that know the batch size. */
    public static RecordBatchBuilder create(Compression compression, int initialCapacity) {
        return new RecordBatchBuilder(compression, initialCapacity);
    }

    /** The first record's offset (default 0); the log overwrites it on append. */
    public RecordBatchBuilder baseOffset(long baseOffset) {
        this.baseOffset = baseOffset;
        return this;
    }

    public RecordBatchBuilder timestampType(TimestampType timestampType) {
        this.timestampType = Objects.requireNonNull(timestampType, "timestampType");
        return this;
    }

    /** Idempotent producer fields; by default -1, -1, -1 (no producer). */
    public RecordBatchBuilder producer(long producerId, short producerEpoch, int baseSequence) {
        this.producerId = producerId;
        this.producerEpoch = producerEpoch;
        this.baseSequence = baseSequence;
        return this;
    }

    /** Marks the batch as part of a transaction; requires a producer id at {@link #build()}. */
    public RecordBatchBuilder transactional(boolean transactional) {
        this.transactional = transactional;
        return this;
    }

    /** The leader epoch stamped on the batch (default -1); the log overwrites it on append. */
    public RecordBatchBuilder partitionLeaderEpoch(int partitionLeaderEpoch) {
        this.partitionLeaderEpoch = partitionLeaderEpoch;
        return this;
    }

    /**
     * Marks the batch with a delete horizon (attribute bit 6), as log compaction does when it keeps tombstones or
     * transaction markers: baseTimestamp then holds {@code deleteHorizonMs} instead of the first record's timestamp,
     * and record timestamps are written as deltas from it. -1 (the default) sets none.
     */
    public RecordBatchBuilder deleteHorizonMs(long deleteHorizonMs) {
        if (count > 0) {
            throw new IllegalStateException("set the delete horizon before the first append");
        }
        this.deleteHorizonMs = deleteHorizonMs;
        return this;
    }

    /** Sets the control bit; only {@link ControlRecords} writes control batches. */
    RecordBatchBuilder control(boolean control) {
        this.control = control;
        return this;
    }

    /**
     * Appends a record; key, value and headers may be null, header keys may not. The arrays are copied.
     *
     * @throws IllegalArgumentException if the timestamp is negative but not {@link RecordBatch#NO_TIMESTAMP}, or a
     *                                  header key is null
     * @throws IllegalStateException    after {@link #build()}, or past 2^31 records
     */
    public RecordBatchBuilder append(long timestamp, byte[] key, byte[] value, List<Header> headers) {
        appendRecord(timestamp, key, null, value, null, headers);
        return this;
    }

    /**
     * Appends a record from the remaining bytes of {@code key} and {@code value} (either may be null), whose
     * positions are not moved; otherwise as {@link #append(long, byte[], byte[], List)}.
     */
    public RecordBatchBuilder append(long timestamp, ByteBuffer key, ByteBuffer value, List<Header> headers) {
        appendRecord(timestamp, null, key, null, value, headers);
        return this;
    }

    /** Encodes one record; of each array/buffer pair at most one is non-null. */
    private void appendRecord(long timestamp, byte[] keyArray, ByteBuffer keyBuffer, byte[] valueArray,
                              ByteBuffer valueBuffer, List<Header> headers) {
        if (built) {
            throw new IllegalStateException("batch already built");
        }
        if (timestamp < 0 && timestamp != RecordBatch.NO_TIMESTAMP) {
            throw new IllegalArgumentException("invalid negative timestamp " + timestamp);
        }
        if (count == Integer.MAX_VALUE) {
            throw new IllegalStateException("a batch holds at most " + Integer.MAX_VALUE + " records");
        }
        long base = count > 0 ? baseTimestamp : deleteHorizonMs >= 0 ? deleteHorizonMs : timestamp;
        long timestampDelta = timestamp - base;
        int offsetDelta = count;

        int keySize = keyArray != null ? keyArray.length : keyBuffer != null ? keyBuffer.remaining() : -1;
        int valueSize = valueArray != null ? valueArray.length : valueBuffer != null ? valueBuffer.remaining() : -1;
        int headerCount = headers == null ? 0 : headers.size();
        long bodySize = 1 + GrowableBuffer.sizeOfVarlong(timestampDelta) + GrowableBuffer.sizeOfVarint(offsetDelta)
                + sizeOfBytes(keySize) + sizeOfBytes(valueSize) + GrowableBuffer.sizeOfVarint(headerCount);
        for (int i = 0; i < headerCount; i++) {
            Header h = headers.get(i);
            if (h == null || h.key() == null) {
                throw new IllegalArgumentException("header keys must not be null");
            }
            int hk = utf8Length(h.key());
            bodySize += GrowableBuffer.sizeOfVarint(hk) + hk + sizeOfBytes(h.value() == null ? -1 : h.value().length);
        }
        if (bodySize > Integer.MAX_VALUE - 5) {
            throw new IllegalArgumentException("record too large: " + bodySize + " bytes");
        }
        // validated: from here on nothing throws, so a failed append leaves the builder unchanged
        buf.ensure((int) bodySize + 5);
        buf.writeVarint((int) bodySize);
        buf.write((byte) 0);
        buf.writeVarlong(timestampDelta);
        buf.writeVarint(offsetDelta);
        buf.writeVarint(keySize);
        if (keyArray != null) {
            buf.write(keyArray, 0, keySize);
        } else if (keyBuffer != null) {
            buf.write(keyBuffer);
        }
        buf.writeVarint(valueSize);
        if (valueArray != null) {
            buf.write(valueArray, 0, valueSize);
        } else if (valueBuffer != null) {
            buf.write(valueBuffer);
        }
        buf.writeVarint(headerCount);
        for (int i = 0; i < headerCount; i++) {
            Header h = headers.get(i);
            writeUtf8(h.key());
            byte[] hv = h.value();
            if (hv == null) {
                buf.writeVarint(-1);
            } else {
                buf.writeVarint(hv.length);
                buf.write(hv, 0, hv.length);
            }
        }
        baseTimestamp = base;
        maxTimestamp = Math.max(maxTimestamp, timestamp);
        count++;
    }

    public int recordCount() {
        return count;
    }

    /** Bytes written so far, header included, before compression: an upper bound for the built batch in practice. */
    public int uncompressedSizeInBytes() {
        return buf.size();
    }

    /**
     * Finishes the batch: compresses the records if asked, fills the header and the CRC.
     *
     * @return a buffer holding exactly one batch, position 0, limit its size
     * @throws IllegalStateException if no record was appended, if called twice, or if the batch is transactional
     *                               without a producer id
     */
    public ByteBuffer build() {
        if (built) {
            throw new IllegalStateException("batch already built");
        }
        if (count == 0) {
            throw new IllegalStateException("cannot build an empty batch");
        }
        if (transactional && producerId == RecordBatch.NO_PRODUCER_ID) {
            throw new IllegalStateException("a transactional batch needs a producer id");
        }
        built = true;
        GrowableBuffer out = buf;
        if (compression != Compression.NONE) {
            int recordsSize = buf.size() - RecordBatch.HEADER_SIZE;
            out = new GrowableBuffer(RecordBatch.HEADER_SIZE + recordsSize / 2 + 64);
            out.skip(RecordBatch.HEADER_SIZE);
            CompressionCodecs.compress(compression, buf.array(), RecordBatch.HEADER_SIZE, recordsSize, out);
        }
        writeHeader(out);
        return out.toByteBuffer();
    }

    private void writeHeader(GrowableBuffer out) {
        int attributes = compression.id;
        if (timestampType == TimestampType.LOG_APPEND_TIME) {
            attributes |= RecordBatch.TIMESTAMP_TYPE_MASK;
        }
        if (transactional) {
            attributes |= RecordBatch.TRANSACTIONAL_MASK;
        }
        if (control) {
            attributes |= RecordBatch.CONTROL_MASK;
        }
        if (deleteHorizonMs >= 0) {
            attributes |= RecordBatch.DELETE_HORIZON_MASK;
        }
        out.putLong(RecordBatch.BASE_OFFSET_OFFSET, baseOffset);
        out.putInt(RecordBatch.LENGTH_OFFSET, out.size() - RecordBatch.LOG_OVERHEAD);
        out.putInt(RecordBatch.PARTITION_LEADER_EPOCH_OFFSET, partitionLeaderEpoch);
        out.array()[RecordBatch.MAGIC_OFFSET] = RecordBatch.MAGIC;
        out.putShort(RecordBatch.ATTRIBUTES_OFFSET, (short) attributes);
        out.putInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET, count - 1);
        out.putLong(RecordBatch.BASE_TIMESTAMP_OFFSET, baseTimestamp);
        out.putLong(RecordBatch.MAX_TIMESTAMP_OFFSET, maxTimestamp);
        out.putLong(RecordBatch.PRODUCER_ID_OFFSET, producerId);
        out.putShort(RecordBatch.PRODUCER_EPOCH_OFFSET, producerEpoch);
        out.putInt(RecordBatch.BASE_SEQUENCE_OFFSET, baseSequence);
        out.putInt(RecordBatch.RECORD_COUNT_OFFSET, count);
        CRC32C crc = new CRC32C();
        crc.update(out.array(), RecordBatch.ATTRIBUTES_OFFSET, out.size() - RecordBatch.ATTRIBUTES_OFFSET);
        out.putInt(RecordBatch.CRC_OFFSET, (int) crc.getValue());
    }

    private static int sizeOfBytes(int size) {
        return size < 0 ? 1 : GrowableBuffer.sizeOfVarint(size) + size;
    }

    /** UTF-8 length of a header key; ASCII, the usual case, is counted without encoding. */
    private static int utf8Length(String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                return s.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return n;
    }

    private void writeUtf8(String s) {
        int n = s.length();
        boolean ascii = true;
        for (int i = 0; i < n && ascii; i++) {
            ascii = s.charAt(i) < 0x80;
        }
        if (ascii) {
            buf.writeVarint(n);
            buf.ensure(n);
            byte[] array = buf.array();
            int at = buf.size();
            for (int i = 0; i < n; i++) {
                array[at + i] = (byte) s.charAt(i);
            }
            buf.advance(n);
        } else {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            buf.writeVarint(b.length);
            buf.write(b, 0, b.length);
        }
    }
}
