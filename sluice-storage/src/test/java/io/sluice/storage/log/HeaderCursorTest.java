package io.sluice.storage.log;

import io.sluice.storage.record.RecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Walking batch headers through the cursor, with batches small enough to share a window and large enough that the
 * cursor switches to header-sized refills, mixed in one file.
 */
class HeaderCursorTest {

    @Test
    void walksMixedSmallAndLargeBatchesInOrder(@TempDir Path dir) throws IOException {
        Random random = new Random(42);
        List<long[]> written = new ArrayList<>(); // {position, baseOffset, size, lastOffsetDelta}
        long position = 0;
        long offset = 0;
        try (FileChannel ch = FileChannel.open(dir.resolve("segment"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            for (int i = 0; i < 200; i++) {
                int size = switch (random.nextInt(3)) {
                    case 0 -> RecordBatch.HEADER_SIZE + random.nextInt(200);
                    case 1 -> 3_000 + random.nextInt(2_000);
                    default -> 16_000 + random.nextInt(20_000);
                };
                int delta = random.nextInt(50);
                ByteBuffer b = ByteBuffer.allocate(size);
                b.putLong(0, offset).putInt(8, size - RecordBatch.LOG_OVERHEAD).putInt(23, delta)
                        .putLong(35, 1000 + i);
                ch.write(b, position);
                written.add(new long[] {position, offset, size, delta});
                position += size;
                offset += delta + 1;
            }
            HeaderCursor c = HeaderCursor.get(ch, position);
            long pos = 0;
            for (long[] w : written) {
                assertThat(c.at(pos)).isTrue();
                assertThat(pos).isEqualTo(w[0]);
                assertThat(c.baseOffset()).isEqualTo(w[1]);
                assertThat(c.size()).isEqualTo((int) w[2]);
                assertThat(c.lastOffset()).isEqualTo(w[1] + w[3]);
                pos += c.size();
            }
            assertThat(c.at(pos)).as("nothing past the limit").isFalse();
            // Jumping backwards (a new lookup) after large batches still reads the right header.
            long[] early = written.get(3);
            assertThat(c.at(early[0])).isTrue();
            assertThat(c.baseOffset()).isEqualTo(early[1]);
        }
    }
}
