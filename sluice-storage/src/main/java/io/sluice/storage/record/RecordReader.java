package io.sluice.storage.record;

import io.sluice.storage.StorageErrorCode;
import io.sluice.storage.StorageException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Decodes the records of one batch from an uncompressed records region, one record per {@link #next()} call. Every
 * length read from the data is checked against the bytes that remain before anything is allocated or sliced, so
 * malformed input fails with {@link StorageErrorCode#CORRUPT_BATCH} and never with an unchecked exception or an
 * allocation sized by an attacker. Keys and values are slices of the region (no copy); header values are copied,
 * because {@link Header} holds a {@code byte[]}.
 *
 * <p>Not thread-safe; one reader per iteration.
 */
final class RecordReader implements Iterator<Record> {
    /** attributes(1) + timestampDelta(1) + offsetDelta(1) + keyLength(1) + valueLength(1) + headerCount(1). */
    static final int MIN_RECORD_BODY = 6;

    private final ByteBuffer data;
    private final int end;
    private final long baseOffset;
    private final long baseTimestamp;
    private final long logAppendTime;
    private final boolean useLogAppendTime;
    private final int count;
    private int position;
    private int read;

    /**
     * @param data          the records region; read from its position to its limit with absolute gets (the buffer's
     *                      position is not moved)
     * @param logAppendTime the batch's max timestamp when its timestamp type is LogAppendTime, which then replaces
     *                      every record's own timestamp, as Kafka reports it
     */
    RecordReader(ByteBuffer data, int count, long baseOffset, long baseTimestamp, boolean useLogAppendTime,
                 long logAppendTime) {
        if (count < 0) {
            throw corrupt("negative record count " + count);
        }
        this.data = data;
        this.position = data.position();
        this.end = data.limit();
        this.count = count;
        this.baseOffset = baseOffset;
        this.baseTimestamp = baseTimestamp;
        this.useLogAppendTime = useLogAppendTime;
        this.logAppendTime = logAppendTime;
    }

    /** Reads every record and checks that the region holds exactly the declared count, nothing less or more. */
    List<Record> readAll() {
        // Never size a list by the declared count alone: a forged count must not allocate more than the data allows.
        List<Record> out = new ArrayList<>(Math.min(count, (end - position) / (MIN_RECORD_BODY + 1) + 1));
        while (hasNext()) {
            out.add(next());
        }
        ensureNoneRemaining(); // next() checks too, but a batch declaring zero records never calls it
        return out;
    }

    @Override
    public boolean hasNext() {
        return read < count;
    }

    private void ensureNoneRemaining() {
        if (position != end) {
            throw corrupt((end - position) + " bytes left after the declared " + count + " records");
        }
    }

    @Override
    public Record next() {
        if (read >= count) {
            throw new NoSuchElementException();
        }
        int bodyLength = readVarint();
        if (bodyLength < MIN_RECORD_BODY || bodyLength > end - position) {
            throw corrupt("record " + read + " declares length " + bodyLength + " with " + (end - position)
                    + " bytes left");
        }
        int bodyEnd = position + bodyLength;
        position++; // record attributes: unused by v2
        long timestampDelta = readVarlong(bodyEnd);
        int offsetDelta = readVarint(bodyEnd);
        ByteBuffer key = readBytes(bodyEnd, "key");
        ByteBuffer value = readBytes(bodyEnd, "value");
        int headerCount = readVarint(bodyEnd);
        List<Header> headers;
        if (headerCount == 0) {
            headers = List.of();
        } else {
            // each header takes at least two bytes (two length varints)
            if (headerCount < 0 || headerCount > (bodyEnd - position) / 2) {
                throw corrupt("record " + read + " declares " + headerCount + " headers");
            }
            Header[] hs = new Header[headerCount];
            for (int i = 0; i < headerCount; i++) {
                int keyLength = readVarint(bodyEnd);
                if (keyLength < 0 || keyLength > bodyEnd - position) {
                    throw corrupt("header key length " + keyLength + " in record " + read);
                }
                String hk = decodeUtf8(position, keyLength);
                position += keyLength;
                int valueLength = readVarint(bodyEnd);
                byte[] hv = null;
                if (valueLength >= 0) {
                    if (valueLength > bodyEnd - position) {
                        throw corrupt("header value length " + valueLength + " in record " + read);
                    }
                    hv = new byte[valueLength];
                    data.get(position, hv);
                    position += valueLength;
                } else if (valueLength != -1) {
                    throw corrupt("header value length " + valueLength + " in record " + read);
                }
                hs[i] = new Header(hk, hv);
            }
            headers = List.of(hs);
        }
        if (position != bodyEnd) {
            throw corrupt("record " + read + " declares length " + bodyLength + " but its fields take "
                    + (bodyLength + position - bodyEnd));
        }
        read++;
        if (read == count) {
            ensureNoneRemaining();
        }
        long timestamp = useLogAppendTime ? logAppendTime : baseTimestamp + timestampDelta;
        return new Record(baseOffset + offsetDelta, timestamp, key, value, headers);
    }

    private String decodeUtf8(int at, int length) {
        if (data.hasArray()) {
            return new String(data.array(), data.arrayOffset() + at, length, StandardCharsets.UTF_8);
        }
        byte[] b = new byte[length];
        data.get(at, b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private ByteBuffer readBytes(int limit, String what) {
        int length = readVarint(limit);
        if (length == -1) {
            return null;
        }
        if (length < 0 || length > limit - position) {
            throw corrupt("record " + read + " declares " + what + " length " + length + " with "
                    + (limit - position) + " bytes left");
        }
        ByteBuffer slice = data.slice(position, length);
        position += length;
        return slice;
    }

    private int readVarint() {
        return readVarint(end);
    }

    /** Reads a zigzag varint of at most five bytes that must end before {@code limit}. */
    private int readVarint(int limit) {
        int raw = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (position >= limit) {
                throw corrupt("varint runs past the end of record " + read);
            }
            byte b = data.get(position++);
            raw |= (b & 0x7f) << shift;
            if (b >= 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw corrupt("varint longer than 5 bytes in record " + read);
    }

    /** Reads a zigzag varlong of at most ten bytes that must end before {@code limit}. */
    private long readVarlong(int limit) {
        long raw = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            if (position >= limit) {
                throw corrupt("varlong runs past the end of record " + read);
            }
            byte b = data.get(position++);
            raw |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw corrupt("varlong longer than 10 bytes in record " + read);
    }

    static StorageException corrupt(String message) {
        return new StorageException(StorageErrorCode.CORRUPT_BATCH, message);
    }
}
