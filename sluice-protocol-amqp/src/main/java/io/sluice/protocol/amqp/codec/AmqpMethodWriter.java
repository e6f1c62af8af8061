package io.sluice.protocol.amqp.codec;

import io.netty.buffer.ByteBuf;

/**
 * Writes method fields in order, packing consecutive bit fields into shared octets (least significant bit first,
 * eight per octet; a non-bit field or {@link #finish()} flushes a pending octet). Not thread-safe; one writer per
 * method.
 */
public final class AmqpMethodWriter {

    private final ByteBuf out;
    private int bits;
    private int bitCount;

    public AmqpMethodWriter(ByteBuf out) {
        this.out = out;
    }

    private void flushBits() {
        if (bitCount > 0) {
            out.writeByte(bits);
            bits = 0;
            bitCount = 0;
        }
    }

    public AmqpMethodWriter octet(int v) {
        flushBits();
        out.writeByte(v);
        return this;
    }

    public AmqpMethodWriter shortInt(int v) {
        flushBits();
        out.writeShort(v);
        return this;
    }

    public AmqpMethodWriter longInt(int v) {
        flushBits();
        out.writeInt(v);
        return this;
    }

    public AmqpMethodWriter longLong(long v) {
        flushBits();
        out.writeLong(v);
        return this;
    }

    public AmqpMethodWriter shortStr(String v) {
        flushBits();
        AmqpWire.writeShortString(out, v == null ? "" : v);
        return this;
    }

    public AmqpMethodWriter longStr(byte[] v) {
        flushBits();
        AmqpWire.writeLongString(out, v == null ? new byte[0] : v);
        return this;
    }

    public AmqpMethodWriter table(AmqpTable v) {
        flushBits();
        AmqpWire.writeTable(out, v == null ? AmqpTable.EMPTY : v);
        return this;
    }

    public AmqpMethodWriter bit(boolean v) {
        if (bitCount == 8) {
            flushBits();
        }
        if (v) {
            bits |= 1 << bitCount;
        }
        bitCount++;
        return this;
    }

    /** Flushes a pending bit octet; called once after the last field. */
    public void finish() {
        flushBits();
    }
}
