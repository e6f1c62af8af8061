package io.sluice.protocol.resp.session;

import io.sluice.core.Message;
import io.sluice.core.stream.AppendResult;
import io.sluice.core.stream.StreamPartition;
import io.sluice.protocol.resp.codec.RespReply;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The plain XADDs (no trim, no NOMKSTREAM, to an existing stream) one connection read in one burst, appended to each
 * stream as one record batch when the burst ends, each still answered with its own id. Event loop only.
 *
 * <p>Why: a pipelining producer keeps hundreds of XADDs in flight, so a read burst carries many. Appended one by one,
 * each costs a record batch (header, CRC), a trip through the log writer's queue, a completion and a high-watermark
 * notification of the stream's readers; appended together, one of each. An entry's offset is its batch's base offset
 * plus its position.
 *
 * <p>Ids: an entry's id is generated when its batch is appended, not when the command was read, under the stream's
 * lock and in command order, with the time the command was read (so {@code *} gives what it would have given then,
 * unless the clock has since been passed by another connection's entries, where Redis's rule applies: last id plus
 * one). That keeps ids and offsets growing together across connections, as {@link RespStreamStore} requires. An
 * explicit id that is not above the last one fails alone, with redis-server's error; the others are appended.
 *
 * <p>Order: {@link RespSession} appends what is held before it starts any other command, before a command waits, at
 * the end of the read burst, and before an XADD that is not grouped (one with a trim or NOMKSTREAM, or too large), so
 * no later operation of the connection overtakes an earlier XADD. A batch is also appended once it holds
 * {@link #MAX_BATCH_BYTES}; a stream whose record batch limit ({@code max.message.bytes}) is below
 * {@link #REQUIRED_LIMIT} is never grouped.
 */
final class RespAppendBatch {

    /** Entry bytes (fields, values and {@link #ENTRY_OVERHEAD} each) held per stream before it is appended. */
    static final int MAX_BATCH_BYTES = 128 << 10;
    /** The smallest record batch limit of a stream whose XADDs are grouped. */
    static final int REQUIRED_LIMIT = 2 * MAX_BATCH_BYTES;
    /** A generous bound on what an entry adds to a record batch besides its fields and values. */
    private static final int ENTRY_OVERHEAD = 64;

    private final RespStreamStore store;
    private final Map<String, Pending> pending = new LinkedHashMap<>();

    private record Entry(RespAddId spec, List<byte[]> fieldsAndValues, long now,
                         CompletableFuture<RespReply> reply) {
    }

    private static final class Pending {
        final String key;
        final StreamPartition partition;
        final List<Entry> entries = new ArrayList<>();
        int bytes;

        Pending(String key, StreamPartition partition) {
            this.key = key;
            this.partition = partition;
        }
    }

    RespAppendBatch(RespStreamStore store) {
        this.store = store;
    }

    /** What an entry of these fields and values counts against {@link #MAX_BATCH_BYTES}. */
    static int sizeOf(List<byte[]> fieldsAndValues) {
        int bytes = ENTRY_OVERHEAD;
        for (byte[] b : fieldsAndValues) {
            bytes += b.length;
        }
        return bytes;
    }

    /** Whether an entry of {@code bytes} ({@link #sizeOf}) may be held at all; a larger one is appended alone. */
    static boolean fits(int bytes) {
        return bytes <= MAX_BATCH_BYTES;
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }

    /** Holds an XADD of {@code partition}, the stream {@code key}; completes with its reply once appended. */
    CompletableFuture<RespReply> add(String key, StreamPartition partition, RespAddId spec,
                                     List<byte[]> fieldsAndValues, int bytes, long now) {
        Pending p = pending.get(key);
        if (p != null && (!p.partition.streamId().equals(partition.streamId()) || p.bytes + bytes > MAX_BATCH_BYTES)) {
            pending.remove(key); // full, or the stream was deleted and created again meanwhile
            append(p);
            p = null;
        }
        if (p == null) {
            p = new Pending(key, partition);
            pending.put(key, p);
        }
        CompletableFuture<RespReply> reply = new CompletableFuture<>();
        p.entries.add(new Entry(spec, fieldsAndValues, now, reply));
        p.bytes += bytes;
        return reply;
    }

    /** Appends everything held. */
    void flush() {
        if (pending.isEmpty()) {
            return;
        }
        for (Pending p : pending.values()) {
            append(p);
        }
        pending.clear();
    }

    private void append(Pending p) {
        RespStreamState st;
        try {
            st = store.state(p.key, p.partition);
        } catch (RuntimeException e) {
            p.entries.forEach(x -> x.reply.completeExceptionally(e));
            return;
        }
        int n = p.entries.size();
        List<Message> messages = new ArrayList<>(n);
        List<Entry> taken = new ArrayList<>(n);
        List<RespStreamId> ids = new ArrayList<>(n);
        CompletableFuture<AppendResult> appended;
        synchronized (st) {
            for (Entry e : p.entries) {
                RespStreamId id;
                try {
                    id = e.spec.next(st.lastId(), e.now);
                } catch (RespCommandException x) {
                    e.reply.completeExceptionally(x);
                    continue;
                }
                st.lastId(id);
                messages.add(RespEntryCodec.toMessage(id, e.fieldsAndValues));
                taken.add(e);
                ids.add(id);
            }
            if (messages.isEmpty()) {
                return;
            }
            // Issued under the lock, as a single XADD is: appends reach the log in id order.
            try {
                appended = p.partition.publish(messages);
            } catch (RuntimeException e) {
                appended = CompletableFuture.failedFuture(e); // every held command gets its error reply
            }
        }
        appended.whenComplete((r, err) -> {
            if (err != null) {
                taken.forEach(x -> x.reply.completeExceptionally(err));
                return;
            }
            // The id index learns the offsets before any reply leaves, so the client's next XACK needs no log read.
            for (int i = 0; i < ids.size(); i++) {
                st.index.add(r.baseOffset() + i, ids.get(i));
            }
            for (int i = 0; i < taken.size(); i++) {
                taken.get(i).reply.complete(RespReply.bulk(RespEntryCodec.idBytes(messages.get(i))));
            }
        });
    }
}
