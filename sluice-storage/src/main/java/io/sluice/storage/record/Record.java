package io.sluice.storage.record;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * One record as read out of a batch: its absolute offset and timestamp, key and value (either may be null; a null
 * value with a key is a compaction tombstone) and headers.
 *
 * <p>Key and value are read-only by convention and share memory with what they were decoded from: the batch's own
 * buffer for an uncompressed batch (so they are valid only as long as that buffer is, e.g. until a pooled network
 * buffer is released), one decompressed buffer per call otherwise. Copy with {@link #keyBytes()} /
 * {@link #valueBytes()} to keep them. Under LogAppendTime, {@code timestamp} is the batch's append time.
 */
public record Record(long offset, long timestamp, ByteBuffer key, ByteBuffer value, List<Header> headers) {

    public byte[] keyBytes() {
        return bytes(key);
    }

    public byte[] valueBytes() {
        return bytes(value);
    }

    private static byte[] bytes(ByteBuffer b) {
        if (b == null) {
            return null;
        }
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
