package io.sluice.core.internal;

import io.sluice.storage.AppendOptions;
import io.sluice.storage.CleanupPolicy;
import io.sluice.storage.Durability;
import io.sluice.storage.LogConfig;
import io.sluice.storage.LogId;
import io.sluice.storage.LogReadResult;
import io.sluice.storage.LogStore;
import io.sluice.storage.PartitionLog;
import io.sluice.storage.record.Compression;
import io.sluice.storage.record.Record;
import io.sluice.storage.record.RecordBatch;
import io.sluice.storage.record.RecordBatchBuilder;
import io.sluice.storage.record.RecordBatches;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A keyed table kept as a compacted internal log: each change is one record whose key is {@code type NUL key} (UTF-8)
 * and whose value is the new bytes, or null to delete. The storage compactor keeps the newest record per key, so the
 * log is its own snapshot: start-up reads it once from the log start and holds the live rows in memory.
 *
 * <p>Used for the metadata (streams, queues, exchanges, bindings, groups, key-value state) and, in a second instance,
 * for consumer offsets, whose churn should not slow metadata replay.
 *
 * <p>Thread-safe: the in-memory rows are concurrent maps updated before the append is issued; appends go to the log's
 * single writer in call order, so the log order matches the order of {@link #put} calls per key.
 */
public final class CompactedLogTable implements MetadataLog, AutoCloseable {
    private final PartitionLog log;
    private final Map<String, Map<String, byte[]>> rows = new ConcurrentHashMap<>();

    private CompactedLogTable(PartitionLog log) {
        this.log = log;
    }

    /** Opens (creating if needed) and replays the table stored in the internal log {@code name}. */
    public static CompactedLogTable open(LogStore store, String name) {
        LogConfig config = LogConfig.defaults()
                .withCleanupPolicy(CleanupPolicy.COMPACT)
                .withDurability(Durability.FSYNC)
                .withSegmentBytes(16 * 1024 * 1024)
                .withRetention(-1, -1);
        PartitionLog log = store.open(new LogId("__sluice", "__sluice", name, 0), config);
        CompactedLogTable table = new CompactedLogTable(log);
        table.replay();
        return table;
    }

    private void replay() {
        long offset = log.logStartOffset();
        long end = log.highWatermark();
        while (offset < end) {
            LogReadResult r = log.read(offset, 1024 * 1024, end);
            ByteBuffer buf;
            try {
                buf = r.records().toByteBuffer();
            } catch (IOException e) {
                throw new UncheckedIOException("reading internal log " + log.id(), e);
            }
            long next = offset;
            for (RecordBatch batch : RecordBatches.iterate(buf)) {
                next = batch.nextOffset();
                if (batch.isControl()) {
                    continue;
                }
                for (Record rec : batch.records()) {
                    if (rec.offset() >= offset) {
                        apply(rec);
                    }
                }
            }
            if (next <= offset) {
                break;
            }
            offset = next;
        }
    }

    private void apply(Record rec) {
        String k = new String(rec.keyBytes(), StandardCharsets.UTF_8);
        int sep = k.indexOf('\0');
        String type = k.substring(0, sep);
        String key = k.substring(sep + 1);
        byte[] value = rec.valueBytes();
        if (value == null) {
            rows.computeIfAbsent(type, t -> new ConcurrentHashMap<>()).remove(key);
        } else {
            rows.computeIfAbsent(type, t -> new ConcurrentHashMap<>()).put(key, value);
        }
    }

    @Override
    public CompletableFuture<Void> put(String type, String key, byte[] value) {
        return putAll(type, Collections.singletonMap(key, value));
    }

    /** Writes several rows of one type in one batch (atomically durable). A null value deletes its row. */
    public synchronized CompletableFuture<Void> putAll(String type, Map<String, byte[]> values) {
        Map<String, byte[]> table = rows.computeIfAbsent(type, t -> new ConcurrentHashMap<>());
        RecordBatchBuilder b = RecordBatchBuilder.create(Compression.NONE);
        long now = System.currentTimeMillis();
        for (Map.Entry<String, byte[]> e : values.entrySet()) {
            if (e.getValue() == null) {
                table.remove(e.getKey());
            } else {
                table.put(e.getKey(), e.getValue());
            }
            byte[] k = (type + '\0' + e.getKey()).getBytes(StandardCharsets.UTF_8);
            b.append(now, k, e.getValue(), List.of());
        }
        // Synchronized so the append order equals the order in which rows were updated in memory.
        return log.append(b.build(), AppendOptions.INTERNAL).thenApply(i -> null);
    }

    @Override
    public Map<String, byte[]> all(String type) {
        return Collections.unmodifiableMap(rows.getOrDefault(type, Map.of()));
    }

    public byte[] get(String type, String key) {
        Map<String, byte[]> t = rows.get(type);
        return t == null ? null : t.get(key);
    }

    @Override
    public void close() {
        log.close();
    }
}
