package io.sluice.protocol.amqp.codec;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Reads and writes the AMQP 0-9-1 data types that are not single integers: short strings, long strings, field
 * tables, field arrays and field values. Stateless; all integers are big-endian.
 *
 * <p>Short string: uint8 length + bytes (UTF-8 by convention, at most 255 bytes). Long string: uint32 length +
 * bytes. Tables and arrays: see {@link AmqpTable} and {@link AmqpValue}. Readers throw
 * {@link AmqpProtocolException} with {@link AmqpReplyCode#FRAME_ERROR} on truncated or malformed input (the code
 * RabbitMQ uses when it cannot decode a frame) and never read past the buffer's writer index.
 */
public final class AmqpWire {

    /** Deeper nesting is refused so that a hostile table cannot exhaust the decoder's stack. */
    static final int MAX_NESTING = 64;

    private AmqpWire() {
    }

    public static String readShortString(ByteBuf in) {
        int len = in.readUnsignedByte();
        need(in, len, "short string");
        String s = in.toString(in.readerIndex(), len, StandardCharsets.UTF_8);
        in.skipBytes(len);
        return s;
    }

    public static void writeShortString(ByteBuf out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > 255) {
            throw new IllegalArgumentException("short string longer than 255 bytes: " + s.substring(0, 40) + "...");
        }
        out.writeByte(b.length);
        out.writeBytes(b);
    }

    public static byte[] readLongString(ByteBuf in) {
        long len = in.readUnsignedInt();
        need(in, len, "long string");
        byte[] b = new byte[(int) len];
        in.readBytes(b);
        return b;
    }

    public static void writeLongString(ByteBuf out, byte[] b) {
        out.writeInt(b.length);
        out.writeBytes(b);
    }

    public static AmqpTable readTable(ByteBuf in) {
        return readTable(in, 0);
    }

    private static AmqpTable readTable(ByteBuf in, int depth) {
        if (depth > MAX_NESTING) {
            throw malformed("field table nested deeper than " + MAX_NESTING);
        }
        long len = in.readUnsignedInt();
        need(in, len, "field table");
        if (len == 0) {
            return AmqpTable.EMPTY;
        }
        ByteBuf body = in.readSlice((int) len);
        LinkedHashMap<String, AmqpValue> entries = new LinkedHashMap<>();
        while (body.isReadable()) {
            String name = readShortString(body);
            entries.put(name, readValue(body, depth));
        }
        return AmqpTable.of(entries);
    }

    public static void writeTable(ByteBuf out, AmqpTable table) {
        int lengthAt = out.writerIndex();
        out.writeInt(0);
        for (var e : table.entries().entrySet()) {
            writeShortString(out, e.getKey());
            writeValue(out, e.getValue());
        }
        out.setInt(lengthAt, out.writerIndex() - lengthAt - 4);
    }

    /** Reads one tag and its value. */
    public static AmqpValue readValue(ByteBuf in) {
        return readValue(in, 0);
    }

    private static AmqpValue readValue(ByteBuf in, int depth) {
        char tag = (char) in.readUnsignedByte();
        return switch (tag) {
            case 't' -> new AmqpValue.Bool(in.readByte() != 0);
            case 'b' -> new AmqpValue.Int8(in.readByte());
            case 'B' -> new AmqpValue.UInt8(in.readUnsignedByte());
            case 's' -> new AmqpValue.Int16(in.readShort());
            case 'u' -> new AmqpValue.UInt16(in.readUnsignedShort());
            case 'I' -> new AmqpValue.Int32(in.readInt());
            case 'i' -> new AmqpValue.UInt32(in.readUnsignedInt());
            case 'l' -> new AmqpValue.Int64(in.readLong());
            case 'L' -> new AmqpValue.UInt64(in.readLong());
            case 'f' -> new AmqpValue.Float32(in.readFloat());
            case 'd' -> new AmqpValue.Float64(in.readDouble());
            case 'D' -> new AmqpValue.Decimal(in.readUnsignedByte(), in.readInt());
            case 'S' -> new AmqpValue.LongString(readLongString(in));
            case 'x' -> new AmqpValue.ByteArray(readLongString(in));
            case 'T' -> new AmqpValue.Timestamp(in.readLong());
            case 'F' -> new AmqpValue.Table(readTable(in, depth + 1));
            case 'A' -> readArray(in, depth + 1);
            case 'V' -> AmqpValue.Void.INSTANCE;
            default -> throw malformed("unknown field value type '" + printable(tag) + "'");
        };
    }

    private static AmqpValue.Array readArray(ByteBuf in, int depth) {
        if (depth > MAX_NESTING) {
            throw malformed("field array nested deeper than " + MAX_NESTING);
        }
        long len = in.readUnsignedInt();
        need(in, len, "field array");
        ByteBuf body = in.readSlice((int) len);
        List<AmqpValue> values = new ArrayList<>();
        while (body.isReadable()) {
            values.add(readValue(body, depth));
        }
        return new AmqpValue.Array(values);
    }

    public static void writeValue(ByteBuf out, AmqpValue value) {
        out.writeByte(value.tag());
        switch (value) {
            case AmqpValue.Bool v -> out.writeByte(v.value() ? 1 : 0);
            case AmqpValue.Int8 v -> out.writeByte(v.value());
            case AmqpValue.UInt8 v -> out.writeByte(v.value());
            case AmqpValue.Int16 v -> out.writeShort(v.value());
            case AmqpValue.UInt16 v -> out.writeShort(v.value());
            case AmqpValue.Int32 v -> out.writeInt(v.value());
            case AmqpValue.UInt32 v -> out.writeInt((int) v.value());
            case AmqpValue.Int64 v -> out.writeLong(v.value());
            case AmqpValue.UInt64 v -> out.writeLong(v.value());
            case AmqpValue.Float32 v -> out.writeFloat(v.value());
            case AmqpValue.Float64 v -> out.writeDouble(v.value());
            case AmqpValue.Decimal v -> {
                out.writeByte(v.scale());
                out.writeInt(v.unscaled());
            }
            case AmqpValue.LongString v -> writeLongString(out, v.bytes());
            case AmqpValue.ByteArray v -> writeLongString(out, v.bytes());
            case AmqpValue.Timestamp v -> out.writeLong(v.epochSeconds());
            case AmqpValue.Table v -> writeTable(out, v.table());
            case AmqpValue.Array v -> {
                int lengthAt = out.writerIndex();
                out.writeInt(0);
                for (AmqpValue element : v.values()) {
                    writeValue(out, element);
                }
                out.setInt(lengthAt, out.writerIndex() - lengthAt - 4);
            }
            case AmqpValue.Void v -> {
            }
        }
    }

    private static void need(ByteBuf in, long len, String what) {
        if (len > in.readableBytes()) {
            throw malformed(what + " of " + len + " bytes overruns its frame");
        }
    }

    static AmqpProtocolException malformed(String text) {
        return new AmqpProtocolException(AmqpReplyCode.FRAME_ERROR, text);
    }

    private static String printable(char c) {
        return c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format("\\x%02x", (int) c);
    }
}
