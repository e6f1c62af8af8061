package io.sluice.protocol.kafka.codec;

import io.netty.buffer.ByteBuf;

import java.nio.ByteBuffer;

/** A {@link KafkaWritable} appending to a Netty {@link ByteBuf}; records are copied. Not thread-safe. */
public final class KafkaByteBufWritable implements KafkaWritable {

    private final ByteBuf buf;

    public KafkaByteBufWritable(ByteBuf buf) {
        this.buf = buf;
    }

    public ByteBuf buffer() {
        return buf;
    }

    @Override
    public void writeByte(int value) {
        buf.writeByte(value);
    }

    @Override
    public void writeShort(int value) {
        buf.writeShort(value);
    }

    @Override
    public void writeInt(int value) {
        buf.writeInt(value);
    }

    @Override
    public void writeLong(long value) {
        buf.writeLong(value);
    }

    @Override
    public void writeDouble(double value) {
        buf.writeDouble(value);
    }

    @Override
    public void writeBytes(byte[] bytes, int offset, int length) {
        buf.writeBytes(bytes, offset, length);
    }

    @Override
    public void writeBuffer(ByteBuffer buffer) {
        buf.writeBytes(buffer.duplicate());
    }

    @Override
    public void writeRecords(KafkaRecords records) {
        records.copyTo(this);
    }
}
