package io.sluice.protocol.kafka.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The primitive encodings of the Kafka protocol, shared by every generated message.
 *
 * <pre>
 *   encoding        non-flexible versions             flexible versions ("compact")
 *   string          int16 length (-1 = null) + UTF-8  unsigned varint (length + 1, 0 = null) + UTF-8
 *   bytes, records  int32 length (-1 = null) + bytes  unsigned varint (length + 1, 0 = null) + bytes
 *   array           int32 count (-1 = null) + items   unsigned varint (count + 1, 0 = null) + items
 *   nullable struct int8 -1 (null) or 1, then the struct
 *   uuid            16 bytes, most significant long first; the all-zero uuid means "none"
 *   tagged section  (flexible only, ends every struct) unsigned varint count, then per field in tag order:
 *                   unsigned varint tag, unsigned varint size, value in the compact encoding
 * </pre>
 * All fixed-width integers are big-endian. Reads throw {@link KafkaProtocolException} (or the buffer's
 * {@link java.nio.BufferUnderflowException}) on malformed input; callers treat both as a protocol error.
 */
public final class KafkaWire {

    public static final UUID ZERO_UUID = new UUID(0L, 0L);
    public static final byte[] EMPTY_BYTES = new byte[0];

    private KafkaWire() {
    }

    public static int readUnsignedVarint(ByteBuffer buf) {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            byte b = buf.get();
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new KafkaProtocolException("unsigned varint longer than 5 bytes");
    }

    public static int sizeOfUnsignedVarint(int value) {
        int bits = 32 - Integer.numberOfLeadingZeros(value);
        return bits == 0 ? 1 : (bits + 6) / 7;
    }

    /** The position after a tagged field of {@code length} bytes, checked against the buffer. */
    public static int checkedEnd(ByteBuffer buf, int length) {
        if (length < 0 || length > buf.remaining()) {
            throw new KafkaProtocolException("tagged field length " + length + " exceeds the remaining " + buf.remaining());
        }
        return buf.position() + length;
    }

    private static int length(ByteBuffer buf, boolean compact, boolean int16) {
        if (compact) {
            return readUnsignedVarint(buf) - 1;
        }
        return int16 ? buf.getShort() : buf.getInt();
    }

    private static int checkLength(ByteBuffer buf, int len, boolean nullable, String what) {
        if (len < 0) {
            if (!nullable) {
                throw new KafkaProtocolException("null " + what + " where none is allowed");
            }
            return -1;
        }
        if (len > buf.remaining()) {
            throw new KafkaProtocolException(what + " length " + len + " exceeds the remaining " + buf.remaining());
        }
        return len;
    }

    public static String readString(ByteBuffer buf, boolean compact, boolean nullable) {
        int len = checkLength(buf, length(buf, compact, true), nullable, "string");
        if (len < 0) {
            return null;
        }
        String s;
        if (buf.hasArray()) {
            s = new String(buf.array(), buf.arrayOffset() + buf.position(), len, StandardCharsets.UTF_8);
            buf.position(buf.position() + len);
        } else {
            byte[] b = new byte[len];
            buf.get(b);
            s = new String(b, StandardCharsets.UTF_8);
        }
        return s;
    }

    public static byte[] readBytes(ByteBuffer buf, boolean compact, boolean nullable) {
        int len = checkLength(buf, length(buf, compact, false), nullable, "bytes");
        if (len < 0) {
            return null;
        }
        byte[] b = new byte[len];
        buf.get(b);
        return b;
    }

    /** Records are not copied: the result shares the buffer's memory. */
    public static KafkaRecords readRecords(ByteBuffer buf, boolean compact, boolean nullable) {
        int len = checkLength(buf, length(buf, compact, false), nullable, "records");
        if (len < 0) {
            return null;
        }
        ByteBuffer slice = buf.slice(buf.position(), len);
        buf.position(buf.position() + len);
        return KafkaRecords.of(slice);
    }

    public static UUID readUuid(ByteBuffer buf) {
        long msb = buf.getLong();
        long lsb = buf.getLong();
        return msb == 0 && lsb == 0 ? ZERO_UUID : new UUID(msb, lsb);
    }

    /** The element count, or -1 for a null array. */
    public static int readArrayLength(ByteBuffer buf, boolean compact, boolean nullable) {
        int n = length(buf, compact, false);
        if (n < 0) {
            if (!nullable) {
                throw new KafkaProtocolException("null array where none is allowed");
            }
            return -1;
        }
        if (n > buf.remaining()) {
            // Every element takes at least one byte in every published schema; this bounds allocations.
            throw new KafkaProtocolException("array of " + n + " elements in " + buf.remaining() + " bytes");
        }
        return n;
    }

    public static void writeString(KafkaWritable out, String s, boolean compact, boolean nullable, String what) {
        if (s == null) {
            if (!nullable) {
                throw new KafkaProtocolException(what + " must not be null at this version");
            }
            if (compact) {
                out.writeUnsignedVarint(0);
            } else {
                out.writeShort(-1);
            }
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (compact) {
            out.writeUnsignedVarint(b.length + 1);
        } else {
            if (b.length > Short.MAX_VALUE) {
                throw new KafkaProtocolException(what + " is longer than " + Short.MAX_VALUE + " bytes");
            }
            out.writeShort(b.length);
        }
        out.writeBytes(b, 0, b.length);
    }

    public static int sizeOfString(String s, boolean compact) {
        if (s == null) {
            return compact ? 1 : 2;
        }
        int len = utf8Length(s);
        return (compact ? sizeOfUnsignedVarint(len + 1) : 2) + len;
    }

    public static void writeBytes(KafkaWritable out, byte[] b, boolean compact, boolean nullable, String what) {
        if (b == null) {
            writeNullLength(out, compact, nullable, what);
            return;
        }
        writeLength(out, b.length, compact);
        out.writeBytes(b, 0, b.length);
    }

    public static int sizeOfBytes(byte[] b, boolean compact) {
        return b == null ? sizeOfLength(-1, compact) : sizeOfLength(b.length, compact) + b.length;
    }

    public static void writeRecords(KafkaWritable out, KafkaRecords r, boolean compact, boolean nullable, String what) {
        if (r == null) {
            writeNullLength(out, compact, nullable, what);
            return;
        }
        writeLength(out, r.sizeInBytes(), compact);
        out.writeRecords(r);
    }

    public static int sizeOfRecords(KafkaRecords r, boolean compact) {
        return r == null ? sizeOfLength(-1, compact) : sizeOfLength(r.sizeInBytes(), compact) + r.sizeInBytes();
    }

    public static void writeUuid(KafkaWritable out, UUID u) {
        if (u == null) {
            out.writeLong(0L);
            out.writeLong(0L);
        } else {
            out.writeLong(u.getMostSignificantBits());
            out.writeLong(u.getLeastSignificantBits());
        }
    }

    public static void writeNullStruct(KafkaWritable out, boolean nullable, String what) {
        if (!nullable) {
            throw new KafkaProtocolException(what + " must not be null at this version");
        }
        out.writeByte(-1);
    }

    public static <T> T requireNonNull(T value, String what) {
        if (value == null) {
            throw new KafkaProtocolException(what + " must not be null");
        }
        return value;
    }

    public static void writeNullArray(KafkaWritable out, boolean compact, boolean nullable, String what) {
        writeNullLength(out, compact, nullable, what);
    }

    public static void writeArrayLength(KafkaWritable out, int n, boolean compact) {
        writeLength(out, n, compact);
    }

    public static int sizeOfArrayLength(int n, boolean compact) {
        return sizeOfLength(n, compact);
    }

    private static void writeNullLength(KafkaWritable out, boolean compact, boolean nullable, String what) {
        if (!nullable) {
            throw new KafkaProtocolException(what + " must not be null at this version");
        }
        writeLength(out, -1, compact);
    }

    private static void writeLength(KafkaWritable out, int n, boolean compact) {
        if (compact) {
            out.writeUnsignedVarint(n + 1);
        } else {
            out.writeInt(n);
        }
    }

    private static int sizeOfLength(int n, boolean compact) {
        return compact ? sizeOfUnsignedVarint(n + 1) : 4;
    }

    /** The UTF-8 length of {@code s} without encoding it (unpaired surrogates count as '?', as the encoder writes). */
    public static int utf8Length(String s) {
        int len = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char ch = s.charAt(i);
            if (ch < 0x80) {
                len++;
            } else if (ch < 0x800) {
                len += 2;
            } else if (Character.isHighSurrogate(ch) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                len += 4;
                i++;
            } else if (Character.isSurrogate(ch)) {
                len++;
            } else {
                len += 3;
            }
        }
        return len;
    }
}
