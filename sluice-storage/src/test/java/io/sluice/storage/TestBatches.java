package io.sluice.storage;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds record batches with the official Kafka client library and decodes what the log returns with it, so the
 * storage tests also prove that Kafka's own code accepts our bytes.
 */
public final class TestBatches {
    private TestBatches() {
    }

    /** A decoded record: offset, timestamp, key and value as strings (null stays null). */
    public record Rec(long offset, long timestamp, String key, String value) {
    }

    public static ByteBuffer plain(long timestamp, String... values) {
        return MemoryRecords.withRecords(Compression.NONE, records(timestamp, values)).buffer();
    }

    public static ByteBuffer keyed(long timestamp, String key, String value) {
        return MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(timestamp, bytes(key), bytes(value)))
                .buffer();
    }

    public static ByteBuffer idempotent(long pid, short epoch, int seq, String... values) {
        return MemoryRecords.withIdempotentRecords(Compression.NONE, pid, epoch, seq, records(1000, values)).buffer();
    }

    public static ByteBuffer transactional(long pid, short epoch, int seq, String... values) {
        return MemoryRecords.withTransactionalRecords(Compression.NONE, pid, epoch, seq, records(1000, values))
                .buffer();
    }

    public static ByteBuffer marker(long pid, short epoch, boolean commit) {
        return MemoryRecords.withEndTransactionMarker(2000, pid, epoch,
                new EndTransactionMarker(commit ? ControlRecordType.COMMIT : ControlRecordType.ABORT, 0)).buffer();
    }

    public static ByteBuffer concat(ByteBuffer... parts) {
        int n = 0;
        for (ByteBuffer p : parts) {
            n += p.remaining();
        }
        ByteBuffer all = ByteBuffer.allocate(n);
        for (ByteBuffer p : parts) {
            all.put(p.duplicate());
        }
        return all.flip();
    }

    /** Decodes every data record of the slice (control records are skipped). */
    public static List<Rec> decode(LogSlice slice) {
        try {
            return decode(slice.toByteBuffer());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<Rec> decode(ByteBuffer buf) {
        List<Rec> out = new ArrayList<>();
        for (RecordBatch b : MemoryRecords.readableRecords(buf).batches()) {
            b.ensureValid();
            if (b.isControlBatch()) {
                continue;
            }
            for (Record r : b) {
                out.add(new Rec(r.offset(), r.timestamp(), string(r.key()), string(r.value())));
            }
        }
        return out;
    }

    /** Base offsets of every batch in the slice, control batches included. */
    public static List<Long> baseOffsets(LogSlice slice) throws IOException {
        List<Long> out = new ArrayList<>();
        for (RecordBatch b : MemoryRecords.readableRecords(slice.toByteBuffer()).batches()) {
            out.add(b.baseOffset());
        }
        return out;
    }

    private static SimpleRecord[] records(long timestamp, String... values) {
        SimpleRecord[] rs = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            rs[i] = new SimpleRecord(timestamp, null, bytes(values[i]));
        }
        return rs;
    }

    static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static String string(ByteBuffer b) {
        if (b == null) {
            return null;
        }
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return new String(a, StandardCharsets.UTF_8);
    }
}
