package io.sluice.protocol.kafka.session;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.transport.ProtocolSettings;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * The listener's incremental fetch sessions (KIP-227), bounded by a slot count with Kafka's eviction rule: when
 * every slot is taken, a new session may take the slot of the least recently used session if that one has been idle
 * for {@value #EVICTION_MS} ms, or else the slot of the smallest session (fewest partitions) that is older than that
 * and strictly smaller than the new one. Otherwise the new fetch is served without a session (session id 0), which
 * clients accept and retry later, so a full cache costs bandwidth, never correctness.
 *
 * <p>Also interprets a request's session id and epoch the way Kafka's fetch manager does: epoch -1 is a
 * sessionless full fetch, epoch 0 a full fetch that opens a session (closing the one named), and a positive epoch an
 * incremental fetch in the named session, refused with FETCH_SESSION_ID_NOT_FOUND or INVALID_FETCH_SESSION_EPOCH,
 * after which kafka-clients falls back to a full fetch.
 *
 * <p>Thread-safe: all bookkeeping holds this cache's monitor; a session's own partitions hold the session's monitor,
 * taken after this one, never before.
 */
public final class KafkaFetchSessionCache {

    /** Setting: sessions kept per listener; default 1000 (Kafka's max.incremental.fetch.session.cache.slots). 0 turns sessions off. */
    public static final String SLOTS = "max.incremental.fetch.session.cache.slots";
    /** Setting: how long a session is safe from eviction, in ms; default 120000 (Kafka's min.incremental.fetch.session.eviction.ms). */
    public static final String EVICTION_MS = "min.incremental.fetch.session.eviction.ms";

    /** Epoch of a sessionless full fetch, and of a request closing its session. */
    public static final int FINAL_EPOCH = -1;
    /** Epoch of a full fetch that asks for a new session. */
    public static final int INITIAL_EPOCH = 0;

    /** How an incremental request resolved: a session to serve, or the top-level error to answer with. */
    public record Lookup(KafkaFetchSession session, short errorCode) {
    }

    private record LastUsedKey(long lastUsedMs, int id) implements Comparable<LastUsedKey> {
        @Override
        public int compareTo(LastUsedKey o) {
            int c = Long.compare(lastUsedMs, o.lastUsedMs);
            return c != 0 ? c : Integer.compare(id, o.id);
        }
    }

    private record SizeKey(int size, int id) implements Comparable<SizeKey> {
        @Override
        public int compareTo(SizeKey o) {
            int c = Integer.compare(size, o.size);
            return c != 0 ? c : Integer.compare(id, o.id);
        }
    }

    private final int maxSlots;
    private final long evictionMs;
    private final LongSupplier clockMs;
    private final Map<Integer, KafkaFetchSession> sessions = new HashMap<>();
    private final TreeMap<LastUsedKey, KafkaFetchSession> byLastUse = new TreeMap<>();
    /** Sessions older than {@link #evictionMs} at their last use, smallest first: the ones a bigger session may evict. */
    private final TreeMap<SizeKey, KafkaFetchSession> evictableBySize = new TreeMap<>();
    private final Counter created;
    // Names avoid the Prometheus suffixes _created/_total/_info, which would collide with the gauge once mapped.
    private final Counter incremental;
    private final Counter evictions;
    private final Counter refused;

    public KafkaFetchSessionCache(int maxSlots, long evictionMs, LongSupplier clockMs, MeterRegistry meters) {
        this.maxSlots = Math.max(0, maxSlots);
        this.evictionMs = evictionMs;
        this.clockMs = clockMs;
        Gauge.builder("sluice.kafka.fetch.sessions.cached", this, KafkaFetchSessionCache::size)
                .description("incremental fetch sessions in the cache").register(meters);
        created = Counter.builder("sluice.kafka.fetch.sessions.opened")
                .description("fetch sessions opened by full fetches").register(meters);
        incremental = Counter.builder("sluice.kafka.fetch.sessions.incremental")
                .description("incremental fetches served in a session").register(meters);
        evictions = Counter.builder("sluice.kafka.fetch.sessions.evicted")
                .description("sessions evicted to make room for a new one").register(meters);
        refused = Counter.builder("sluice.kafka.fetch.sessions.errors")
                .description("incremental fetches refused (unknown session or wrong epoch)").register(meters);
    }

    public static KafkaFetchSessionCache from(ProtocolSettings settings, LongSupplier clockMs, MeterRegistry meters) {
        return new KafkaFetchSessionCache(settings.getInt(SLOTS, 1000), settings.getLong(EVICTION_MS, 120_000),
                clockMs, meters);
    }

    public synchronized int size() {
        return sessions.size();
    }

    public synchronized KafkaFetchSession get(int id) {
        return sessions.get(id);
    }

    /** Fetches served in a session so far (for tests and monitoring). */
    public long incrementalFetches() {
        return (long) incremental.count();
    }

    public long sessionsCreated() {
        return (long) created.count();
    }

    public long evictions() {
        return (long) evictions.count();
    }

    /** Closes a session named by a full fetch; unknown ids are ignored, as in Kafka. */
    public synchronized void remove(int id) {
        KafkaFetchSession s = sessions.remove(id);
        if (s != null) {
            unindex(s);
        }
    }

    /**
     * Resolves an incremental request (positive epoch) and, if it is valid, advances the session's epoch at once so
     * that a second request with the same epoch is refused even while the first is still being served.
     */
    public synchronized Lookup incremental(int sessionId, int epoch, boolean usesTopicIds) {
        KafkaFetchSession s = sessions.get(sessionId);
        short error;
        if (s == null) {
            error = KafkaErrors.FETCH_SESSION_ID_NOT_FOUND;
        } else if (s.epoch != epoch) {
            error = KafkaErrors.INVALID_FETCH_SESSION_EPOCH;
        } else if (s.usesTopicIds != usesTopicIds) {
            error = KafkaErrors.FETCH_SESSION_TOPIC_ID_ERROR;
        } else {
            s.epoch = nextEpoch(s.epoch);
            incremental.increment();
            return new Lookup(s, KafkaErrors.NONE);
        }
        refused.increment();
        return new Lookup(null, error);
    }

    /** Records a use of the session after its partitions changed: refreshes its recency and its size index. */
    public synchronized void touch(KafkaFetchSession s) {
        if (sessions.get(s.id) != s) {
            return;
        }
        unindex(s);
        s.lastUsedMs = clockMs.getAsLong();
        index(s);
    }

    /**
     * Opens a session for a full fetch of {@code size} partitions, evicting another if the cache is full and the
     * rule above allows it. Returns null when there is no slot; the fetch is then answered without a session.
     */
    public synchronized KafkaFetchSession create(boolean usesTopicIds, int size) {
        if (maxSlots == 0) {
            return null;
        }
        long now = clockMs.getAsLong();
        if (sessions.size() >= maxSlots && !tryEvict(size, now)) {
            return null;
        }
        int id;
        do {
            id = ThreadLocalRandom.current().nextInt();
        } while (id == 0 || sessions.containsKey(id));
        KafkaFetchSession s = new KafkaFetchSession(id, usesTopicIds, now);
        sessions.put(id, s);
        index(s);
        created.increment();
        return s;
    }

    private boolean tryEvict(int size, long now) {
        Map.Entry<LastUsedKey, KafkaFetchSession> stale = byLastUse.firstEntry();
        if (stale == null) {
            return false;
        }
        KafkaFetchSession victim = null;
        if (now - stale.getKey().lastUsedMs > evictionMs) {
            victim = stale.getValue();
        } else {
            Map.Entry<SizeKey, KafkaFetchSession> small = evictableBySize.firstEntry();
            // The new session's key has id 0 in Kafka's ordering, so it wins only against strictly smaller sessions.
            if (small != null && small.getKey().size < size) {
                victim = small.getValue();
            }
        }
        if (victim == null) {
            return false;
        }
        remove(victim.id);
        evictions.increment();
        return true;
    }

    private void index(KafkaFetchSession s) {
        s.cachedSize = s.size();
        byLastUse.put(new LastUsedKey(s.lastUsedMs, s.id), s);
        if (s.lastUsedMs - s.creationMs > evictionMs) {
            evictableBySize.put(new SizeKey(s.cachedSize, s.id), s);
        }
    }

    private void unindex(KafkaFetchSession s) {
        byLastUse.remove(new LastUsedKey(s.lastUsedMs, s.id));
        if (s.cachedSize >= 0) {
            evictableBySize.remove(new SizeKey(s.cachedSize, s.id));
        }
    }

    /** Kafka's epoch sequence: 1, 2, ... Integer.MAX_VALUE, then 1 again (0 and -1 are reserved). */
    static int nextEpoch(int epoch) {
        return epoch == Integer.MAX_VALUE ? 1 : epoch + 1;
    }
}
