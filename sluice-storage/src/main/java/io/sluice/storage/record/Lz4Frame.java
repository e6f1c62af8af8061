package io.sluice.storage.record;

import io.sluice.storage.StorageErrorCode;
import io.sluice.storage.StorageException;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;

/**
 * The LZ4 frame format (lz4 project's frame spec v1.6), which Kafka uses for magic-2 LZ4 batches, written and read
 * in memory around lz4-java's block codec. lz4-java's frame streams would do, but they allocate two block-sized
 * buffers (128 KiB) per batch, which dominates the cost of a typical few-KiB batch; here blocks go straight into
 * and out of the batch buffer.
 *
 * <pre>
 * magic 0x184D2204 (LE int32) | FLG | BD | [contentSize int64 LE] | HC | blocks... | endMark 0 (int32) |
 * [contentChecksum int32]
 * FLG: bits 7-6 version (01), bit 5 block independence, bit 4 block checksum, bit 3 content size,
 *      bit 2 content checksum, bit 0 dictionary id
 * BD:  bits 6-4 maximum block size (4: 64 KiB, 5: 256 KiB, 6: 1 MiB, 7: 4 MiB)
 * HC:  second byte of xxHash32 (seed 0) of FLG .. end of descriptor
 * block: size int32 LE (bit 31 set: stored uncompressed) | data | [xxHash32 of data]
 * </pre>
 * We write what Kafka's producer writes: independent 64 KiB blocks, no checksums beyond the header's, no content
 * size. We read any frame another client may write, except dictionaries and dependent blocks (which Kafka rejects
 * as well); checksums present are verified. Only the first frame is read and bytes after it are ignored, as Kafka
 * does. Stateless and thread-safe.
 */
final class Lz4Frame {
    private static final int MAGIC = 0x184D2204;
    private static final int SKIPPABLE_MAGIC_MASK = 0xFFFFFFF0;
    private static final int SKIPPABLE_MAGIC = 0x184D2A50;
    private static final int BLOCK_SIZE_64KB = 1 << 16;
    private static final int FLG_VERSION = 0x40;
    private static final int FLG_BLOCK_INDEPENDENCE = 0x20;
    private static final int FLG_BLOCK_CHECKSUM = 0x10;
    private static final int FLG_CONTENT_SIZE = 0x08;
    private static final int FLG_CONTENT_CHECKSUM = 0x04;
    private static final int FLG_RESERVED = 0x02;
    private static final int FLG_DICT_ID = 0x01;
    private static final int BD_64KB = 4 << 4;
    private static final int UNCOMPRESSED_BLOCK = 0x80000000;

    private static final LZ4Compressor COMPRESSOR = LZ4Factory.fastestInstance().fastCompressor();
    private static final LZ4SafeDecompressor DECOMPRESSOR = LZ4Factory.fastestInstance().safeDecompressor();
    private static final XXHash32 XXHASH = XXHashFactory.fastestInstance().hash32();

    private Lz4Frame() {
    }

    static void compress(byte[] src, int off, int len, GrowableBuffer out) {
        out.ensure(7);
        putIntLE(out, MAGIC);
        int descriptor = out.size();
        out.write((byte) (FLG_VERSION | FLG_BLOCK_INDEPENDENCE));
        out.write((byte) BD_64KB);
        out.write((byte) (XXHASH.hash(out.array(), descriptor, 2, 0) >> 8));
        int end = off + len;
        for (int at = off; at < end; at += BLOCK_SIZE_64KB) {
            int n = Math.min(BLOCK_SIZE_64KB, end - at);
            int bound = COMPRESSOR.maxCompressedLength(n);
            out.ensure(4 + bound);
            int sizeAt = out.size();
            int compressed = COMPRESSOR.compress(src, at, n, out.array(), sizeAt + 4, bound);
            if (compressed < n) {
                out.advance(4 + compressed);
                putIntLE(out.array(), sizeAt, compressed);
            } else {
                // incompressible: store it, as the spec allows and Kafka's writer does
                out.advance(4);
                putIntLE(out.array(), sizeAt, n | UNCOMPRESSED_BLOCK);
                out.write(src, at, n);
            }
        }
        out.ensure(4);
        putIntLE(out, 0);
    }

    /** Decodes the first frame of {@code src[off, off+len)} into a new buffer of at most {@code maxBytes}. */
    static GrowableBuffer decompress(byte[] src, int off, int len, int maxBytes) {
        int end = off + len;
        int pos = off;
        int magic;
        while (true) {
            need(pos, 4, end, "frame magic");
            magic = getIntLE(src, pos);
            pos += 4;
            if ((magic & SKIPPABLE_MAGIC_MASK) != SKIPPABLE_MAGIC) {
                break;
            }
            need(pos, 4, end, "skippable frame size");
            int skip = getIntLE(src, pos);
            pos += 4;
            if (skip < 0 || skip > end - pos) {
                throw corrupt("LZ4 skippable frame of " + skip + " bytes runs past the block");
            }
            pos += skip;
        }
        if (magic != MAGIC) {
            throw corrupt("not an LZ4 frame: magic 0x" + Integer.toHexString(magic));
        }
        int descriptor = pos;
        need(pos, 2, end, "frame descriptor");
        int flg = src[pos++] & 0xff;
        int bd = src[pos++] & 0xff;
        if ((flg & 0xC0) != FLG_VERSION || (flg & FLG_RESERVED) != 0 || (bd & 0x8F) != 0) {
            throw corrupt("unsupported LZ4 frame descriptor FLG=0x" + Integer.toHexString(flg) + " BD=0x"
                    + Integer.toHexString(bd));
        }
        if ((flg & FLG_DICT_ID) != 0 || (flg & FLG_BLOCK_INDEPENDENCE) == 0) {
            throw corrupt("LZ4 frames with a dictionary or dependent blocks are not supported");
        }
        int blockSizeId = (bd >> 4) & 7;
        if (blockSizeId < 4) {
            throw corrupt("invalid LZ4 block size id " + blockSizeId);
        }
        int maxBlockSize = 1 << (2 * blockSizeId + 8);
        if ((flg & FLG_CONTENT_SIZE) != 0) {
            need(pos, 8, end, "content size");
            pos += 8; // a hint only; the records' own framing is checked after decoding
        }
        need(pos, 1, end, "header checksum");
        int expected = (XXHASH.hash(src, descriptor, pos - descriptor, 0) >> 8) & 0xff;
        if ((src[pos] & 0xff) != expected) {
            throw corrupt("LZ4 frame header checksum mismatch");
        }
        pos++;
        boolean blockChecksum = (flg & FLG_BLOCK_CHECKSUM) != 0;
        GrowableBuffer out = new GrowableBuffer(Math.min(maxBytes, Math.max(1024, 4 * len)));
        while (true) {
            need(pos, 4, end, "block size");
            int size = getIntLE(src, pos);
            pos += 4;
            if (size == 0) {
                break;
            }
            boolean stored = (size & UNCOMPRESSED_BLOCK) != 0;
            int n = size & ~UNCOMPRESSED_BLOCK;
            if (n > maxBlockSize) {
                throw corrupt("LZ4 block of " + n + " bytes exceeds the frame's maximum " + maxBlockSize);
            }
            need(pos, n + (blockChecksum ? 4 : 0), end, "block data");
            if (blockChecksum && XXHASH.hash(src, pos, n, 0) != getIntLE(src, pos + n)) {
                throw corrupt("LZ4 block checksum mismatch");
            }
            if (stored) {
                if (n > maxBytes - out.size()) {
                    throw CompressionCodecs.tooLarge(Compression.LZ4, maxBytes);
                }
                out.write(src, pos, n);
            } else {
                // decode a whole block, then check the cap: overshoot is bounded by one block (at most 4 MiB)
                out.ensure(maxBlockSize);
                int written;
                try {
                    written = DECOMPRESSOR.decompress(src, pos, n, out.array(), out.size(), maxBlockSize);
                } catch (LZ4Exception e) {
                    throw new StorageException(StorageErrorCode.CORRUPT_BATCH, "LZ4 block is malformed", e);
                }
                if (written > maxBytes - out.size()) {
                    throw CompressionCodecs.tooLarge(Compression.LZ4, maxBytes);
                }
                out.advance(written);
            }
            pos += n + (blockChecksum ? 4 : 0);
        }
        if ((flg & FLG_CONTENT_CHECKSUM) != 0) {
            need(pos, 4, end, "content checksum");
            if (XXHASH.hash(out.array(), 0, out.size(), 0) != getIntLE(src, pos)) {
                throw corrupt("LZ4 content checksum mismatch");
            }
        }
        return out;
    }

    private static void need(int pos, int n, int end, String what) {
        if (n < 0 || n > end - pos) {
            throw corrupt("LZ4 frame truncated in its " + what);
        }
    }

    private static void putIntLE(GrowableBuffer out, int v) {
        out.advance(4);
        putIntLE(out.array(), out.size() - 4, v);
    }

    private static void putIntLE(byte[] a, int at, int v) {
        a[at] = (byte) v;
        a[at + 1] = (byte) (v >>> 8);
        a[at + 2] = (byte) (v >>> 16);
        a[at + 3] = (byte) (v >>> 24);
    }

    private static int getIntLE(byte[] a, int at) {
        return (a[at] & 0xff) | (a[at + 1] & 0xff) << 8 | (a[at + 2] & 0xff) << 16 | (a[at + 3] & 0xff) << 24;
    }

    private static StorageException corrupt(String message) {
        return new StorageException(StorageErrorCode.CORRUPT_BATCH, message);
    }
}
