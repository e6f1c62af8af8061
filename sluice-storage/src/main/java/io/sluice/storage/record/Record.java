package io.sluice.storage.record;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * One record as read out of a batch: its absolute offset and timestamp, key and value (either may be null; a null
 * value with a key is a compaction tombstone) and headers.
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
