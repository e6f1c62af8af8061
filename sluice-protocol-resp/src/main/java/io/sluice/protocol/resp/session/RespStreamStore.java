package io.sluice.protocol.resp.session;

import io.sluice.core.Broker;
import io.sluice.core.CallContext;
import io.sluice.core.ErrorCode;
import io.sluice.core.SluiceException;
import io.sluice.core.stream.StreamConfig;
import io.sluice.core.stream.StreamInfo;
import io.sluice.core.stream.StreamPartition;
import io.sluice.core.stream.StreamReads;
import io.sluice.core.stream.StreamSpec;
import io.sluice.storage.record.Record;
import io.sluice.storage.record.RecordBatch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Redis streams on top of core streams: a Redis stream key is a single-partition Sluice stream of the same name in
 * the default scope, so Kafka clients read it as a one-partition topic.
 *
 * <p><b>Ids and offsets.</b> Every XADD appends one record whose {@link RespEntryCodec#ID} header holds the id and
 * whose timestamp is the id's milliseconds. Ids grow strictly with offsets (XADD refuses smaller ids, and appends
 * to one stream are issued under the stream's lock in id order), so a Kafka consumer sees the entries in the same
 * order as XRANGE. Ids are found through an in-memory index per stream ({@link RespIdIndex}): a binary search, no
 * log read. XADD feeds it as its appends complete; anything else (the first use after start-up, records appended by
 * other protocols) is indexed from the log on demand, decoding only the id header of each record once.
 * Streams are created with {@code retention.ms=-1} (Redis streams only shrink by XTRIM/XDEL; small explicit ids such as
 * {@code 1-1} would otherwise look ancient to time retention) and {@code message.timestamp.type=CreateTime}.
 *
 * <p><b>Length and trimming.</b> XLEN is the number of offsets between the log start and the high watermark minus
 * the XDEL marks ({@link RespStreamState}). Trimming moves the log start ({@link StreamPartition#deleteRecordsBefore}),
 * which Kafka consumers see as a DeleteRecords.
 *
 * <p>Thread-safe; shared by every connection of a listener. Reads run on the caller's thread and copy the batches
 * they need into the heap; id lookups read the log only to catch the index up.
 */
final class RespStreamStore {

    static final String KV_SPACE = "resp.streams";
    /** Bytes asked per log read; a read returns at least one whole batch anyway. */
    private static final int READ_BYTES = 256 * 1024;

    private final Broker broker;
    private final CallContext ctx;
    private final ConcurrentHashMap<String, RespStreamState> states = new ConcurrentHashMap<>();

    RespStreamStore(Broker broker, CallContext ctx) {
        this.broker = broker;
        this.ctx = ctx;
    }

    Broker broker() {
        return broker;
    }

    CallContext ctx() {
        return ctx;
    }

    // ---- resolving streams ----

    /** The stream's partition, or empty if no such key; a multi-partition stream is not a Redis stream. */
    Optional<StreamPartition> find(String key) {
        Optional<StreamInfo> info = describe(key);
        return info.isEmpty() ? Optional.empty() : partition(key);
    }

    /** Whether {@code key} names a Redis stream (false for none and for another kind of stream). */
    boolean exists(String key) {
        try {
            return describe(key).isPresent();
        } catch (RespCommandException wrongType) {
            return false;
        }
    }

    /** The stream's description, or empty if no such key; WRONGTYPE for a stream that is not a Redis stream. */
    private Optional<StreamInfo> describe(String key) {
        Optional<StreamInfo> info = broker.streams().describe(ctx, key);
        if (info.isPresent() && (info.get().partitions() != 1 || info.get().kind() != StreamInfo.Kind.STREAM)) {
            throw new RespCommandException(RespErrors.WRONGTYPE);
        }
        return info;
    }

    /** The described stream's partition, or empty if it was deleted in the meantime. */
    private Optional<StreamPartition> partition(String key) {
        try {
            return Optional.of(broker.streams().partition(ctx, key, 0));
        } catch (SluiceException e) {
            if (e.code() == ErrorCode.STREAM_NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * The stream's partition if it exists and accepts record batches of {@code batchBytes} (its {@code
     * max.message.bytes}, settable through Kafka, is not lower), else empty: what {@link RespAppendBatch} may group.
     */
    Optional<StreamPartition> findGroupable(String key, int batchBytes) {
        Optional<StreamInfo> info = describe(key);
        if (info.isEmpty()) {
            return Optional.empty();
        }
        String limit = info.get().config().get(StreamConfig.MAX_MESSAGE_BYTES);
        try {
            if (limit != null && Integer.parseInt(limit.trim()) < batchBytes) {
                return Optional.empty();
            }
        } catch (NumberFormatException e) {
            return Optional.empty(); // not ours to judge: the ungrouped path appends as the stream allows
        }
        return partition(key);
    }

    /** The stream's partition, creating the stream when missing (XADD, XGROUP CREATE MKSTREAM). */
    CompletableFuture<StreamPartition> findOrCreate(String key) {
        Optional<StreamPartition> p = find(key);
        if (p.isPresent()) {
            return CompletableFuture.completedFuture(p.get());
        }
        StreamSpec spec = new StreamSpec(key, 1, Map.of(StreamConfig.RETENTION_MS, "-1",
                StreamConfig.MESSAGE_TIMESTAMP_TYPE, "CreateTime"), List.of());
        return broker.streams().create(ctx, spec).handle((info, err) -> {
            if (err != null) {
                SluiceException e = SluiceException.from(err);
                if (e.code() != ErrorCode.STREAM_EXISTS) {
                    throw e;
                }
            }
            return broker.streams().partition(ctx, key, 0);
        });
    }

    /**
     * Deletes the Redis stream {@code key} (DEL, UNLINK): the core stream with its groups, then the XDEL marks kept for
     * it. Completes with true if this call deleted it, false if there was no such Redis stream (another kind of stream
     * of that name is left alone).
     */
    CompletableFuture<Boolean> delete(String key) {
        Optional<StreamInfo> info;
        try {
            info = describe(key);
        } catch (RespCommandException wrongType) {
            return CompletableFuture.completedFuture(false);
        }
        if (info.isEmpty()) {
            return CompletableFuture.completedFuture(false);
        }
        return broker.streams().delete(ctx, key).handle((v, err) -> {
            if (err == null) {
                return true;
            }
            SluiceException e = SluiceException.from(err);
            if (e.code() == ErrorCode.STREAM_NOT_FOUND) {
                return false; // deleted by someone else meanwhile
            }
            throw e;
        }).thenCompose(deleted -> {
            if (!deleted) {
                return CompletableFuture.completedFuture(false);
            }
            states.remove(key);
            return broker.kv().get(ctx, KV_SPACE, key).isEmpty() ? CompletableFuture.completedFuture(true)
                    : broker.kv().put(ctx, KV_SPACE, key, null).thenApply(x -> true);
        });
    }

    /**
     * The extra state of a stream, loaded on first use from the key-value store and the last record. Its id index
     * starts empty and is filled from the log by the first lookup ({@link #index}), not here: XADD and XREADGROUP
     * {@code >} never need it, so they never wait for a whole stream to be scanned.
     */
    RespStreamState state(String key, StreamPartition p) {
        RespStreamState s = states.get(key);
        if (s != null && s.streamId.equals(p.streamId())) {
            return s;
        }
        RespStreamState loaded = new RespStreamState(key, p.streamId());
        broker.kv().get(ctx, KV_SPACE, key).ifPresent(loaded::loadJson);
        long hw = p.highWatermark();
        if (hw > p.logStartOffset()) {
            RespStreamEntry last = entryAt(p, hw - 1);
            if (last != null && last.id().isAfter(loaded.lastId())) {
                loaded.lastId(last.id());
            }
        }
        RespStreamState raced = states.compute(key, (k, cur) ->
                cur != null && cur.streamId.equals(loaded.streamId) ? cur : loaded);
        return raced;
    }

    /** The id index of the stream {@code p}, caught up to its high watermark. */
    RespIdIndex index(StreamPartition p) {
        return catchUp(p, state(p.stream(), p).index);
    }

    /** Offsets an index may lag before a command catches it up on the read executor rather than inline. */
    static final long INLINE_CATCH_UP = 4096;

    /**
     * Whether a command on {@code key} should first catch the id index up on the read executor: the stream exists and
     * its state is not loaded yet, or its index is more than {@value #INLINE_CATCH_UP} offsets behind (the first
     * lookup after a restart scans the whole stream; that must not run on an event loop).
     */
    boolean indexLags(String key) {
        Optional<StreamPartition> p;
        try {
            p = find(key);
        } catch (RuntimeException e) {
            return false; // WRONGTYPE and the like: the command itself answers
        }
        if (p.isEmpty()) {
            return false;
        }
        RespStreamState s = states.get(key);
        if (s == null || !s.streamId.equals(p.get().streamId())) {
            return true;
        }
        return p.get().highWatermark() - s.index.end() > INLINE_CATCH_UP;
    }

    /** Loads the state of {@code key} and catches its index up; run on the read executor. */
    void warmUp(String key) {
        find(key).ifPresent(this::index);
    }

    /**
     * Brings {@code idx} in line with the log: trims what the log start passed, drops what a truncation removed, and
     * indexes the records no XADD completion reported (first use after start-up, appends by other protocols). Only
     * that catch-up reads the log; it decodes the id header of each record once.
     */
    RespIdIndex catchUp(StreamPartition p, RespIdIndex idx) {
        long logStart = p.logStartOffset();
        long hw = p.highWatermark();
        if (idx.start() < logStart || idx.end() < logStart) {
            idx.trimBefore(logStart);
        }
        if (idx.end() > hw) {
            idx.truncate(hw);
        }
        while (idx.end() < hw) {
            if (!indexFrom(p, idx, idx.end(), hw)) {
                break;
            }
        }
        return idx;
    }

    /** Indexes one read's worth of batches from {@code from}; false when nothing could be added. */
    private boolean indexFrom(StreamPartition p, RespIdIndex idx, long from, long hw) {
        StreamReads.Chunk c = StreamReads.read(p, from, READ_BYTES);
        if (c == null) {
            return false;
        }
        for (RecordBatch b : c.batches()) {
            long batchEnd = Math.min(b.nextOffset(), hw);
            if (!b.isControl()) {
                for (Record rec : b) {
                    long o = rec.offset();
                    if (o >= batchEnd) {
                        break;
                    }
                    if (o < idx.end()) {
                        continue;
                    }
                    fillGaps(idx, o);
                    idx.add(o, RespEntryCodec.idOf(rec));
                }
            }
            fillGaps(idx, batchEnd); // control records, and offsets a batch skips
        }
        return idx.end() > from;
    }

    private static void fillGaps(RespIdIndex idx, long upTo) {
        for (long e = idx.end(); e < upTo; e = idx.end()) {
            idx.addGap(e);
        }
    }

    CompletableFuture<Void> persist(RespStreamState s) {
        return broker.kv().put(ctx, KV_SPACE, s.key, s.toJson());
    }

    // ---- reading ----

    /**
     * Records from {@code offset} on (the batches holding it and following ones, up to a read's worth), control
     * batches left out. Empty only when nothing at or after {@code offset} is readable.
     */
    List<Record> records(StreamPartition p, long offset) {
        long start = Math.max(offset, p.logStartOffset());
        List<Record> out = new ArrayList<>();
        while (out.isEmpty() && start < p.highWatermark()) {
            StreamReads.Chunk c = StreamReads.read(p, start, READ_BYTES);
            long next = c == null ? start : c.forEachRecord(out::add);
            if (next == start) {
                break; // nothing returned: the watermark moved back under us (log truncated)
            }
            start = next;
        }
        return out;
    }

    /** The entry at exactly {@code offset}, or null if trimmed, deleted (unless {@code includeDeleted}) or absent. */
    RespStreamEntry entryAt(StreamPartition p, long offset) {
        for (Record r : records(p, offset)) {
            if (r.offset() == offset) {
                return RespEntryCodec.fromRecord(r);
            }
            if (r.offset() > offset) {
                break;
            }
        }
        return null;
    }

    /** The first offset whose entry id is at least {@code id}, from the id index; the indexed end when none is. */
    long firstOffsetAtOrAfter(StreamPartition p, RespStreamId id) {
        RespIdIndex idx = index(p);
        if (id.equals(RespStreamId.MIN)) {
            return idx.start();
        }
        return idx.lowerBound(id.ms(), id.seq());
    }

    /** The offset of the entry with exactly this id, or -1, from the id index. Deleted entries are reported too. */
    long offsetOf(StreamPartition p, RespStreamId id) {
        return index(p).offsetOf(id);
    }

    /** The id of the entry at {@code offset}, from the id index; null if trimmed, absent or not an entry. */
    RespStreamId idAt(StreamPartition p, long offset) {
        RespIdIndex idx = index(p);
        return idx.idAt(offset);
    }

    /**
     * Live entries with ids in {@code [start, end]} in id order, at most {@code count} (negative = no limit).
     */
    List<RespStreamEntry> range(StreamPartition p, RespStreamState s, RespStreamId start, RespStreamId end,
                                long count) {
        List<RespStreamEntry> out = new ArrayList<>();
        if (count == 0 || start.compareTo(end) > 0) {
            return out;
        }
        long o = firstOffsetAtOrAfter(p, start);
        long hw = p.highWatermark();
        while (o < hw) {
            List<Record> batch = records(p, o);
            if (batch.isEmpty()) {
                break;
            }
            for (Record r : batch) {
                o = r.offset() + 1;
                if (s.deleted.contains(r.offset())) {
                    continue;
                }
                RespStreamEntry e = RespEntryCodec.fromRecord(r);
                if (e.id().compareTo(end) > 0) {
                    return out;
                }
                if (e.id().compareTo(start) >= 0) {
                    out.add(e);
                    if (count > 0 && out.size() >= count) {
                        return out;
                    }
                }
            }
        }
        return out;
    }

    /** Live entries with ids in {@code [start, end]}, newest first, at most {@code count} (negative = no limit). */
    List<RespStreamEntry> reverseRange(StreamPartition p, RespStreamState s, RespStreamId start, RespStreamId end,
                                       long count) {
        List<RespStreamEntry> out = new ArrayList<>();
        if (count == 0 || start.compareTo(end) > 0) {
            return out;
        }
        long low = firstOffsetAtOrAfter(p, start);
        RespStreamId afterEnd = end.next();
        long high = afterEnd == null ? p.highWatermark() : firstOffsetAtOrAfter(p, afterEnd);
        // Walk back in windows, reading each window forward; the window doubles so long ranges stay cheap.
        long window = count > 0 ? Math.max(16, count) : 1024;
        while (high > low) {
            long from = Math.max(low, high - window);
            List<RespStreamEntry> chunk = new ArrayList<>();
            long o = from;
            while (o < high) {
                List<Record> batch = records(p, o);
                if (batch.isEmpty()) {
                    break;
                }
                for (Record r : batch) {
                    if (r.offset() >= high) {
                        break;
                    }
                    o = r.offset() + 1;
                    if (!s.deleted.contains(r.offset())) {
                        chunk.add(RespEntryCodec.fromRecord(r));
                    }
                }
                if (!batch.isEmpty() && batch.get(batch.size() - 1).offset() >= high) {
                    break;
                }
            }
            Collections.reverse(chunk);
            for (RespStreamEntry e : chunk) {
                out.add(e);
                if (count > 0 && out.size() >= count) {
                    return out;
                }
            }
            high = from;
            window *= 2;
        }
        return out;
    }

    /** Number of live entries. */
    long length(StreamPartition p, RespStreamState s) {
        return s.liveBetween(p.logStartOffset(), p.highWatermark());
    }

    /** The first and last live entries, or nulls. */
    RespStreamEntry first(StreamPartition p, RespStreamState s) {
        List<RespStreamEntry> e = range(p, s, RespStreamId.MIN, RespStreamId.MAX, 1);
        return e.isEmpty() ? null : e.get(0);
    }

    RespStreamEntry last(StreamPartition p, RespStreamState s) {
        List<RespStreamEntry> e = reverseRange(p, s, RespStreamId.MIN, RespStreamId.MAX, 1);
        return e.isEmpty() ? null : e.get(0);
    }

    // ---- trimming ----

    /** A parsed MAXLEN/MINID clause. {@code limit} 0 = none. */
    record Trim(boolean maxLen, long threshold, RespStreamId minId, boolean approx, long limit) {
    }

    /** Applies a trim; completes with the number of entries removed. */
    CompletableFuture<Long> trim(StreamPartition p, RespStreamState s, Trim t) {
        long start = p.logStartOffset();
        long hw = p.highWatermark();
        long target;
        if (t.maxLen()) {
            long n = t.threshold();
            long o = hw - n;
            while (true) {
                long candidate = hw - n - s.deleted.subSet(Math.max(o, start), hw).size();
                if (candidate >= o || candidate <= start) {
                    o = Math.max(candidate, start);
                    break;
                }
                o = candidate;
            }
            target = Math.max(o, start);
        } else {
            target = firstOffsetAtOrAfter(p, t.minId());
        }
        if (t.limit() > 0) {
            target = Math.min(target, start + t.limit());
        }
        if (target <= start) {
            return CompletableFuture.completedFuture(0L);
        }
        long removed = s.liveBetween(start, target);
        final long newStart = target;
        // Emptying the stream drops the record the last id is recovered from: save it first.
        CompletableFuture<Void> saveLast = newStart >= hw ? persist(s) : CompletableFuture.completedFuture(null);
        return saveLast.thenCompose(v -> p.deleteRecordsBefore(newStart)).thenCompose(x -> {
            if (s.deleted.headSet(newStart).isEmpty()) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            s.deleted.headSet(newStart).clear();
            return persist(s);
        }).thenApply(v -> removed);
    }
}
