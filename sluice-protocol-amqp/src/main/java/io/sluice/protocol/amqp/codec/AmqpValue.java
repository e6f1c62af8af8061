package io.sluice.protocol.amqp.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * One typed value of an AMQP field table or field array, keeping the exact wire type so that a table decoded and
 * encoded again yields the same bytes.
 *
 * <p>The type tags are RabbitMQ's, which differ from the 0-9-1 specification's table (see RabbitMQ's "AMQP 0-9-1
 * errata"): {@code s} is a signed 16-bit integer (not a short string), {@code I} a signed 32-bit integer, {@code l} a
 * signed 64-bit integer, {@code x} a byte array, and there is no short-string field type at all. The tags and their
 * layouts, all big-endian:
 * <pre>
 *  t  boolean          1 octet, 0 = false        b  int8            1 octet
 *  B  uint8            1 octet                   s  int16           2 octets
 *  u  uint16           2 octets                  I  int32           4 octets
 *  i  uint32           4 octets                  l  int64           8 octets
 *  L  uint64 (bits as int64)  8 octets           f  float32         4 octets IEEE 754
 *  d  float64          8 octets IEEE 754         D  decimal         1 octet scale + 4 octets unscaled value
 *  S  long string      uint32 length + bytes     x  byte array      uint32 length + bytes
 *  A  field array      uint32 byte length + values (each: tag + value)
 *  T  timestamp        8 octets, seconds since the epoch
 *  F  field table      uint32 byte length + entries (each: short-string name + tag + value)
 *  V  void             no octets
 * </pre>
 * Values are immutable; byte arrays are not copied, so callers must not change an array after handing it over.
 */
public sealed interface AmqpValue {

    /** The one-character wire tag of this value's type. */
    char tag();

    /** The value as a plain Java object: Boolean, Number, String (long strings), byte[], List, Map, or null. */
    Object toJava();

    record Bool(boolean value) implements AmqpValue {
        public char tag() { return 't'; }
        public Object toJava() { return value; }
    }

    record Int8(byte value) implements AmqpValue {
        public char tag() { return 'b'; }
        public Object toJava() { return value; }
    }

    /** An unsigned octet, held widened in a short (0..255). */
    record UInt8(short value) implements AmqpValue {
        public UInt8 {
            if (value < 0 || value > 0xFF) throw new IllegalArgumentException("uint8 out of range: " + value);
        }
        public char tag() { return 'B'; }
        public Object toJava() { return value; }
    }

    record Int16(short value) implements AmqpValue {
        public char tag() { return 's'; }
        public Object toJava() { return value; }
    }

    /** An unsigned 16-bit integer, held widened in an int (0..65535). */
    record UInt16(int value) implements AmqpValue {
        public UInt16 {
            if (value < 0 || value > 0xFFFF) throw new IllegalArgumentException("uint16 out of range: " + value);
        }
        public char tag() { return 'u'; }
        public Object toJava() { return value; }
    }

    record Int32(int value) implements AmqpValue {
        public char tag() { return 'I'; }
        public Object toJava() { return value; }
    }

    /** An unsigned 32-bit integer, held widened in a long (0..2^32-1). */
    record UInt32(long value) implements AmqpValue {
        public UInt32 {
            if (value < 0 || value > 0xFFFF_FFFFL) throw new IllegalArgumentException("uint32 out of range: " + value);
        }
        public char tag() { return 'i'; }
        public Object toJava() { return value; }
    }

    record Int64(long value) implements AmqpValue {
        public char tag() { return 'l'; }
        public Object toJava() { return value; }
    }

    /** An unsigned 64-bit integer; the long holds its 64 bits (use {@link Long#toUnsignedString} to print it). */
    record UInt64(long value) implements AmqpValue {
        public char tag() { return 'L'; }
        public Object toJava() { return value; }
    }

    record Float32(float value) implements AmqpValue {
        public char tag() { return 'f'; }
        public Object toJava() { return value; }
    }

    record Float64(double value) implements AmqpValue {
        public char tag() { return 'd'; }
        public Object toJava() { return value; }
    }

    /** A decimal: {@code unscaled / 10^scale}; the unscaled value is a signed 32-bit integer as in RabbitMQ's clients. */
    record Decimal(int scale, int unscaled) implements AmqpValue {
        public Decimal {
            if (scale < 0 || scale > 0xFF) throw new IllegalArgumentException("decimal scale out of range: " + scale);
        }
        public char tag() { return 'D'; }
        public Object toJava() { return java.math.BigDecimal.valueOf(unscaled, scale); }
    }

    /** A long string: opaque bytes, by convention UTF-8 text. */
    record LongString(byte[] bytes) implements AmqpValue {
        public static LongString of(String s) {
            return new LongString(s.getBytes(StandardCharsets.UTF_8));
        }
        public String asString() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        public char tag() { return 'S'; }
        public Object toJava() { return asString(); }
        @Override public boolean equals(Object o) {
            return o instanceof LongString other && Arrays.equals(bytes, other.bytes);
        }
        @Override public int hashCode() {
            return Arrays.hashCode(bytes);
        }
        @Override public String toString() {
            return "LongString[" + asString() + "]";
        }
    }

    record ByteArray(byte[] bytes) implements AmqpValue {
        public char tag() { return 'x'; }
        public Object toJava() { return bytes; }
        @Override public boolean equals(Object o) {
            return o instanceof ByteArray other && Arrays.equals(bytes, other.bytes);
        }
        @Override public int hashCode() {
            return Arrays.hashCode(bytes);
        }
        @Override public String toString() {
            return "ByteArray[" + bytes.length + " bytes]";
        }
    }

    record Array(List<AmqpValue> values) implements AmqpValue {
        public Array {
            values = List.copyOf(values);
        }
        public char tag() { return 'A'; }
        public Object toJava() { return values.stream().map(AmqpValue::toJava).toList(); }
    }

    /** A timestamp in seconds since the Unix epoch (AMQP timestamps have one-second resolution). */
    record Timestamp(long epochSeconds) implements AmqpValue {
        public char tag() { return 'T'; }
        public Object toJava() { return java.time.Instant.ofEpochSecond(epochSeconds); }
    }

    record Table(AmqpTable table) implements AmqpValue {
        public char tag() { return 'F'; }
        public Object toJava() { return table.toJava(); }
    }

    /** The void value {@code V}: a key present without a value. */
    record Void() implements AmqpValue {
        public static final Void INSTANCE = new Void();
        public char tag() { return 'V'; }
        public Object toJava() { return null; }
    }

    static LongString string(String s) {
        return LongString.of(s);
    }

    /**
     * The value as a long when it is any integral type (RabbitMQ accepts queue arguments such as
     * {@code x-message-ttl} in every integer type clients send), else null.
     */
    static Long asLong(AmqpValue v) {
        return switch (v) {
            case Int8 x -> (long) x.value();
            case UInt8 x -> (long) x.value();
            case Int16 x -> (long) x.value();
            case UInt16 x -> (long) x.value();
            case Int32 x -> (long) x.value();
            case UInt32 x -> x.value();
            case Int64 x -> x.value();
            case UInt64 x -> x.value();
            case null, default -> null;
        };
    }
}
