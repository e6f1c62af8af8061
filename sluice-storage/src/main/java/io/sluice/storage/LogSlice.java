package io.sluice.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A range of whole record batches, either in a segment file (so a network adapter can send it with
 * {@code transferTo}/sendfile and never copy it into the heap) or in memory (the in-memory store, or decoded data).
 *
 * <p>The file range stays readable while retention deletes its segment: deleted segment files are renamed and
 * closed only after a delay, as Kafka does with {@code file.delete.delay.ms}.
 */
public sealed interface LogSlice permits LogSlice.FileRange, LogSlice.Memory {

    /** Number of bytes in the slice. */
    int sizeInBytes();

    /** Copies the slice into a new heap buffer (for adapters that decode records rather than forward bytes). */
    ByteBuffer toByteBuffer() throws IOException;

    /** Writes the whole slice to {@code target}. */
    void writeTo(WritableByteChannel target) throws IOException;

    LogSlice EMPTY = new Memory(ByteBuffer.allocate(0));

    record FileRange(FileChannel channel, long position, int sizeInBytes) implements LogSlice {
        @Override
        public ByteBuffer toByteBuffer() throws IOException {
            ByteBuffer buf = ByteBuffer.allocate(sizeInBytes);
            long pos = position;
            while (buf.hasRemaining()) {
                int n = channel.read(buf, pos);
                if (n < 0) {
                    throw new IOException("segment ended before the slice did");
                }
                pos += n;
            }
            return buf.flip();
        }

        @Override
        public void writeTo(WritableByteChannel target) throws IOException {
            long done = 0;
            while (done < sizeInBytes) {
                done += channel.transferTo(position + done, sizeInBytes - done, target);
            }
        }
    }

    record Memory(ByteBuffer buffer) implements LogSlice {
        @Override
        public int sizeInBytes() {
            return buffer.remaining();
        }

        @Override
        public ByteBuffer toByteBuffer() {
            return buffer.duplicate();
        }

        @Override
        public void writeTo(WritableByteChannel target) throws IOException {
            ByteBuffer b = buffer.duplicate();
            while (b.hasRemaining()) {
                target.write(b);
            }
        }
    }
}
