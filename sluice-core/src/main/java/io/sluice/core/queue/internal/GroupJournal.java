package io.sluice.core.queue.internal;

import io.sluice.core.ErrorCode;
import io.sluice.core.SluiceException;
import io.sluice.storage.AppendOptions;
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
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state log of one delivery group: every state change as a record, and periodic snapshots after which the older
 * records are deleted, so start-up replays a bounded log.
 *
 * <p><b>Log.</b> An internal log of its own in the group's scope (see {@link #logName}), durability
 * {@code os-cache}: an append completes when it is in the page cache. A process crash loses nothing; a machine crash
 * may lose the last flush interval of delivery records, after which some acknowledged messages are delivered again
 * (at-least-once, never lost). The records of one executor turn are written as one batch, in the order they happened.
 *
 * <p><b>Record format.</b> Each record of a batch has no key; its value is one state change, big-endian:
 * <pre>
 *   DELIVERED (1): offset i64 | deliveryCount i32 | deliveredAt i64 (ms) | consumer str
 *   REMOVED   (2): n i32 | n x (start i64 | endExclusive i64)          acked, dropped, expired or dead-lettered
 *   RETURNED  (3): offset i64 | deliveryCount i32 | notBefore i64 (ms) back to ready (nack, lease, consumer gone)
 *   CURSOR    (4): offset i64                                          next never-delivered offset (groups on streams)
 *   CONSUMER+ (5): name str                                            consumer registered
 *   CONSUMER- (6): name str                                            consumer forgotten (its pending dropped)
 *   SNAPSHOT  (7): cursor i64
 *                  | nDone i32 | nDone x (start i64 | endExclusive i64)
 *                  | nPending i32 | nPending x (offset i64 | count i32 | deliveredAt i64 | consumer str)
 *                  | nReturned i32 | nReturned x (offset i64 | count i32 | notBefore i64)
 *                  | nConsumers i32 | nConsumers x name str
 *   DELIVERED+ (8): start i64 | n i32 | deliveryCount i32 | deliveredAt i64 (ms) | consumer str
 *                                                                      DELIVERED for each of start .. start + n - 1
 *   str = length u16 | UTF-8 bytes
 * </pre>
 * The first byte is the type. Replay applies records in order from the log start; a SNAPSHOT replaces the whole state.
 * "Done" ranges are kept by queues only (a queue re-reads its whole log at start-up and skips them); groups on
 * streams keep a cursor instead, below which every offset that is neither pending nor returned is done. A snapshot
 * is a single record, so its size (about 30 bytes per pending entry) is bounded by the log's batch limit of
 * {@value #MAX_BATCH_BYTES} bytes: about two million pending entries per group.
 *
 * <p>Not thread-safe: owned by the group's executor. Appends never block it: they complete on a storage thread and
 * only log failures.
 */
final class GroupJournal {
    private static final Logger LOG = LoggerFactory.getLogger(GroupJournal.class);
    static final int MAX_BATCH_BYTES = 64 * 1024 * 1024;
    /** Records after which a snapshot is written (and older records deleted). */
    static final int SNAPSHOT_EVERY = 10_000;

    static final byte DELIVERED = 1;
    static final byte REMOVED = 2;
    static final byte RETURNED = 3;
    static final byte CURSOR = 4;
    static final byte CONSUMER_ADDED = 5;
    static final byte CONSUMER_REMOVED = 6;
    static final byte SNAPSHOT = 7;
    static final byte DELIVERED_RUN = 8;

    private final LogStore store;
    private final PartitionLog log;
    private final List<byte[]> out = new ArrayList<>();
    private OffsetRanges removing;
    /**
     * Deliveries of consecutive offsets with the same count, time and consumer, not written yet: a fetch of hundreds
     * of messages is one DELIVERED+ record, not one record each. {@code runLength} 0 = none.
     */
    private long runStart;
    private int runLength;
    private int runCount;
    private long runAt;
    private String runConsumer;
    /** Records since the last snapshot, a run counting as one per delivery in it. */
    private int sinceSnapshot;

    /** The replayed (or snapshotted) state of a group. Slots carry offset, count, consumer, times. */
    static final class State {
        long cursor = -1;
        final OffsetRanges done = new OffsetRanges();
        final TreeMap<Long, Slot> pending = new TreeMap<>();
        final TreeMap<Long, Slot> returned = new TreeMap<>();
        final Set<String> consumers = new LinkedHashSet<>();
    }

    private GroupJournal(LogStore store, PartitionLog log) {
        this.store = store;
        this.log = log;
    }

    /** The internal stream name of a group's state log: NUL-separated, so no queue or group name can collide. */
    static String logName(String queue, String group) {
        return "\u0000group\u0000" + queue + "\u0000" + group;
    }

    static GroupJournal open(LogStore store, LogId id) {
        LogConfig config = LogConfig.defaults()
                .withDurability(Durability.OS_CACHE)
                .withRetention(-1, -1)
                .withSegmentBytes(8 * 1024 * 1024)
                .withMaxBatchBytes(MAX_BATCH_BYTES);
        return new GroupJournal(store, store.open(id, config));
    }

    void delivered(long offset, int count, long at, String consumer) {
        closeRemoved();
        sinceSnapshot++;
        if (runLength > 0 && offset == runStart + runLength && count == runCount && at == runAt
                && consumer.equals(runConsumer)) {
            runLength++;
            return;
        }
        closeRun();
        runStart = offset;
        runLength = 1;
        runCount = count;
        runAt = at;
        runConsumer = consumer;
    }

    private void closeRun() {
        if (runLength == 0) {
            return;
        }
        byte[] c = utf8(runConsumer);
        ByteBuffer b;
        if (runLength == 1) {
            b = ByteBuffer.allocate(1 + 8 + 4 + 8 + 2 + c.length);
            b.put(DELIVERED).putLong(runStart).putInt(runCount).putLong(runAt);
        } else {
            b = ByteBuffer.allocate(1 + 8 + 4 + 4 + 8 + 2 + c.length);
            b.put(DELIVERED_RUN).putLong(runStart).putInt(runLength).putInt(runCount).putLong(runAt);
        }
        putStr(b, c);
        runLength = 0;
        runConsumer = null;
        out.add(b.array());
    }

    void removed(long offset) {
        closeRun();
        if (removing == null) {
            removing = new OffsetRanges();
        }
        removing.add(offset);
    }

    void returned(long offset, int count, long notBefore) {
        ByteBuffer b = ByteBuffer.allocate(1 + 8 + 4 + 8);
        b.put(RETURNED).putLong(offset).putInt(count).putLong(notBefore);
        add(b.array());
    }

    void cursor(long offset) {
        ByteBuffer b = ByteBuffer.allocate(1 + 8);
        b.put(CURSOR).putLong(offset);
        add(b.array());
    }

    void consumerAdded(String name) {
        byte[] c = utf8(name);
        add(ByteBuffer.allocate(1 + 2 + c.length).put(CONSUMER_ADDED).putShort((short) c.length).put(c).array());
    }

    void consumerRemoved(String name) {
        byte[] c = utf8(name);
        add(ByteBuffer.allocate(1 + 2 + c.length).put(CONSUMER_REMOVED).putShort((short) c.length).put(c).array());
    }

    private void add(byte[] record) {
        closeRemoved();
        closeRun();
        sinceSnapshot++;
        out.add(record);
    }

    private void closeRemoved() {
        if (removing == null) {
            return;
        }
        OffsetRanges r = removing;
        removing = null;
        ByteBuffer b = ByteBuffer.allocate(1 + 4 + r.rangeCount() * 16);
        b.put(REMOVED).putInt(r.rangeCount());
        r.forEach((s, e) -> b.putLong(s).putLong(e));
        sinceSnapshot++;
        out.add(b.array());
    }

    boolean wantsSnapshot() {
        return sinceSnapshot >= SNAPSHOT_EVERY;
    }

    /** Appends the records of this turn as one batch. */
    void flush(long now) {
        closeRemoved();
        closeRun();
        if (out.isEmpty()) {
            return;
        }
        RecordBatchBuilder b = RecordBatchBuilder.create(Compression.NONE);
        for (byte[] r : out) {
            b.append(now, (byte[]) null, r, List.of());
        }
        out.clear();
        log.append(b.build(), AppendOptions.INTERNAL).whenComplete((i, t) -> {
            if (t != null) {
                LOG.warn("group state append to {} failed", log.id(), t);
            }
        });
    }

    /**
     * Appends a snapshot (after this turn's records) and deletes every record before it once it is written. The
     * arguments are read at once, so the caller may pass its live structures.
     */
    void snapshot(long cursor, OffsetRanges done, Collection<Slot> pending, Collection<Slot> returned,
                  Collection<String> consumerNames, long now) {
        flush(now);
        List<byte[]> names = new ArrayList<>();
        int size = 1 + 8 + 4 + done.rangeCount() * 16 + 4 + 4 + 4;
        for (Slot p : pending) {
            byte[] c = utf8(p.consumer);
            names.add(c);
            size += 8 + 4 + 8 + 2 + c.length;
        }
        size += returned.size() * 20;
        List<byte[]> consumers = new ArrayList<>();
        for (String c : consumerNames) {
            byte[] b = utf8(c);
            consumers.add(b);
            size += 2 + b.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put(SNAPSHOT).putLong(cursor).putInt(done.rangeCount());
        done.forEach((st, e) -> b.putLong(st).putLong(e));
        b.putInt(pending.size());
        int i = 0;
        for (Slot p : pending) {
            b.putLong(p.offset).putInt(p.count).putLong(p.lastDeliveredAt);
            putStr(b, names.get(i++));
        }
        b.putInt(returned.size());
        for (Slot r : returned) {
            b.putLong(r.offset).putInt(r.count).putLong(r.notBefore);
        }
        b.putInt(consumers.size());
        consumers.forEach(c -> putStr(b, c));
        ByteBuffer batch = RecordBatchBuilder.create(Compression.NONE).append(now, (byte[]) null, b.array(), List.of())
                .build();
        sinceSnapshot = 0;
        log.append(batch, AppendOptions.INTERNAL).whenComplete((info, t) -> {
            if (t != null) {
                LOG.warn("group snapshot append to {} failed", log.id(), t);
            } else {
                log.deleteRecordsBefore(info.firstOffset());
            }
        });
    }

    /** Replays the log from its start. */
    State replay() {
        State s = new State();
        long offset = log.logStartOffset();
        long end = log.highWatermark();
        int records = 0;
        while (offset < end) {
            LogReadResult r = log.read(offset, 1024 * 1024, end);
            ByteBuffer buf;
            try {
                buf = r.records().toByteBuffer();
            } catch (IOException e) {
                throw new SluiceException(ErrorCode.STORAGE_ERROR, "reading group state " + log.id(), e);
            }
            long next = offset;
            for (RecordBatch batch : RecordBatches.iterate(buf)) {
                next = batch.nextOffset();
                if (batch.isControl()) {
                    continue;
                }
                for (Record rec : batch.records()) {
                    if (rec.offset() >= offset) {
                        apply(s, rec.value().duplicate());
                        records++;
                    }
                }
            }
            if (next <= offset) {
                break;
            }
            offset = next;
        }
        sinceSnapshot = records;
        return s;
    }

    private static void apply(State s, ByteBuffer b) {
        byte type = b.get();
        switch (type) {
            case DELIVERED -> {
                long offset = b.getLong();
                int count = b.getInt();
                long at = b.getLong();
                delivered(s, offset, 1, count, at, getStr(b));
            }
            case DELIVERED_RUN -> {
                long start = b.getLong();
                int n = b.getInt();
                int count = b.getInt();
                long at = b.getLong();
                delivered(s, start, n, count, at, getStr(b));
            }
            case REMOVED -> {
                int n = b.getInt();
                for (int i = 0; i < n; i++) {
                    long st = b.getLong();
                    long e = b.getLong();
                    s.done.add(st, e);
                    s.pending.subMap(st, e).clear();
                    s.returned.subMap(st, e).clear();
                }
            }
            case RETURNED -> {
                Slot r = new Slot(b.getLong());
                r.count = b.getInt();
                r.notBefore = b.getLong();
                s.pending.remove(r.offset);
                s.returned.put(r.offset, r);
            }
            case CURSOR -> s.cursor = b.getLong();
            case CONSUMER_ADDED -> s.consumers.add(getStr(b));
            case CONSUMER_REMOVED -> {
                String c = getStr(b);
                s.consumers.remove(c);
                s.pending.values().removeIf(p -> p.consumer.equals(c));
            }
            case SNAPSHOT -> {
                s.cursor = b.getLong();
                s.done.clear();
                s.pending.clear();
                s.returned.clear();
                s.consumers.clear();
                int n = b.getInt();
                for (int i = 0; i < n; i++) {
                    s.done.add(b.getLong(), b.getLong());
                }
                n = b.getInt();
                for (int i = 0; i < n; i++) {
                    Slot p = new Slot(b.getLong());
                    p.count = b.getInt();
                    p.lastDeliveredAt = b.getLong();
                    p.consumer = getStr(b);
                    s.pending.put(p.offset, p);
                }
                n = b.getInt();
                for (int i = 0; i < n; i++) {
                    Slot r = new Slot(b.getLong());
                    r.count = b.getInt();
                    r.notBefore = b.getLong();
                    s.returned.put(r.offset, r);
                }
                n = b.getInt();
                for (int i = 0; i < n; i++) {
                    s.consumers.add(getStr(b));
                }
            }
            default -> LOG.warn("unknown group state record type {}", type);
        }
    }

    /** Replays the delivery of offsets {@code start .. start + n - 1}: pending for {@code consumer}, no longer returned. */
    private static void delivered(State s, long start, int n, int count, long at, String consumer) {
        for (long o = start; o < start + n; o++) {
            Slot p = new Slot(o);
            p.count = count;
            p.lastDeliveredAt = at;
            p.consumer = consumer;
            s.returned.remove(o);
            s.pending.put(o, p);
        }
        s.cursor = Math.max(s.cursor, start + n);
    }

    /** Deletes the state log (the group was deleted). */
    void delete() {
        store.delete(log.id());
    }

    private static byte[] utf8(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > 0xffff) {
            throw new SluiceException(ErrorCode.INVALID_ARGUMENT, "consumer name too long");
        }
        return b;
    }

    private static void putStr(ByteBuffer b, byte[] s) {
        b.putShort((short) s.length).put(s);
    }

    private static String getStr(ByteBuffer b) {
        int n = Short.toUnsignedInt(b.getShort());
        byte[] s = new byte[n];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

}
