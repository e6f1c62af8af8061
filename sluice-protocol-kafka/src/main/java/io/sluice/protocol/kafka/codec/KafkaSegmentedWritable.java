package io.sluice.protocol.kafka.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.DefaultFileRegion;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link KafkaWritable} that produces a sequence of heap buffers and, for {@link KafkaFileRecords}, file regions
 * that refer to the records in place. Written in order to a channel they form one response. Not thread-safe; used
 * once.
 */
public final class KafkaSegmentedWritable implements KafkaWritable {

    private final ByteBufAllocator alloc;
    private final boolean zeroCopy;
    private final List<Object> parts = new ArrayList<>(2);
    private ByteBuf current;

    public KafkaSegmentedWritable(ByteBufAllocator alloc, boolean zeroCopy, int initialCapacity) {
        this.alloc = alloc;
        this.zeroCopy = zeroCopy;
        this.current = alloc.heapBuffer(initialCapacity);
    }

    @Override
    public void writeByte(int value) {
        current.writeByte(value);
    }

    @Override
    public void writeShort(int value) {
        current.writeShort(value);
    }

    @Override
    public void writeInt(int value) {
        current.writeInt(value);
    }

    @Override
    public void writeLong(long value) {
        current.writeLong(value);
    }

    @Override
    public void writeDouble(double value) {
        current.writeDouble(value);
    }

    @Override
    public void writeBytes(byte[] bytes, int offset, int length) {
        current.writeBytes(bytes, offset, length);
    }

    @Override
    public void writeBuffer(ByteBuffer buffer) {
        current.writeBytes(buffer.duplicate());
    }

    @Override
    public void writeRecords(KafkaRecords records) {
        if (zeroCopy && records instanceof KafkaFileRecords file && records.sizeInBytes() > 0) {
            parts.add(current);
            parts.add(new SharedFileRegion(file));
            current = alloc.heapBuffer(256);
        } else {
            records.copyTo(this);
        }
    }

    /** Moves the parts into {@code out}; empty trailing buffers are dropped. */
    public void finish(List<Object> out) {
        if (current.isReadable() || parts.isEmpty()) {
            parts.add(current);
        } else {
            current.release();
        }
        current = null;
        out.addAll(parts);
        parts.clear();
    }

    /** A file region over a channel it does not own: releasing it must not close the segment file. */
    static final class SharedFileRegion extends DefaultFileRegion {
        SharedFileRegion(KafkaFileRecords records) {
            super(records.channel(), records.position(), records.sizeInBytes());
        }

        @Override
        protected void deallocate() {
            // the channel belongs to storage
        }
    }
}
