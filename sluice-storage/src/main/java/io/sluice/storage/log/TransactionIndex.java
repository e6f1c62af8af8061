package io.sluice.storage.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The aborted-transaction index of one segment ({@code <base offset>.txnindex}): every transaction whose ABORT
 * marker lies in this segment, so a read_committed fetch learns which producer ranges to skip without scanning.
 *
 * <p><b>Byte layout.</b> Entries back to back, no header, big-endian, 24 bytes each:
 * <pre>
 *   int64 producerId
 *   int64 firstOffset   offset of the transaction's first batch (may lie in an earlier segment)
 *   int64 lastOffset    offset of the ABORT marker
 * </pre>
 * Entries are in marker order. Like the other indexes it has no checksum: it is rebuilt from the markers
 * whenever the segment is re-scanned at start-up. A torn last entry (file length not a multiple of 24) is dropped.
 *
 * <p><b>Threading.</b> Appended by the writer thread; the entries are also held in a copy-on-write list (aborts are
 * rare) that readers iterate without locks.
 */
final class TransactionIndex {
    static final int ENTRY_SIZE = 24;

    record Entry(long producerId, long firstOffset, long lastOffset) {
    }

    private final Path file;
    private final CopyOnWriteArrayList<Entry> entries = new CopyOnWriteArrayList<>();

    private TransactionIndex(Path file) {
        this.file = file;
    }

    /** Loads the entries of an existing file (or none). */
    static TransactionIndex open(Path file) throws IOException {
        TransactionIndex idx = new TransactionIndex(file);
        if (Files.exists(file)) {
            byte[] bytes = Files.readAllBytes(file);
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.remaining() >= ENTRY_SIZE) {
                idx.entries.add(new Entry(b.getLong(), b.getLong(), b.getLong()));
            }
        }
        return idx;
    }

    Path file() {
        return file;
    }

    List<Entry> entries() {
        return entries;
    }

    void append(Entry e) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(ENTRY_SIZE);
        b.putLong(e.producerId).putLong(e.firstOffset).putLong(e.lastOffset).flip();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }
        entries.add(e);
    }

    /** Rewrites the file with exactly {@code keep} (recovery rebuild, truncation). */
    void rewrite(List<Entry> keep) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(keep.size() * ENTRY_SIZE);
        for (Entry e : keep) {
            b.putLong(e.producerId).putLong(e.firstOffset).putLong(e.lastOffset);
        }
        b.flip();
        if (keep.isEmpty()) {
            Files.deleteIfExists(file);
        } else {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            }
        }
        entries.clear();
        entries.addAll(keep);
    }

    void flush() throws IOException {
        if (Files.exists(file)) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
        }
    }
}
