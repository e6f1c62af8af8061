package io.sluice.storage.record;

import static io.sluice.storage.record.RecordBatchHeaderTest.assertCorrupt;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import net.jpountz.lz4.LZ4FrameInputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;
import net.jpountz.lz4.LZ4FrameOutputStream.BLOCKSIZE;
import net.jpountz.lz4.LZ4FrameOutputStream.FLG;
import org.junit.jupiter.api.Test;

/** Our in-memory LZ4 frame codec against lz4-java's reference frame streams, with every optional frame field. */
class Lz4FrameTest {

    private static byte[] sample(int size, long seed) {
        byte[] b = new byte[size];
        Random r = new Random(seed);
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (r.nextInt(100) < 70 ? 'a' + (i % 13) : r.nextInt()); // part compressible, part not
        }
        return b;
    }

    private static byte[] referenceFrame(byte[] data, BLOCKSIZE blockSize, long knownSize, FLG.Bits... bits)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (LZ4FrameOutputStream lz = new LZ4FrameOutputStream(out, blockSize, knownSize, bits)) {
            lz.write(data);
        }
        return out.toByteArray();
    }

    private static byte[] decode(byte[] frame, int max) {
        GrowableBuffer out = Lz4Frame.decompress(frame, 0, frame.length, max);
        return Arrays.copyOf(out.array(), out.size());
    }

    @Test
    void readsFramesWithEveryOptionalField() throws IOException {
        byte[] data = sample(300_000, 1);
        assertThat(decode(referenceFrame(data, BLOCKSIZE.SIZE_64KB, -1L, FLG.Bits.BLOCK_INDEPENDENCE), 1 << 20))
                .isEqualTo(data);
        assertThat(decode(referenceFrame(data, BLOCKSIZE.SIZE_256KB, data.length, FLG.Bits.BLOCK_INDEPENDENCE,
                FLG.Bits.BLOCK_CHECKSUM, FLG.Bits.CONTENT_CHECKSUM, FLG.Bits.CONTENT_SIZE), 1 << 20)).isEqualTo(data);
        assertThat(decode(referenceFrame(new byte[0], BLOCKSIZE.SIZE_4MB, -1L, FLG.Bits.BLOCK_INDEPENDENCE), 10))
                .isEmpty();
    }

    @Test
    void writesFramesTheReferenceReaderAccepts() throws IOException {
        for (int size : new int[] {0, 1, 100, 65_536, 65_537, 500_000}) {
            byte[] data = sample(size, size);
            byte[] random = new byte[size];
            new Random(size).nextBytes(random); // incompressible: stored blocks
            for (byte[] d : new byte[][] {data, random}) {
                GrowableBuffer frame = new GrowableBuffer(0);
                Lz4Frame.compress(d, 0, d.length, frame);
                try (LZ4FrameInputStream in = new LZ4FrameInputStream(
                        new java.io.ByteArrayInputStream(frame.array(), 0, frame.size()))) {
                    assertThat(in.readAllBytes()).isEqualTo(d);
                }
                assertThat(decode(Arrays.copyOf(frame.array(), frame.size()), 1 << 20)).isEqualTo(d);
            }
        }
    }

    @Test
    void rejectsBadChecksumsDependentBlocksAndTruncation() throws IOException {
        byte[] data = sample(100_000, 2);
        byte[] good = referenceFrame(data, BLOCKSIZE.SIZE_64KB, -1L, FLG.Bits.BLOCK_INDEPENDENCE,
                FLG.Bits.BLOCK_CHECKSUM, FLG.Bits.CONTENT_CHECKSUM);

        byte[] badHeader = good.clone();
        badHeader[6] ^= 1;
        assertCorrupt(() -> decode(badHeader, 1 << 20));

        byte[] badBlock = good.clone();
        badBlock[20] ^= 1;
        assertCorrupt(() -> decode(badBlock, 1 << 20));

        byte[] badContent = good.clone();
        badContent[badContent.length - 1] ^= 1;
        assertCorrupt(() -> decode(badContent, 1 << 20));

        for (int cut = 1; cut < good.length; cut += 997) {
            byte[] truncated = Arrays.copyOf(good, good.length - cut);
            assertCorrupt(() -> decode(truncated, 1 << 20));
        }

        // lz4-java cannot write dependent blocks: clear the flag and fix the header checksum
        byte[] dependent = referenceFrame(data, BLOCKSIZE.SIZE_64KB, -1L, FLG.Bits.BLOCK_INDEPENDENCE);
        dependent[4] &= ~0x20;
        dependent[6] = (byte) (net.jpountz.xxhash.XXHashFactory.safeInstance().hash32().hash(dependent, 4, 2, 0) >> 8);
        assertCorrupt(() -> decode(dependent, 1 << 20));

        assertCorrupt(() -> decode(referenceFrame(data, BLOCKSIZE.SIZE_64KB, -1L, FLG.Bits.BLOCK_INDEPENDENCE),
                50_000));
    }

    @Test
    void skipsLeadingSkippableFrames() throws IOException {
        byte[] data = sample(1000, 3);
        byte[] frame = referenceFrame(data, BLOCKSIZE.SIZE_64KB, -1L, FLG.Bits.BLOCK_INDEPENDENCE);
        byte[] withSkippable = new byte[8 + 5 + frame.length];
        withSkippable[0] = 0x5A;
        withSkippable[1] = 0x2A;
        withSkippable[2] = 0x4D;
        withSkippable[3] = 0x18;
        withSkippable[4] = 5;
        System.arraycopy(frame, 0, withSkippable, 13, frame.length);
        assertThat(decode(withSkippable, 1 << 20)).isEqualTo(data);
    }
}
