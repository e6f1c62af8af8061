package io.sluice.storage.record;

import com.github.luben.zstd.RecyclingBufferPool;
import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import io.sluice.storage.StorageErrorCode;
import io.sluice.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.xerial.snappy.Snappy;
import org.xerial.snappy.SnappyError;
import org.xerial.snappy.SnappyErrorCode;
import org.xerial.snappy.SnappyOutputStream;

/**
 * Compresses and decompresses the records block of a batch in the stream formats Kafka's clients write, so either
 * side can read the other's batches:
 * <ul>
 *   <li>GZIP: an RFC 1952 gzip stream ({@code java.util.zip}).</li>
 *   <li>SNAPPY: snappy-java's framing, which Kafka's Java client writes with {@code SnappyOutputStream}: a 16-byte
 *       header ({@code 0x82 "SNAPPY" 0x00}, version int32, compatible version int32) then chunks of
 *       {@code compressedLength int32 | raw snappy block}. A block without the header is read as one raw snappy
 *       block, as snappy-java's reader does, because some non-Java clients write that.</li>
 *   <li>LZ4: the standard LZ4 frame format, 64 KiB independent blocks, no block checksums, as Kafka writes for
 *       magic 2 (the broken header checksum of magic 0/1 does not apply); see {@link Lz4Frame}.</li>
 *   <li>ZSTD: a standard zstd frame, level 3 (Kafka's default).</li>
 * </ul>
 *
 * <p><b>Decompression bombs.</b> Output is capped: a batch whose records decompress to more than the caller's cap
 * fails with {@link StorageErrorCode#CORRUPT_BATCH} after at most cap + one read of work. Snappy's framing is parsed
 * here rather than by {@code SnappyInputStream} so that every chunk length is checked against the input and every
 * declared uncompressed length against the cap before anything is allocated. The zstd decoder keeps its default
 * window limit (2^27 bytes, what Kafka producers can emit at level 22). Every failure of a codec on bad input
 * (IOException, runtime exceptions, snappy's {@code SnappyError}) becomes CORRUPT_BATCH.
 *
 * <p>Stateless and thread-safe.
 */
final class CompressionCodecs {
    private static final byte[] SNAPPY_MAGIC = {(byte) 0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0};
    private static final int SNAPPY_HEADER_SIZE = 16;
    private static final int ZSTD_LEVEL = 3;


    private CompressionCodecs() {
    }

    /** Appends {@code src[off, off+len)} compressed with {@code compression} to {@code out}. */
    static void compress(Compression compression, byte[] src, int off, int len, GrowableBuffer out) {
        try {
            switch (compression) {
                case NONE -> out.write(src, off, len);
                case GZIP -> {
                    try (OutputStream gz = new GZIPOutputStream(out.asOutputStream(), 8192)) {
                        gz.write(src, off, len);
                    }
                }
                case SNAPPY -> {
                    try (OutputStream s = new SnappyOutputStream(out.asOutputStream())) {
                        s.write(src, off, len);
                    }
                }
                case LZ4 -> Lz4Frame.compress(src, off, len, out);
                case ZSTD -> {
                    long bound = Zstd.compressBound(len);
                    if (bound > GrowableBuffer.MAX_CAPACITY - out.size()) {
                        throw new IllegalStateException("records too large to compress: " + len + " bytes");
                    }
                    out.ensure((int) bound);
                    long n = Zstd.compressByteArray(out.array(), out.size(), (int) bound, src, off, len, ZSTD_LEVEL);
                    if (Zstd.isError(n)) {
                        throw new IllegalStateException("zstd compression failed: " + Zstd.getErrorName(n));
                    }
                    out.advance((int) n);
                }
            }
        } catch (IOException e) {
            // our sink never throws; only a codec failing on its own would get here
            throw new UncheckedIOException(compression + " compression failed", e);
        }
    }

    /**
     * Decompresses a batch's records block.
     *
     * @param maxBytes the most decompressed bytes accepted
     * @return a heap buffer, position 0, holding the decompressed records
     * @throws StorageException {@link StorageErrorCode#CORRUPT_BATCH} if the data is malformed or exceeds the cap
     */
    static ByteBuffer decompress(Compression compression, ByteBuffer compressed, int maxBytes) {
        try {
            return switch (compression) {
                case NONE -> compressed;
                case GZIP -> {
                    try (InputStream in = new GZIPInputStream(new ByteBufferInputStream(compressed), 8192)) {
                        yield drain(in, compression, compressed.remaining(), maxBytes);
                    }
                }
                case SNAPPY -> snappy(compressed, maxBytes);
                case LZ4 -> {
                    byte[] src = heapArray(compressed);
                    int off = compressed.hasArray() ? compressed.arrayOffset() + compressed.position() : 0;
                    yield Lz4Frame.decompress(src, off, compressed.remaining(), maxBytes).toByteBuffer();
                }
                case ZSTD -> {
                    try (InputStream in = new ZstdInputStreamNoFinalizer(new ByteBufferInputStream(compressed),
                            RecyclingBufferPool.INSTANCE)) {
                        yield drain(in, compression, compressed.remaining(), maxBytes);
                    }
                }
            };
        } catch (StorageException e) {
            throw e;
        } catch (SnappyError e) {
            if (e.errorCode == SnappyErrorCode.FAILED_TO_LOAD_NATIVE_LIBRARY) {
                throw e;
            }
            throw corrupt(compression + " records block is malformed: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw corrupt(compression + " records block is malformed: " + e, e);
        }
    }

    private static ByteBuffer drain(InputStream in, Compression compression, int compressedSize, int maxBytes)
            throws IOException {
        long limit = (long) maxBytes + 1; // one byte past the cap tells "too large" from "exactly the cap"
        GrowableBuffer out = new GrowableBuffer((int) Math.min(limit, Math.max(1024L, 4L * compressedSize)));
        while (true) {
            if (out.size() == out.capacity()) {
                out.ensure(1);
            }
            int room = (int) Math.min(out.capacity(), limit) - out.size();
            int n = in.read(out.array(), out.size(), room);
            if (n < 0) {
                return out.toByteBuffer();
            }
            out.advance(n);
            if (out.size() > maxBytes) {
                throw tooLarge(compression, maxBytes);
            }
        }
    }

    private static ByteBuffer snappy(ByteBuffer compressed, int maxBytes) throws IOException {
        byte[] src = heapArray(compressed);
        int pos = compressed.hasArray() ? compressed.arrayOffset() + compressed.position() : 0;
        int end = pos + compressed.remaining();
        if (!snappyMagicAt(src, pos, end)) {
            GrowableBuffer out = new GrowableBuffer(0);
            snappyBlock(src, pos, end - pos, out, maxBytes);
            return out.toByteBuffer();
        }
        GrowableBuffer out = new GrowableBuffer(Math.min(maxBytes, 4 * (end - pos)));
        while (pos < end) {
            if (snappyMagicAt(src, pos, end)) {
                // a stream header: the first one, or one of a concatenated stream, which snappy-java also skips
                if (end - pos < SNAPPY_HEADER_SIZE) {
                    throw corrupt("truncated snappy stream header", null);
                }
                pos += SNAPPY_HEADER_SIZE;
                continue;
            }
            if (end - pos < 4) {
                throw corrupt("truncated snappy chunk length", null);
            }
            int chunk = ((src[pos] & 0xff) << 24) | ((src[pos + 1] & 0xff) << 16) | ((src[pos + 2] & 0xff) << 8)
                    | (src[pos + 3] & 0xff);
            pos += 4;
            if (chunk <= 0 || chunk > end - pos) {
                throw corrupt("snappy chunk length " + chunk + " with " + (end - pos) + " bytes left", null);
            }
            snappyBlock(src, pos, chunk, out, maxBytes);
            pos += chunk;
        }
        return out.toByteBuffer();
    }

    private static void snappyBlock(byte[] src, int off, int len, GrowableBuffer out, int maxBytes)
            throws IOException {
        int length = Snappy.uncompressedLength(src, off, len);
        if (length < 0 || length > maxBytes - out.size()) {
            throw tooLarge(Compression.SNAPPY, maxBytes);
        }
        // room for exactly the declared length: snappy never writes more than its header declares
        out.ensure(length);
        int n = Snappy.uncompress(src, off, len, out.array(), out.size());
        if (n != length) {
            throw corrupt("snappy block decompressed to " + n + " bytes, declared " + length, null);
        }
        out.advance(n);
    }

    /** The buffer's backing array, or a copy of its remaining bytes (at offset 0) if it has none. */
    private static byte[] heapArray(ByteBuffer b) {
        if (b.hasArray()) {
            return b.array();
        }
        byte[] copy = new byte[b.remaining()];
        b.get(b.position(), copy);
        return copy;
    }

    private static boolean snappyMagicAt(byte[] src, int pos, int end) {
        if (end - pos < SNAPPY_MAGIC.length) {
            return false;
        }
        for (int i = 0; i < SNAPPY_MAGIC.length; i++) {
            if (src[pos + i] != SNAPPY_MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    static StorageException tooLarge(Compression compression, int maxBytes) {
        return new StorageException(StorageErrorCode.CORRUPT_BATCH, compression
                + " records block decompresses to more than " + maxBytes + " bytes");
    }

    private static StorageException corrupt(String message, Throwable cause) {
        return new StorageException(StorageErrorCode.CORRUPT_BATCH, message, cause);
    }
}
