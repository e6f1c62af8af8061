package io.sluice.storage.record;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A byte array that doubles as it fills, with the big-endian and varint writes the batch format needs. The builder
 * writes a whole batch into one of these and hands out its array without copying; decompression writes into one
 * under a size cap. Not thread-safe.
 */
final class GrowableBuffer {
    /** Largest array the JVM reliably allocates. */
    static final int MAX_CAPACITY = Integer.MAX_VALUE - 8;

    private byte[] array;
    private int size;

    GrowableBuffer(int initialCapacity) {
        this.array = new byte[Math.max(16, initialCapacity)];
    }

    int size() {
        return size;
    }

    byte[] array() {
        return array;
    }

    int capacity() {
        return array.length;
    }

    /** Counts {@code n} bytes written directly into {@link #array()} after {@link #size()}. */
    void advance(int n) {
        size += n;
    }

    /** The written bytes as a buffer over the same array: position 0, limit and capacity {@link #size()}. */
    ByteBuffer toByteBuffer() {
        return ByteBuffer.wrap(array, 0, size).slice();
    }

    /** Skips {@code n} bytes, to be filled later with the absolute puts. */
    void skip(int n) {
        ensure(n);
        size += n;
    }

    void ensure(int extra) {
        long needed = (long) size + extra;
        if (needed > array.length) {
            if (needed > MAX_CAPACITY) {
                throw new IllegalStateException("buffer would exceed " + MAX_CAPACITY + " bytes");
            }
            array = Arrays.copyOf(array, (int) Math.min(MAX_CAPACITY, Math.max(needed, 2L * array.length)));
        }
    }

    void write(byte b) {
        ensure(1);
        array[size++] = b;
    }

    void write(byte[] src, int off, int len) {
        ensure(len);
        System.arraycopy(src, off, array, size, len);
        size += len;
    }

    /** Appends the remaining bytes of {@code src} without moving its position. */
    void write(ByteBuffer src) {
        int len = src.remaining();
        ensure(len);
        src.get(src.position(), array, size, len);
        size += len;
    }

    void putShort(int at, short v) {
        array[at] = (byte) (v >>> 8);
        array[at + 1] = (byte) v;
    }

    void putInt(int at, int v) {
        array[at] = (byte) (v >>> 24);
        array[at + 1] = (byte) (v >>> 16);
        array[at + 2] = (byte) (v >>> 8);
        array[at + 3] = (byte) v;
    }

    void putLong(int at, long v) {
        putInt(at, (int) (v >>> 32));
        putInt(at + 4, (int) v);
    }

    /** Appends a zigzag varint (protobuf sint32). */
    void writeVarint(int value) {
        ensure(5);
        int v = (value << 1) ^ (value >> 31);
        while ((v & 0xffffff80) != 0) {
            array[size++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        array[size++] = (byte) v;
    }

    /** Appends a zigzag varlong (protobuf sint64). */
    void writeVarlong(long value) {
        ensure(10);
        long v = (value << 1) ^ (value >> 63);
        while ((v & 0xffffffffffffff80L) != 0) {
            array[size++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        array[size++] = (byte) v;
    }

    /** Bytes a zigzag varint of {@code value} takes. */
    static int sizeOfVarint(int value) {
        int v = (value << 1) ^ (value >> 31);
        // one byte per 7 significant bits, at least one
        return Math.max(1, (38 - Integer.numberOfLeadingZeros(v)) / 7);
    }

    /** Bytes a zigzag varlong of {@code value} takes. */
    static int sizeOfVarlong(long value) {
        long v = (value << 1) ^ (value >> 63);
        return Math.max(1, (70 - Long.numberOfLeadingZeros(v)) / 7);
    }

    /** An output stream appending to this buffer, for the compression libraries' stream APIs. */
    OutputStream asOutputStream() {
        return new OutputStream() {
            @Override
            public void write(int b) {
                GrowableBuffer.this.write((byte) b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                GrowableBuffer.this.write(b, off, len);
            }
        };
    }
}
