package io.sluice.storage.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The per-log checkpoint file ({@code checkpoint} in the log's directory): where recovery may start and where the
 * log starts.
 *
 * <p><b>Byte layout</b> (big-endian, 27 bytes):
 * <pre>
 *   int32 magic 0x534C434B ("SLCK")
 *   int16 version (1)
 *   int8  flags: bit 0 = clean shutdown (every segment, index and the producer snapshot were flushed at close)
 *   int64 logStartOffset   raised by retention and DeleteRecords; never derived from file names because a
 *                          DeleteRecords may point into the middle of a segment
 *   int64 recoveryPoint    every segment wholly below it is fsynced and trusted; segments from the one holding it
 *                          onwards are re-validated after an unclean shutdown
 *   int32 CRC32C of the preceding 23 bytes
 * </pre>
 * Written to {@code checkpoint.tmp}, fsynced and renamed over the old file, then the directory is fsynced, so a
 * crash leaves either the old or the new checkpoint. It is rewritten as "unclean" as soon as a log is opened, so
 * a crash is never mistaken for a clean shutdown. A missing or damaged checkpoint makes recovery re-validate every
 * segment. Unlike the indexes it carries a checksum because nothing else records the log start offset.
 */
record LogCheckpoint(boolean clean, long logStartOffset, long recoveryPoint) {
    static final String FILE = "checkpoint";
    private static final int MAGIC = 0x534C434B;
    private static final short VERSION = 1;
    private static final int SIZE = 27;

    /** The checkpoint in {@code dir}, or null if it is missing or damaged. */
    static LogCheckpoint read(Path dir) {
        try {
            byte[] bytes = Files.readAllBytes(dir.resolve(FILE));
            if (bytes.length != SIZE) {
                return null;
            }
            ByteBuffer b = ByteBuffer.wrap(bytes);
            CRC32C crc = new CRC32C();
            crc.update(bytes, 0, SIZE - 4);
            if (b.getInt(SIZE - 4) != (int) crc.getValue() || b.getInt() != MAGIC || b.getShort() != VERSION) {
                return null;
            }
            boolean clean = (b.get() & 1) != 0;
            return new LogCheckpoint(clean, b.getLong(), b.getLong());
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    void write(Path dir) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(SIZE);
        b.putInt(MAGIC).putShort(VERSION).put((byte) (clean ? 1 : 0)).putLong(logStartOffset).putLong(recoveryPoint);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, SIZE - 4);
        b.putInt((int) crc.getValue()).flip();
        writeAtomically(dir, FILE, b);
    }

    /** Writes {@code name} via a fsynced temporary file and a rename, then fsyncs the directory. */
    static void writeAtomically(Path dir, String name, ByteBuffer content) throws IOException {
        writeAtomically(dir, name, content, true);
    }

    /**
     * As {@link #writeAtomically(Path, String, ByteBuffer)}; {@code syncDir} false leaves the directory fsync to a
     * later write in the same directory (the checkpoint written right after a snapshot).
     */
    static void writeAtomically(Path dir, String name, ByteBuffer content, boolean syncDir) throws IOException {
        Path tmp = dir.resolve(name + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (content.hasRemaining()) {
                ch.write(content);
            }
            ch.force(true);
        }
        Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (syncDir) {
            syncDirectory(dir);
        }
    }

    static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // not every platform can fsync a directory; the rename is still atomic there
        }
    }
}
