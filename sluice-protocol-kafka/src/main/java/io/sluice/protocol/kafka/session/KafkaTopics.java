package io.sluice.protocol.kafka.session;

import io.sluice.core.CallContext;
import io.sluice.core.ErrorCode;
import io.sluice.core.SluiceException;
import io.sluice.core.stream.StreamInfo;
import io.sluice.core.stream.StreamPartition;
import io.sluice.core.stream.StreamService;
import io.sluice.core.stream.StreamSpec;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * Kafka topics as core streams: name rules, topic ids, auto-creation. Stateless apart from the stream service;
 * thread-safe.
 */
public final class KafkaTopics {

    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]+");
    static final int MAX_NAME_LENGTH = 249;

    private final StreamService streams;
    private final int defaultPartitions;
    private final java.util.concurrent.ConcurrentHashMap<UUID, String> namesById = new java.util.concurrent.ConcurrentHashMap<>();

    public KafkaTopics(StreamService streams, int defaultPartitions) {
        this.streams = streams;
        this.defaultPartitions = defaultPartitions;
    }

    public StreamService streams() {
        return streams;
    }

    public int defaultPartitions() {
        return defaultPartitions;
    }

    /** Kafka's topic name rule: 1-249 characters of [a-zA-Z0-9._-], not "." or "..". */
    public static boolean isValidName(String name) {
        return name != null && !name.isEmpty() && name.length() <= MAX_NAME_LENGTH && !name.equals(".")
                && !name.equals("..") && LEGAL.matcher(name).matches();
    }

    public Optional<StreamInfo> describe(CallContext ctx, String name) {
        return name == null ? Optional.empty() : streams.describe(ctx, name);
    }

    public List<StreamInfo> list(CallContext ctx) {
        return streams.list(ctx, false);
    }

    /**
     * The topic with this id, if any. Produce v13 and Fetch v13+ name topics by id on every request, so ids are
     * remembered; a miss (or a stale entry after a delete and re-create) falls back to scanning the topic list.
     */
    public Optional<StreamInfo> byId(CallContext ctx, UUID id) {
        if (id == null || (id.getMostSignificantBits() == 0 && id.getLeastSignificantBits() == 0)) {
            return Optional.empty();
        }
        String known = namesById.get(id);
        if (known != null) {
            Optional<StreamInfo> s = streams.describe(ctx, known).filter(i -> id.equals(i.id()));
            if (s.isPresent()) {
                return s;
            }
            namesById.remove(id, known);
        }
        Optional<StreamInfo> found = list(ctx).stream().filter(s -> id.equals(s.id())).findFirst();
        found.ifPresent(s -> namesById.put(id, s.name()));
        return found;
    }

    /** The partition handle, or empty if the topic or partition does not exist. */
    public Optional<StreamPartition> partition(CallContext ctx, String topic, int partition) {
        try {
            return Optional.of(streams.partition(ctx, topic, partition));
        } catch (SluiceException e) {
            if (e.code() == ErrorCode.STREAM_NOT_FOUND || e.code() == ErrorCode.PARTITION_NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Creates a topic with the default partition count, tolerating a concurrent creation of the same name. */
    public CompletableFuture<Optional<StreamInfo>> autoCreate(CallContext ctx, String name) {
        return streams.create(ctx, new StreamSpec(name, defaultPartitions, Map.of(), List.of()))
                .handle((info, err) -> err == null ? Optional.of(info) : streams.describe(ctx, name));
    }
}
