package io.sluice.storage.log;

import io.sluice.storage.StorageErrorCode;
import io.sluice.storage.StorageException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * The idempotence and transaction state of one partition, per producer id: its epoch, the sequence ranges and
 * offsets of its last {@value #MAX_CACHED_BATCHES} batches (so a resent batch is recognised and answered with its
 * original offsets) and the first offset of its open transaction, if any.
 *
 * <p><b>Threading.</b> Not thread-safe: it is owned by the partition's single writer (or guarded by the in-memory
 * log's lock). The only value other threads read, {@link #firstUnstableOffset()}, is published through a volatile.
 *
 * <p><b>Two-phase use.</b> An append request is checked against a {@link Pending} overlay ({@link #begin}) that
 * copies the entries it touches, so a request whose later batch is refused leaves the state untouched; the overlay
 * is {@linkplain Pending#commit() committed} once the batches are written.
 *
 * <p><b>Snapshot format</b> ({@code <20-digit offset>.snapshot} beside the segments, the state after every batch
 * below that offset; written at segment roll and clean shutdown, so start-up replays only the batches after it):
 * <pre>
 *   int32  magic 0x534C5053 ("SLPS")
 *   int16  version (2; version 1 lacks the last timestamp)
 *   int32  CRC32C of everything after this field
 *   int32  producer count
 *   per producer:
 *     int64 producerId, int16 epoch, int32 coordinatorEpoch, int64 open txn first offset (-1 = none),
 *     int64 last timestamp (newest batch timestamp, -1 = unknown; version 2 only),
 *     int8  cached batch count n (0..5), then n x (int32 firstSeq, int32 lastSeq, int64 firstOffset, int64 lastOffset)
 * </pre>
 * The snapshot carries a checksum (unlike the indexes) because it cannot always be rebuilt: the segments it
 * summarises may have been deleted by retention. A snapshot that fails its check is ignored and the state is
 * rebuilt from the oldest batch still held.
 *
 * <p><b>Expiry.</b> As in Kafka ({@code producer.id.expiration.ms}), a producer with no open transaction whose
 * newest batch timestamp is older than the expiration is forgotten ({@link #removeExpired}); otherwise every
 * producer that ever wrote would stay in memory and in every snapshot. A producer this log has no state for (forgotten,
 * or its batches deleted by retention) is accepted at any sequence, as Kafka does: the check resumes from that batch.
 * (Refusing it with UNKNOWN_PRODUCER_ID would not help: kafka-clients retries that error until its delivery timeout.)
 */
public final class ProducerStateManager {

    /** Kafka keeps five in-flight batches per idempotent producer; so do we. */
    public static final int MAX_CACHED_BATCHES = 5;

    private static final int SNAPSHOT_MAGIC = 0x534C5053;
    private static final short SNAPSHOT_VERSION = 2;

    /** Sequence range and offsets of one batch, for duplicate detection. */
    public record BatchMetadata(int firstSeq, int lastSeq, long firstOffset, long lastOffset) {
    }

    /** A transaction closed by a marker: aborted ones go to the aborted-transaction index. */
    public record CompletedTxn(long producerId, long firstOffset, long lastOffset, boolean aborted) {
    }

    /** The outcome of checking one batch against the state. */
    public sealed interface Check permits Accepted, Duplicate {
    }

    /** The batch is new and may be written. */
    public record Accepted() implements Check {
    }

    /** The batch was written before, at these offsets. */
    public record Duplicate(long firstOffset, long lastOffset) implements Check {
    }

    private static final Accepted ACCEPTED = new Accepted();

    static final class Entry {
        final long producerId;
        short epoch;
        int coordinatorEpoch = -1;
        long txnFirstOffset = -1;
        /** Newest batch timestamp (ms), or -1 when unknown (loaded from a version 1 snapshot). */
        long lastTimestamp = -1;
        final ArrayDeque<BatchMetadata> batches = new ArrayDeque<>(MAX_CACHED_BATCHES);

        Entry(long producerId, short epoch) {
            this.producerId = producerId;
            this.epoch = epoch;
        }

        Entry copy() {
            Entry e = new Entry(producerId, epoch);
            e.coordinatorEpoch = coordinatorEpoch;
            e.txnFirstOffset = txnFirstOffset;
            e.lastTimestamp = lastTimestamp;
            e.batches.addAll(batches);
            return e;
        }

        void addBatch(BatchMetadata m) {
            if (batches.size() == MAX_CACHED_BATCHES) {
                batches.removeFirst();
            }
            batches.addLast(m);
        }

        BatchMetadata last() {
            return batches.peekLast();
        }
    }

    private final Map<Long, Entry> producers = new HashMap<>();
    /** Open transactions by first offset; the smallest key bounds the last stable offset. */
    private final TreeMap<Long, Long> openTxns = new TreeMap<>();
    private volatile long firstUnstableOffset = Long.MAX_VALUE;
    /**
     * A lower bound on the newest-batch timestamp of every producer, so the maintenance thread can tell without the
     * writer whether {@link #removeExpired} could forget anyone ({@link #expiryDue}). {@link Long#MAX_VALUE}: no
     * producer; {@link Long#MIN_VALUE}: some producer has no timestamp yet (loaded from a snapshot or replayed).
     * Written by the writer only; timestamps only grow, so lowering it on commit keeps it a bound.
     */
    private volatile long expiryCheckFrom = Long.MAX_VALUE;

    /** The first offset of the oldest open transaction, or {@link Long#MAX_VALUE} when none is open. */
    public long firstUnstableOffset() {
        return firstUnstableOffset;
    }

    public int producerCount() {
        return producers.size();
    }

    /** Starts checking one append request. */
    public Pending begin() {
        return new Pending();
    }

    /**
     * Applies a batch read back from the log (start-up replay), trusting it: no check, no refusal.
     *
     * @return the transaction the batch closes, if it is a transaction marker
     */
    public CompletedTxn replay(long producerId, short epoch, int baseSequence, int lastSequence, long firstOffset,
                               long lastOffset, long timestamp, boolean transactional, boolean control,
                               boolean abortMarker, int coordinatorEpoch) {
        Pending p = new Pending();
        CompletedTxn done = p.apply(producerId, epoch, baseSequence, lastSequence, firstOffset, lastOffset, timestamp,
                transactional, control, abortMarker, coordinatorEpoch);
        p.commit();
        return done;
    }

    /**
     * Forgets the producers without an open transaction whose newest batch is older than {@code expirationMs}.
     * A producer whose timestamp is unknown gets {@code now}, so it expires one full period later.
     *
     * @return how many producers were forgotten
     */
    public int removeExpired(long now, long expirationMs) {
        int removed = 0;
        long from = Long.MAX_VALUE;
        var it = producers.values().iterator();
        while (it.hasNext()) {
            Entry e = it.next();
            if (e.lastTimestamp < 0) {
                e.lastTimestamp = now;
            } else if (e.txnFirstOffset < 0 && now - e.lastTimestamp >= expirationMs) {
                it.remove();
                removed++;
                continue;
            }
            from = Math.min(from, e.lastTimestamp);
        }
        expiryCheckFrom = from;
        return removed;
    }

    /**
     * Whether {@link #removeExpired} at {@code now} could change anything. Cheap and safe from any thread: idle
     * logs answer false without a hop to their writer. May answer true when nothing expires (a producer with an open
     * transaction), never false when something does.
     */
    public boolean expiryDue(long now, long expirationMs) {
        long from = expiryCheckFrom;
        return from == Long.MIN_VALUE || (from != Long.MAX_VALUE && now - from >= expirationMs);
    }

    /** Removes every producer and open transaction (used when the whole log is truncated away). */
    public void clear() {
        producers.clear();
        openTxns.clear();
        firstUnstableOffset = Long.MAX_VALUE;
        expiryCheckFrom = Long.MAX_VALUE;
    }

    /**
     * Checks and stages batches of one append request. Not thread-safe; used by one writer for one request.
     */
    public final class Pending {
        private final Map<Long, Entry> staged = new HashMap<>();
        private final List<CompletedTxn> completed = new ArrayList<>();

        private Entry entry(long producerId) {
            Entry e = staged.get(producerId);
            if (e == null) {
                Entry base = producers.get(producerId);
                if (base != null) {
                    e = base.copy();
                    staged.put(producerId, e);
                }
            }
            return e;
        }

        /**
         * Checks a client batch (not a marker) of an idempotent or transactional producer.
         *
         * @throws StorageException OUT_OF_ORDER_SEQUENCE, PRODUCER_FENCED or INVALID_TXN_STATE
         */
        public Check check(long producerId, short epoch, int baseSequence, int lastSequence, boolean transactional) {
            Entry e = entry(producerId);
            if (e == null) {
                return ACCEPTED; // no state: any sequence, as Kafka accepts it
            }
            if (epoch < e.epoch) {
                throw new StorageException(StorageErrorCode.PRODUCER_FENCED, "producer " + producerId + " epoch "
                        + epoch + " is older than the current epoch " + e.epoch);
            }
            if (epoch > e.epoch) {
                if (baseSequence != 0) {
                    throw new StorageException(StorageErrorCode.OUT_OF_ORDER_SEQUENCE, "producer " + producerId
                            + " started epoch " + epoch + " at sequence " + baseSequence + " instead of 0");
                }
                if (e.txnFirstOffset >= 0) {
                    // A new epoch while a transaction is open means the coordinator has not written its marker yet.
                    throw new StorageException(StorageErrorCode.INVALID_TXN_STATE, "producer " + producerId
                            + " bumped its epoch with a transaction still open at offset " + e.txnFirstOffset);
                }
                return ACCEPTED;
            }
            for (BatchMetadata m : e.batches) {
                if (m.firstSeq == baseSequence && m.lastSeq == lastSequence) {
                    return new Duplicate(m.firstOffset, m.lastOffset);
                }
            }
            BatchMetadata last = e.last();
            if (last != null) {
                int expected = last.lastSeq == Integer.MAX_VALUE ? 0 : last.lastSeq + 1;
                if (baseSequence != expected) {
                    throw new StorageException(StorageErrorCode.OUT_OF_ORDER_SEQUENCE, "producer " + producerId
                            + " sent sequence " + baseSequence + ", expected " + expected);
                }
            } else if (baseSequence != 0 && e.txnFirstOffset < 0) {
                // The epoch is known only from a marker; the producer's first batch of this epoch starts at 0.
                throw new StorageException(StorageErrorCode.OUT_OF_ORDER_SEQUENCE, "producer " + producerId
                        + " sent sequence " + baseSequence + " as its first batch of epoch " + epoch);
            }
            if (!transactional && e.txnFirstOffset >= 0) {
                throw new StorageException(StorageErrorCode.INVALID_TXN_STATE, "producer " + producerId
                        + " sent a non-transactional batch while its transaction at " + e.txnFirstOffset + " is open");
            }
            return ACCEPTED;
        }

        /**
         * Checks a transaction marker written by the coordinator.
         *
         * @throws StorageException PRODUCER_FENCED if the marker's epoch is older than the producer's
         */
        public void checkMarker(long producerId, short epoch) {
            Entry e = entry(producerId);
            if (e != null && epoch < e.epoch) {
                throw new StorageException(StorageErrorCode.PRODUCER_FENCED, "marker for producer " + producerId
                        + " has epoch " + epoch + ", older than the current epoch " + e.epoch);
            }
        }

        /**
         * Stages the effect of a batch that will be written at {@code firstOffset..lastOffset}.
         *
         * @return the transaction a marker closes, else null
         */
        public CompletedTxn apply(long producerId, short epoch, int baseSequence, int lastSequence, long firstOffset,
                                  long lastOffset, long timestamp, boolean transactional, boolean control,
                                  boolean abortMarker, int coordinatorEpoch) {
            if (producerId < 0) {
                return null;
            }
            Entry e = entry(producerId);
            if (e == null) {
                e = new Entry(producerId, epoch);
                staged.put(producerId, e);
            }
            e.lastTimestamp = Math.max(e.lastTimestamp, timestamp);
            if (epoch > e.epoch) {
                e.epoch = epoch;
                e.batches.clear();
            }
            if (control) {
                CompletedTxn done = null;
                if (e.txnFirstOffset >= 0) {
                    done = new CompletedTxn(producerId, e.txnFirstOffset, lastOffset, abortMarker);
                } else if (abortMarker) {
                    // An abort with no data written still closes an (empty) transaction; it hides nothing.
                    done = null;
                }
                e.txnFirstOffset = -1;
                e.coordinatorEpoch = coordinatorEpoch;
                if (done != null) {
                    completed.add(done);
                }
                return done;
            }
            if (baseSequence >= 0) {
                e.addBatch(new BatchMetadata(baseSequence, lastSequence, firstOffset, lastOffset));
            }
            if (transactional && e.txnFirstOffset < 0) {
                e.txnFirstOffset = firstOffset;
            }
            return null;
        }

        /** Transactions closed by markers of this request, in order. */
        public List<CompletedTxn> completedTxns() {
            return completed;
        }

        /** Makes the staged changes the state. */
        public void commit() {
            for (Entry e : staged.values()) {
                long ts = e.lastTimestamp < 0 ? Long.MIN_VALUE : e.lastTimestamp;
                if (ts < expiryCheckFrom) {
                    expiryCheckFrom = ts;
                }
                Entry old = producers.put(e.producerId, e);
                if (old != null && old.txnFirstOffset >= 0 && old.txnFirstOffset != e.txnFirstOffset) {
                    openTxns.remove(old.txnFirstOffset);
                }
                if (e.txnFirstOffset >= 0) {
                    openTxns.put(e.txnFirstOffset, e.producerId);
                }
            }
            staged.clear();
            firstUnstableOffset = openTxns.isEmpty() ? Long.MAX_VALUE : openTxns.firstKey();
        }
    }

    /** Writes the snapshot described in the class comment. */
    public byte[] toSnapshot() {
        int size = 4;
        for (Entry e : producers.values()) {
            size += 8 + 2 + 4 + 8 + 8 + 1 + e.batches.size() * 24;
        }
        ByteBuffer body = ByteBuffer.allocate(size);
        body.putInt(producers.size());
        for (Entry e : producers.values()) {
            body.putLong(e.producerId).putShort(e.epoch).putInt(e.coordinatorEpoch).putLong(e.txnFirstOffset);
            body.putLong(e.lastTimestamp);
            body.put((byte) e.batches.size());
            for (BatchMetadata m : e.batches) {
                body.putInt(m.firstSeq).putInt(m.lastSeq).putLong(m.firstOffset).putLong(m.lastOffset);
            }
        }
        body.flip();
        CRC32C crc = new CRC32C();
        crc.update(body.duplicate());
        ByteBuffer out = ByteBuffer.allocate(10 + size);
        out.putInt(SNAPSHOT_MAGIC).putShort(SNAPSHOT_VERSION).putInt((int) crc.getValue()).put(body);
        return out.array();
    }

    /**
     * Replaces the state with a snapshot.
     *
     * @throws IOException if the snapshot is damaged (the caller then rebuilds from the log)
     */
    public void loadSnapshot(byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        if (b.remaining() < 14 || b.getInt() != SNAPSHOT_MAGIC) {
            throw new IOException("not a producer state snapshot");
        }
        short version = b.getShort();
        if (version != 1 && version != SNAPSHOT_VERSION) {
            throw new IOException("unknown producer state snapshot version " + version);
        }
        int expected = b.getInt();
        CRC32C crc = new CRC32C();
        crc.update(b.duplicate());
        if ((int) crc.getValue() != expected) {
            throw new IOException("producer state snapshot fails its checksum");
        }
        try {
            Map<Long, Entry> loaded = new HashMap<>();
            int n = b.getInt();
            for (int i = 0; i < n; i++) {
                Entry e = new Entry(b.getLong(), b.getShort());
                e.coordinatorEpoch = b.getInt();
                e.txnFirstOffset = b.getLong();
                if (version >= 2) {
                    e.lastTimestamp = b.getLong();
                }
                int batches = b.get();
                for (int j = 0; j < batches; j++) {
                    e.addBatch(new BatchMetadata(b.getInt(), b.getInt(), b.getLong(), b.getLong()));
                }
                loaded.put(e.producerId, e);
            }
            clear();
            producers.putAll(loaded);
            for (Entry e : loaded.values()) {
                if (e.txnFirstOffset >= 0) {
                    openTxns.put(e.txnFirstOffset, e.producerId);
                }
            }
            firstUnstableOffset = openTxns.isEmpty() ? Long.MAX_VALUE : openTxns.firstKey();
            // the first maintenance pass stamps or expires them and computes the real bound
            expiryCheckFrom = loaded.isEmpty() ? Long.MAX_VALUE : Long.MIN_VALUE;
        } catch (RuntimeException ex) {
            throw new IOException("malformed producer state snapshot", ex);
        }
    }
}
