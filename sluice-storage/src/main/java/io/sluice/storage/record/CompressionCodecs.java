package io.sluice.storage.record;

import io.sluice.storage.StorageErrorCode;
import io.sluice.storage.StorageException;
import java.nio.ByteBuffer;

/** Compresses and decompresses the records block of a batch. */
final class CompressionCodecs {
    private CompressionCodecs() {
    }

    static ByteBuffer decompress(Compression compression, ByteBuffer compressed, int maxBytes) {
        throw new StorageException(StorageErrorCode.CORRUPT_BATCH, compression + " is not supported yet");
    }
}
