package io.sluice.protocol.amqp.codec;

import io.netty.buffer.ByteBuf;

/**
 * Reads method fields in order from a method frame's payload, unpacking consecutive bit fields from shared octets:
 * the first bit of a run is the least significant bit of its octet, up to eight bits per octet, and any non-bit
 * field ends the run. Not thread-safe; one reader per method.
 */
public final class AmqpMethodReader {

    private final ByteBuf in;
    private int bits;
    private int bitIndex = 8;

    public AmqpMethodReader(ByteBuf in) {
        this.in = in;
    }

    public int octet() {
        bitIndex = 8;
        return in.readUnsignedByte();
    }

    public int shortInt() {
        bitIndex = 8;
        return in.readUnsignedShort();
    }

    /** A 32-bit field; unsigned on the wire, returned as its bits in an int. */
    public int longInt() {
        bitIndex = 8;
        return in.readInt();
    }

    public long longLong() {
        bitIndex = 8;
        return in.readLong();
    }

    public String shortStr() {
        bitIndex = 8;
        return AmqpWire.readShortString(in);
    }

    public byte[] longStr() {
        bitIndex = 8;
        return AmqpWire.readLongString(in);
    }

    public AmqpTable table() {
        bitIndex = 8;
        return AmqpWire.readTable(in);
    }

    public boolean bit() {
        if (bitIndex == 8) {
            bits = in.readUnsignedByte();
            bitIndex = 0;
        }
        return ((bits >> bitIndex++) & 1) != 0;
    }

    /** True when every byte of the payload was consumed. */
    boolean atEnd() {
        return !in.isReadable();
    }
}
