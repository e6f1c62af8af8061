package io.sluice.protocol.kafka.codec;

import java.nio.ByteBuffer;

/**
 * Where generated messages write their bytes. Big-endian, as everything in the Kafka protocol. Implementations decide
 * how records are carried: copied into the buffer, or (for fetch responses) kept as a separate region that the
 * channel sends with {@code sendfile}.
 */
public interface KafkaWritable {

    void writeByte(int value);

    void writeShort(int value);

    void writeInt(int value);

    void writeLong(long value);

    void writeDouble(double value);

    void writeBytes(byte[] bytes, int offset, int length);

    /** Writes the buffer's remaining bytes without moving its position. */
    void writeBuffer(ByteBuffer buffer);

    /** Writes the records' bytes (their length prefix has already been written). */
    void writeRecords(KafkaRecords records);

    /** Unsigned LEB128 varint, as in the flexible encodings' lengths and tags. */
    default void writeUnsignedVarint(int value) {
        int v = value;
        while ((v & 0xFFFFFF80) != 0) {
            writeByte((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        writeByte(v);
    }
}
