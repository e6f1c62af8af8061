package io.sluice.protocol.kafka.session;

import io.sluice.protocol.kafka.codec.KafkaFileRecords;
import io.sluice.protocol.kafka.codec.KafkaRecords;
import io.sluice.protocol.kafka.codec.KafkaWritable;
import io.sluice.storage.LogSlice;
import io.sluice.storage.StorageException;
import io.sluice.storage.StorageErrorCode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;

/** Adapts a storage {@link LogSlice} to the codec's records: file ranges are sent zero-copy, memory is copied. */
public final class KafkaSliceRecords {

    private KafkaSliceRecords() {
    }

    public static KafkaRecords of(LogSlice slice) {
        if (slice instanceof LogSlice.FileRange f) {
            return new FileRecords(f);
        }
        try {
            return KafkaRecords.of(slice.toByteBuffer());
        } catch (IOException e) {
            throw new StorageException(StorageErrorCode.IO_ERROR, "reading a log slice failed: " + e);
        }
    }

    /** A segment file region; {@link #copyTo} reads it when the writer cannot send it by reference. */
    record FileRecords(LogSlice.FileRange range) implements KafkaFileRecords {

        @Override
        public FileChannel channel() {
            return range.channel();
        }

        @Override
        public long position() {
            return range.position();
        }

        @Override
        public int sizeInBytes() {
            return range.sizeInBytes();
        }

        @Override
        public void copyTo(KafkaWritable out) {
            try {
                out.writeBuffer(range.toByteBuffer());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
