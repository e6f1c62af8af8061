package io.sluice.protocol.kafka.codec;

import java.nio.ByteBuffer;

/**
 * The payload of a {@code records} field: whole record batches the protocol layer forwards without decoding.
 * Requests carry them as a slice of the request frame ({@link OfBuffer}); the session may answer fetches with
 * another implementation that refers to a region of a segment file, which a zero-copy writer sends as is.
 */
public interface KafkaRecords {

    /** Number of bytes the records occupy on the wire. */
    int sizeInBytes();

    /** Copies the records' bytes into {@code out} (writers that cannot send the records by reference call this). */
    void copyTo(KafkaWritable out);

    static KafkaRecords of(ByteBuffer buffer) {
        return new OfBuffer(buffer);
    }

    /**
     * Records held in a buffer (its remaining bytes). The buffer is shared, not copied: it is valid only as long as
     * its owner (for a request, the frame) is.
     */
    record OfBuffer(ByteBuffer buffer) implements KafkaRecords {

        @Override
        public int sizeInBytes() {
            return buffer.remaining();
        }

        @Override
        public void copyTo(KafkaWritable out) {
            out.writeBuffer(buffer);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof OfBuffer other && buffer.equals(other.buffer);
        }

        @Override
        public int hashCode() {
            return buffer.hashCode();
        }
    }
}
