package io.sluice.protocol.kafka.session;

import io.sluice.core.stream.StreamPartition;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.UUID;

/**
 * One incremental fetch session (KIP-227): the partitions a consumer fetches, with the fetch parameters it last sent
 * and what the broker last told it about each, so that an incremental request names only what changed and an
 * incremental response carries only partitions with news (records, a new high watermark or log start offset, or an
 * error).
 *
 * <p>Created and looked up through {@link KafkaFetchSessionCache}. A client has at most one request in flight per
 * session (the epoch enforces it: a second request with the same epoch is refused), but a hostile client may race,
 * so every access to the partitions and the epoch holds the session's monitor.
 */
public final class KafkaFetchSession {

    /**
     * A session partition's identity. Sessions of Fetch v13+ name topics by id (the name is empty), older ones by
     * name (the id is zero); a session never mixes the two (FETCH_SESSION_TOPIC_ID_ERROR).
     */
    public record Key(UUID topicId, String topic, int partition) {
    }

    /** What the session remembers about one partition. Guarded by the session's monitor. */
    public static final class Cached {
        final Key key;
        long fetchOffset;
        int maxBytes;
        /** The high watermark last sent; -1 after an error, so the partition is sent again when it recovers. */
        long highWatermark = -1;
        long logStartOffset = -1;
        /** The resolved partition, kept across requests; dropped after an error so the topic is looked up again. */
        StreamPartition partition;

        Cached(Key key, long fetchOffset, int maxBytes) {
            this.key = key;
            this.fetchOffset = fetchOffset;
            this.maxBytes = maxBytes;
        }

        public Key key() {
            return key;
        }
    }

    final int id;
    final boolean usesTopicIds;
    final long creationMs;
    long lastUsedMs;
    /** The epoch the next request must carry. */
    int epoch = 1;
    /** The size the cache indexed this session under, or -1 before it was indexed. Guarded by the cache. */
    int cachedSize = -1;
    private final LinkedHashMap<Key, Cached> partitions = new LinkedHashMap<>();

    KafkaFetchSession(int id, boolean usesTopicIds, long nowMs) {
        this.id = id;
        this.usesTopicIds = usesTopicIds;
        this.creationMs = nowMs;
        this.lastUsedMs = nowMs;
    }

    public int id() {
        return id;
    }

    /** Adds a partition or updates its fetch parameters (an incremental request names changed partitions). */
    public synchronized void upsert(Key key, long fetchOffset, int maxBytes) {
        Cached c = partitions.get(key);
        if (c == null) {
            partitions.put(key, new Cached(key, fetchOffset, maxBytes));
        } else {
            c.fetchOffset = fetchOffset;
            c.maxBytes = maxBytes;
        }
    }

    public synchronized void forget(Key key) {
        partitions.remove(key);
    }

    public synchronized int size() {
        return partitions.size();
    }

    /** A session partition's fetch parameters, read under the session's monitor. */
    public record View(Cached cached, long fetchOffset, int maxBytes, StreamPartition partition) {
    }

    /** The session's partitions in fetch order, as a snapshot. */
    public synchronized List<View> partitions() {
        List<View> views = new ArrayList<>(partitions.size());
        for (Cached c : partitions.values()) {
            views.add(new View(c, c.fetchOffset, c.maxBytes, c.partition));
        }
        return views;
    }

    /**
     * Records what an incremental response is about to say about {@code c} and answers whether it must be in the
     * response at all, as Kafka decides: records, a changed high watermark or log start offset, or an error.
     * A partition that returned records moves to the end of the fetch order, so that when the response byte limit
     * cuts a fetch short, the next one starts with the partitions that were starved.
     */
    public synchronized boolean mustRespond(Cached c, StreamPartition partition, int recordBytes, short errorCode,
                                            long highWatermark, long logStartOffset) {
        boolean respond = recordBytes > 0;
        if (errorCode != KafkaErrors.NONE) {
            respond = true;
            c.highWatermark = -1;
            c.partition = null;
        } else {
            c.partition = partition;
            if (c.highWatermark != highWatermark) {
                respond = true;
                c.highWatermark = highWatermark;
            }
            if (c.logStartOffset != logStartOffset) {
                respond = true;
                c.logStartOffset = logStartOffset;
            }
        }
        if (recordBytes > 0 && partitions.get(c.key) == c) {
            partitions.remove(c.key);
            partitions.put(c.key, c);
        }
        return respond;
    }

    /** Fills a new session from the partitions of the full fetch that created it, with what that fetch returned. */
    public synchronized void initialise(Key key, long fetchOffset, int maxBytes, StreamPartition partition, short errorCode,
                                 long highWatermark, long logStartOffset) {
        Cached c = new Cached(key, fetchOffset, maxBytes);
        if (errorCode == KafkaErrors.NONE) {
            c.highWatermark = highWatermark;
            c.logStartOffset = logStartOffset;
            c.partition = partition;
        }
        partitions.put(key, c);
    }

    /** The partitions' keys in fetch order (a copy). */
    public synchronized List<Key> keys() {
        return new ArrayList<>(partitions.keySet());
    }
}
