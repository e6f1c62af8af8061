package io.sluice.protocol.nats.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.core.Broker;
import io.sluice.core.CallContext;
import io.sluice.core.Message;
import io.sluice.core.queue.Delivery;
import io.sluice.core.queue.DeliveryGroup;
import io.sluice.core.queue.GroupInfo;
import io.sluice.core.queue.Overflow;
import io.sluice.core.queue.PendingEntry;
import io.sluice.core.queue.QueueArguments;
import io.sluice.core.stream.StreamInfo;
import io.sluice.core.stream.StreamPartition;
import io.sluice.protocol.nats.codec.NatsHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/**
 * JetStream consumers (pull, and push through {@link NatsJsPushConsumer}) on the core's delivery groups:
 * {@code CONSUMER.CREATE/DURABLE.CREATE/INFO/DELETE/LIST/NAMES}, pull requests ({@code CONSUMER.MSG.NEXT}),
 * acknowledgements ({@code $JS.ACK.>}) and flow control replies ({@code $JS.FC.>}). Thread-safe.
 *
 * <p>Mapping: a consumer is a delivery group named after it on partition 0 of its stream, with lease = {@code ack_wait}
 * and delivery limit = {@code max_deliver}, so redelivery after AckWait and the MaxDeliver cut-off are the core's.
 * Every pull request and push pump fetches for one core consumer name ({@value #CORE_CONSUMER}): JetStream pending
 * acks belong to the consumer, not to a connection. The client's configuration, with nats-server's defaults filled in,
 * is kept in the core's key-value store (space {@value #KV_SPACE}, key {@code stream/name}) and echoed back verbatim.
 *
 * <p>A {@code filter_subject} is applied here: deliveries whose subject does not match are acknowledged at once and
 * never shown. Pull deliveries go to the requesting connection's own subscriptions matching the request's reply
 * subject, with the stored message's subject in the {@code MSG} line, as nats-server delivers them; push deliveries
 * go through the core pub/sub to whoever subscribes to the deliver subject. The consumer's timer thread (one per
 * listener) runs the push pumps; {@link #close} stops it.
 */
final class NatsJsConsumers {

    private static final Logger LOG = LoggerFactory.getLogger(NatsJsConsumers.class);

    static final String KV_SPACE = "nats.consumers";
    static final String CORE_CONSUMER = "nats";
    private static final long DEFAULT_ACK_WAIT_NS = 30_000_000_000L;
    /** A pull without {@code expires} waits in slices of this long until filled or its connection closes. */
    private static final long OPEN_PULL_SLICE_MS = 30_000;

    private final Broker broker;
    private final Map<String, AtomicLong> consumerSeqs = new ConcurrentHashMap<>();
    private final Map<NatsSession, List<String[]>> ephemerals = new ConcurrentHashMap<>();
    /** Running push consumers by {@code stream/name}. */
    private final Map<String, NatsJsPushConsumer> pushers = new ConcurrentHashMap<>();
    /**
     * Consumers with deliver policy {@code last_per_subject}, by {@code stream/name}: below the log end at creation
     * only the offsets in the set (the last message of each subject) are shown; the rest are skipped like messages
     * outside the filter.
     */
    private final Map<String, LastPerSubject> lastPerSubject = new ConcurrentHashMap<>();

    /** The stored offsets a {@code last_per_subject} consumer shows: the last per subject below {@code end}. */
    record LastPerSubject(long end, Set<Long> keep) {
        boolean skips(long offset) {
            return offset < end && !keep.contains(offset);
        }

        static LastPerSubject scan(StreamPartition p, String stream, String filter, long end) {
            Map<String, Long> last = new java.util.HashMap<>();
            NatsJsStreamReader.scan(p, p.logStartOffset(), r -> {
                if (r.offset() >= end) {
                    return false;
                }
                io.sluice.core.Message m = io.sluice.core.MessageCodec.fromRecord(r);
                String subject = m.subject() == null ? stream : m.subject();
                if (filter == null || NatsSubjectMatch.matches(filter, subject)) {
                    last.put(subject, r.offset());
                }
                return true;
            });
            return new LastPerSubject(end, Set.copyOf(last.values()));
        }

        long first() {
            return keep.stream().mapToLong(Long::longValue).min().orElse(end);
        }
    }

    /** Messages in [from, end) on subjects matching {@code filter}: a scan, so only for consumer info. */
    private long countMatching(CallContext ctx, String stream, String filter, long from, long end) {
        long[] n = {0};
        NatsJsStreamReader.scan(broker.streams().partition(ctx, stream, 0), from, r -> {
            if (r.offset() >= end) {
                return false;
            }
            io.sluice.core.Message m = io.sluice.core.MessageCodec.fromRecord(r);
            if (NatsSubjectMatch.matches(filter, m.subject() == null ? stream : m.subject())) {
                n[0]++;
            }
            return true;
        });
        return n[0];
    }

    private static String filterOf(JsonNode config) {
        String f = config.path("filter_subject").asText("");
        return f.isEmpty() || f.equals(">") ? null : f;
    }

    /** Consumers with {@code ack_policy} all, by {@code stream/name}: an ack covers every earlier delivery. */
    private final Set<String> ackAll = ConcurrentHashMap.newKeySet();
    /** Runs the push consumers' steps; one daemon thread, as the machine's other pools are kept small. */
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "nats-push-consumers");
        t.setDaemon(true);
        return t;
    });

    NatsJsConsumers(Broker broker) {
        this.broker = broker;
        resume(CallContext.DEFAULT);
    }

    /** Restarts the push pumps and ack modes of the consumers stored before a restart. */
    private void resume(CallContext ctx) {
        try {
            broker.kv().scan(ctx, KV_SPACE).forEach((key, bytes) -> {
                int slash = key.indexOf('/');
                if (slash > 0) {
                    ObjectNode record = stored(bytes);
                    activate(ctx, key.substring(0, slash), key.substring(slash + 1), record.path("config"),
                            record.path("lps_end").asLong(-1));
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("could not resume JetStream consumers", e);
        }
    }

    /** Starts what a consumer needs beyond its core group: its ack mode and, for a push consumer, its pump. */
    private void activate(CallContext ctx, String stream, String name, JsonNode config, long lpsEnd) {
        String key = key(stream, name);
        if (lpsEnd >= 0 && config.path("deliver_policy").asText().equals("last_per_subject")) {
            try {
                lastPerSubject.put(key, LastPerSubject.scan(broker.streams().partition(ctx, stream, 0), stream,
                        filterOf(config), lpsEnd));
            } catch (RuntimeException e) {
                LOG.warn("could not rebuild last_per_subject state of {}", key, e);
            }
        }
        if (config.path("ack_policy").asText().equals("all")) {
            ackAll.add(key);
        }
        if (!isPush(config)) {
            return;
        }
        Optional<DeliveryGroup> group = broker.groups().get(ctx, stream, name);
        if (group.isEmpty()) {
            return;
        }
        AtomicLong seq = consumerSeqs.computeIfAbsent(key, k -> new AtomicLong());
        NatsJsPushConsumer[] self = new NatsJsPushConsumer[1];
        LastPerSubject lps = lastPerSubject.get(key);
        self[0] = new NatsJsPushConsumer(broker, ctx, group.get(), stream, name, config, seq,
                lps == null ? offset -> false : lps::skips, timer, () -> {
            if (pushers.get(key) == self[0]) {
                LOG.debug("ephemeral push consumer {} inactive: deleted", key);
                drop(ctx, stream, name);
            }
        });
        NatsJsPushConsumer previous = pushers.put(key, self[0]);
        if (previous != null) {
            previous.stop();
        }
        self[0].start();
    }

    /** A client's answer to a flow control request ({@code $JS.FC.<stream>.<consumer>.<id>}). */
    void flowControlReply(String subject) {
        String[] t = subject.substring(NatsJsPushConsumer.FC_PREFIX.length()).split("\\.", -1);
        if (t.length == 3) {
            NatsJsPushConsumer p = pushers.get(key(t[0], t[1]));
            if (p != null) {
                p.flowControlReply(subject);
            }
        }
    }

    void close() {
        pushers.values().forEach(NatsJsPushConsumer::stop);
        timer.shutdownNow();
    }

    private static String key(String stream, String consumer) {
        return stream + '/' + consumer;
    }

    // ---- API ---------------------------------------------------------------------------------------------------

    /**
     * {@code CONSUMER.CREATE.<stream>[.<name>[.<filter>]]} and {@code CONSUMER.DURABLE.CREATE.<stream>.<durable>}.
     *
     * @param subjectName the consumer name from the subject, or null
     */
    CompletableFuture<ObjectNode> create(NatsSession session, String stream, String subjectName, byte[] body) {
        String type = "consumer_create_response";
        CallContext ctx = session.callContext();
        ObjectNode request;
        try {
            request = NatsJsJson.parseObject(body);
        } catch (IllegalArgumentException e) {
            return NatsJsStreams.done(NatsJsJson.error(type, NatsJsError.INVALID_JSON, e.getMessage()));
        }
        if (!(request.get("config") instanceof ObjectNode config)) {
            return NatsJsStreams.done(NatsJsJson.error(type, NatsJsError.CONSUMER_CONFIG_REQUIRED, null));
        }
        if (request.hasNonNull("stream_name") && !request.get("stream_name").asText().equals(stream)) {
            return NatsJsStreams.done(NatsJsJson.error(type, NatsJsError.STREAM_MISMATCH, null));
        }
        NatsJsError invalid = validate(config);
        if (invalid != null) {
            return NatsJsStreams.done(NatsJsJson.error(type, invalid, null));
        }
        Optional<StreamInfo> streamInfo = broker.streams().describe(ctx, stream);
        if (streamInfo.isEmpty()) {
            return NatsJsStreams.done(NatsJsJson.error(type, NatsJsError.STREAM_NOT_FOUND, null));
        }
        String durable = config.hasNonNull("durable_name") ? config.get("durable_name").asText() : null;
        String name = config.hasNonNull("name") ? config.get("name").asText()
                : durable != null ? durable : subjectName != null ? subjectName : randomName();
        if (name.isEmpty() || name.contains(".") || name.contains("*") || name.contains(">")) {
            return NatsJsStreams.done(NatsJsJson.error(type, NatsJsError.BAD_REQUEST, "invalid consumer name"));
        }
        boolean ephemeral = durable == null;
        config.put("name", name);
        normalize(config);
        String action = request.path("action").asText("");
        Optional<byte[]> existing = broker.kv().get(ctx, KV_SPACE, key(stream, name));
        if (existing.isPresent()) {
            ObjectNode stored = stored(existing.get());
            if (NatsJsJson.sameJson(stored.get("config"), config) && !action.equals("update")) {
                return NatsJsStreams.done(info(ctx, stream, name, stored, type));
            }
            return NatsJsStreams.done(NatsJsJson.error(type, NatsJsError.CONSUMER_NAME_EXIST, null));
        }
        if (action.equals("update")) {
            return NatsJsStreams.done(NatsJsJson.error(type, NatsJsError.CONSUMER_NOT_FOUND, null));
        }
        StreamPartition partition = broker.streams().partition(ctx, stream, 0);
        long start;
        LastPerSubject lps = null;
        try {
            if (config.get("deliver_policy").asText().equals("last_per_subject")) {
                lps = LastPerSubject.scan(partition, stream, filterOf(config), partition.logEndOffset());
                start = lps.first();
            } else {
                start = startOffset(config, partition);
            }
        } catch (IllegalArgumentException e) {
            return NatsJsStreams.done(NatsJsJson.error(type, NatsJsError.CONSUMER_INVALID_POLICY, e.getMessage()));
        }
        long ackWaitMs = Math.max(1, config.path("ack_wait").asLong(DEFAULT_ACK_WAIT_NS) / 1_000_000);
        int maxDeliver = (int) Math.min(Integer.MAX_VALUE, config.get("max_deliver").asLong(-1));
        QueueArguments settings = new QueueArguments(-1, -1, -1, -1, Overflow.DROP_HEAD, 0, null, null,
                maxDeliver <= 0 ? -1 : maxDeliver, false, ackWaitMs, false);
        ObjectNode record = NatsJsJson.MAPPER.createObjectNode();
        record.set("config", config);
        record.put("created", broker.clock().millis());
        if (lps != null) {
            record.put("lps_end", lps.end());
        }
        record.put("start", start);
        LastPerSubject lastPerSubjectState = lps;
        return broker.groups().create(ctx, stream, 0, name, start, settings)
                .thenCompose(created -> broker.kv().put(ctx, KV_SPACE, key(stream, name), NatsJsJson.bytes(record)))
                .thenApply(v -> {
                    if (ephemeral) {
                        ephemerals.computeIfAbsent(session, s -> new java.util.concurrent.CopyOnWriteArrayList<>())
                                .add(new String[] {stream, name});
                    }
                    activate(ctx, stream, name, config, lastPerSubjectState == null ? -1 : lastPerSubjectState.end());
                    return info(ctx, stream, name, record, type);
                })
                .exceptionally(t -> NatsJsStreams.coreError(type, t));
    }

    private static String randomName() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 22).toUpperCase(java.util.Locale.ROOT);
    }

    /** nats-server's checks of a consumer configuration that this adapter can violate, with its error codes. */
    private static NatsJsError validate(ObjectNode c) {
        boolean push = c.hasNonNull("deliver_subject") && !c.get("deliver_subject").asText().isEmpty();
        String ackPolicy = c.path("ack_policy").asText("explicit");
        if (!ackPolicy.equals("explicit") && !ackPolicy.equals("none") && !ackPolicy.equals("all")) {
            return NatsJsError.CONSUMER_INVALID_POLICY;
        }
        if (!push) {
            if (c.path("idle_heartbeat").asLong(0) > 0) {
                return NatsJsError.CONSUMER_HB_REQUIRES_PUSH;
            }
            if (c.path("flow_control").asBoolean(false)) {
                return NatsJsError.CONSUMER_FC_REQUIRES_PUSH;
            }
            return null;
        }
        String deliver = c.get("deliver_subject").asText();
        if (!NatsSubjects.isValidPublish(deliver)) {
            return deliver.contains("*") || deliver.contains(">") ? NatsJsError.CONSUMER_DELIVER_TO_WILDCARDS
                    : NatsJsError.CONSUMER_INVALID_DELIVER_SUBJECT;
        }
        if (deliver.startsWith("$JS.")) {
            return NatsJsError.CONSUMER_DELIVER_CYCLE;
        }
        if (c.path("max_waiting").asLong(0) > 0) {
            return NatsJsError.CONSUMER_PUSH_MAX_WAITING;
        }
        if (c.path("flow_control").asBoolean(false) && c.path("idle_heartbeat").asLong(0) <= 0) {
            return NatsJsError.CONSUMER_FC_NEEDS_HEARTBEATS;
        }
        if (ackPolicy.equals("none") && c.path("max_ack_pending").asLong(0) > 0) {
            return NatsJsError.CONSUMER_MAX_PENDING_NEEDS_ACK_POLICY;
        }
        return null;
    }

    private static boolean isPush(JsonNode c) {
        return c.hasNonNull("deliver_subject") && !c.get("deliver_subject").asText().isEmpty();
    }

    private static void normalize(ObjectNode c) {
        boolean push = isPush(c);
        putIfAbsent(c, "deliver_policy", "all");
        putIfAbsent(c, "ack_policy", "explicit");
        boolean acks = !c.get("ack_policy").asText().equals("none");
        if (acks && (!c.hasNonNull("ack_wait") || c.get("ack_wait").asLong() <= 0)) {
            c.put("ack_wait", DEFAULT_ACK_WAIT_NS);
        }
        if (!c.hasNonNull("max_deliver") || c.get("max_deliver").asLong() == 0) {
            c.put("max_deliver", -1);
        }
        putIfAbsent(c, "replay_policy", "instant");
        if (!push && (!c.hasNonNull("max_waiting") || c.get("max_waiting").asLong() <= 0)) {
            c.put("max_waiting", 512);
        }
        if (acks && (!c.hasNonNull("max_ack_pending") || c.get("max_ack_pending").asLong() == 0)) {
            c.put("max_ack_pending", 1000);
        }
        putIfAbsent(c, "num_replicas", 0);
    }

    private static void putIfAbsent(ObjectNode c, String field, Object value) {
        if (!c.hasNonNull(field)) {
            if (value instanceof String s) {
                c.put(field, s);
            } else {
                c.put(field, ((Number) value).longValue());
            }
        }
    }

    /** The first offset the consumer delivers; throws {@link IllegalArgumentException} for a policy it cannot serve. */
    private static long startOffset(ObjectNode config, StreamPartition p) {
        return switch (config.get("deliver_policy").asText()) {
            case "all" -> p.logStartOffset();
            case "new" -> p.logEndOffset();
            case "last" -> Math.max(p.logStartOffset(), p.logEndOffset() - 1);
            case "by_start_sequence" -> {
                if (config.path("opt_start_seq").asLong(0) <= 0) {
                    throw new IllegalArgumentException("consumer deliver policy by_start_sequence requires a start sequence");
                }
                yield Math.max(p.logStartOffset(), config.get("opt_start_seq").asLong() - 1);
            }
            case "by_start_time" -> {
                if (!config.hasNonNull("opt_start_time")) {
                    throw new IllegalArgumentException("consumer deliver policy by_start_time requires a start time");
                }
                long ms;
                try {
                    Instant t = Instant.parse(config.get("opt_start_time").asText());
                    // Stored timestamps are whole milliseconds: round up so nothing before the instant is included.
                    ms = t.toEpochMilli() + (t.getNano() % 1_000_000 == 0 ? 0 : 1);
                } catch (java.time.format.DateTimeParseException e) {
                    throw new IllegalArgumentException("bad opt_start_time: " + e.getMessage());
                }
                yield p.offsetForTimestamp(ms).map(t -> Math.max(p.logStartOffset(), t.offset())).orElse(p.logEndOffset());
            }
            default -> throw new IllegalArgumentException("consumer deliver policy " + config.get("deliver_policy").asText()
                    + " is not valid");
        };
    }

    private static ObjectNode stored(byte[] bytes) {
        return NatsJsJson.parseObject(bytes);
    }

    ObjectNode info(CallContext ctx, String stream, String name, ObjectNode record, String type) {
        ObjectNode n = NatsJsJson.response(type);
        n.put("stream_name", stream);
        n.put("name", name);
        n.put("created", NatsJsJson.time(Instant.ofEpochMilli(record.path("created").asLong())));
        n.set("config", record.get("config"));
        Optional<DeliveryGroup> group = broker.groups().get(ctx, stream, name);
        GroupInfo gi = group.map(DeliveryGroup::info).orElse(null);
        long consumerSeq = consumerSeqs.getOrDefault(key(stream, name), new AtomicLong()).get();
        long lastDelivered = gi == null ? 0 : gi.lastDeliveredOffset() + 1;
        long numPending = gi == null ? 0 : gi.ready();
        NatsJsPushConsumer pump = pushers.get(key(stream, name));
        if (pump != null && gi != null) {
            // The group's ready count drops when the pump fetches, before the messages are shown: count from the last
            // message actually delivered instead, with the consumer sequence of that same delivery.
            long[] shown = pump.delivered();
            consumerSeq = shown[0];
            lastDelivered = shown[1];
            long end = broker.streams().partition(ctx, stream, 0).logEndOffset();
            long from = Math.max(shown[1], record.path("start").asLong(0)); // first offset not yet shown
            LastPerSubject lps = lastPerSubject.get(key(stream, name));
            if (lps != null) {
                numPending = lps.keep().stream().filter(o -> o >= from).count() + Math.max(0, end - Math.max(from, lps.end()));
            } else if (record.has("start")) {
                String filter = filterOf(record.path("config"));
                numPending = filter == null ? Math.max(0, end - from) : countMatching(ctx, stream, filter, from, end);
            }
        }
        ObjectNode delivered = n.putObject("delivered");
        delivered.put("consumer_seq", consumerSeq);
        delivered.put("stream_seq", lastDelivered);
        ObjectNode floor = n.putObject("ack_floor");
        floor.put("consumer_seq", gi == null ? 0 : Math.max(0, consumerSeq - gi.pending()));
        floor.put("stream_seq", gi == null || gi.pending() > 0 ? 0 : lastDelivered);
        n.put("num_ack_pending", gi == null ? 0 : gi.pending());
        n.put("num_redelivered", 0);
        n.put("num_waiting", 0);
        n.put("num_pending", numPending);
        NatsJsPushConsumer pusher = pushers.get(key(stream, name));
        if (pusher != null && pusher.bound()) {
            n.put("push_bound", true);
        }
        n.put("ts", NatsJsJson.time(Instant.ofEpochMilli(broker.clock().millis())));
        return n;
    }

    CompletableFuture<ObjectNode> info(CallContext ctx, String stream, String name) {
        String type = "consumer_info_response";
        if (broker.streams().describe(ctx, stream).isEmpty()) {
            return NatsJsStreams.done(NatsJsJson.error(type, NatsJsError.STREAM_NOT_FOUND, null));
        }
        return NatsJsStreams.done(broker.kv().get(ctx, KV_SPACE, key(stream, name))
                .map(b -> info(ctx, stream, name, stored(b), type))
                .orElseGet(() -> NatsJsJson.error(type, NatsJsError.CONSUMER_NOT_FOUND, null)));
    }

    CompletableFuture<ObjectNode> delete(CallContext ctx, String stream, String name) {
        String type = "consumer_delete_response";
        if (broker.kv().get(ctx, KV_SPACE, key(stream, name)).isEmpty()) {
            return NatsJsStreams.done(NatsJsJson.error(type, NatsJsError.CONSUMER_NOT_FOUND, null));
        }
        return drop(ctx, stream, name).thenApply(v -> {
            ObjectNode n = NatsJsJson.response(type);
            n.put("success", true);
            return n;
        }).exceptionally(t -> NatsJsStreams.coreError(type, t));
    }

    private CompletableFuture<Void> drop(CallContext ctx, String stream, String name) {
        consumerSeqs.remove(key(stream, name));
        ackAll.remove(key(stream, name));
        lastPerSubject.remove(key(stream, name));
        NatsJsPushConsumer pusher = pushers.remove(key(stream, name));
        if (pusher != null) {
            pusher.stop();
        }
        return broker.groups().delete(ctx, stream, name)
                .exceptionally(t -> false)
                .thenCompose(v -> broker.kv().put(ctx, KV_SPACE, key(stream, name), null));
    }

    /** Drops every consumer of a stream (before the stream itself is deleted). */
    CompletableFuture<Void> dropAll(CallContext ctx, String stream) {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (String name : names(ctx, stream)) {
            all.add(drop(ctx, stream, name));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    private List<String> names(CallContext ctx, String stream) {
        List<String> names = new ArrayList<>();
        String prefix = stream + '/';
        for (String k : broker.kv().scan(ctx, KV_SPACE).keySet()) {
            if (k.startsWith(prefix)) {
                names.add(k.substring(prefix.length()));
            }
        }
        names.sort(String::compareTo);
        return names;
    }

    int count(CallContext ctx) {
        return broker.kv().scan(ctx, KV_SPACE).size();
    }

    CompletableFuture<ObjectNode> list(CallContext ctx, String stream, byte[] body, boolean namesOnly) {
        String type = namesOnly ? "consumer_names_response" : "consumer_list_response";
        if (broker.streams().describe(ctx, stream).isEmpty()) {
            return NatsJsStreams.done(NatsJsJson.error(type, NatsJsError.STREAM_NOT_FOUND, null));
        }
        int offset;
        try {
            offset = NatsJsJson.parseObject(body).path("offset").asInt(0);
        } catch (IllegalArgumentException e) {
            return NatsJsStreams.done(NatsJsJson.error(type, NatsJsError.INVALID_JSON, e.getMessage()));
        }
        List<String> names = names(ctx, stream);
        ObjectNode n = NatsJsJson.response(type);
        n.put("total", names.size());
        n.put("offset", offset);
        n.put("limit", 1024);
        ArrayNode items = n.putArray("consumers");
        for (String name : names.subList(Math.min(offset, names.size()), names.size())) {
            if (namesOnly) {
                items.add(name);
            } else {
                broker.kv().get(ctx, KV_SPACE, key(stream, name))
                        .ifPresent(b -> items.add(info(ctx, stream, name, stored(b), "consumer_info_response").without("type")));
            }
        }
        return NatsJsStreams.done(n);
    }

    void connectionClosed(NatsSession session) {
        List<String[]> mine = ephemerals.remove(session);
        if (mine != null) {
            for (String[] sc : mine) {
                drop(session.callContext(), sc[0], sc[1]);
            }
        }
    }

    // ---- pull --------------------------------------------------------------------------------------------------

    /** One {@code CONSUMER.MSG.NEXT} request: delivers up to {@code batch} messages to {@code reply}. */
    private final class Pull {
        final NatsSession session;
        final DeliveryGroup group;
        final String stream;
        final String consumer;
        final String reply;
        final String filter;
        final boolean noWait;
        final long deadlineMs;
        final long heartbeatMs;
        final boolean ackNone;
        /** The consumer's delivery sequence (shared by every request of the consumer). */
        final AtomicLong consumerSeq;
        int remaining;

        Pull(NatsSession session, DeliveryGroup group, String stream, String consumer, String reply, String filter,
             int batch, boolean noWait, long deadlineMs, long heartbeatMs, boolean ackNone) {
            this.ackNone = ackNone;
            this.session = session;
            this.group = group;
            this.stream = stream;
            this.consumer = consumer;
            this.reply = reply;
            this.filter = filter;
            this.remaining = batch;
            this.noWait = noWait;
            this.deadlineMs = deadlineMs;
            this.heartbeatMs = heartbeatMs;
            this.consumerSeq = consumerSeqs.computeIfAbsent(key(stream, consumer), k -> new AtomicLong());
        }

        void next() {
            if (!session.isOpen()) {
                return;
            }
            long now = broker.clock().millis();
            long waitMs = noWait ? 0 : deadlineMs < 0 ? OPEN_PULL_SLICE_MS : Math.max(0, deadlineMs - now);
            if (heartbeatMs > 0 && !noWait) {
                waitMs = Math.min(waitMs, heartbeatMs);
            }
            group.fetch(CORE_CONSUMER, remaining, waitMs, ackNone).whenComplete((deliveries, error) -> {
                if (error != null) {
                    LOG.debug("pull from {}/{} failed", stream, consumer, error);
                    status(409, "Consumer Deleted");
                    return;
                }
                List<Long> skipped = new ArrayList<>();
                long pending = deliveries.isEmpty() ? 0 : group.info().ready();
                LastPerSubject lps = lastPerSubject.isEmpty() ? null : lastPerSubject.get(key(stream, consumer));
                List<PullMsg> batch = new ArrayList<>(deliveries.size());
                for (Delivery d : deliveries) {
                    if ((filter != null && !NatsSubjectMatch.matches(filter, String.valueOf(d.message().subject())))
                            || (lps != null && lps.skips(d.offset()))) {
                        skipped.add(d.offset());
                        continue;
                    }
                    remaining--;
                    batch.add(toPullMsg(this, d, pending));
                }
                if (!batch.isEmpty()) {
                    deliver(this, batch);
                }
                if (!skipped.isEmpty() && !ackNone) {
                    group.ack(skipped);
                }
                if (remaining <= 0) {
                    return;
                }
                if (noWait) {
                    if (deliveries.isEmpty()) {
                        status(404, "No Messages");
                    } else {
                        next();
                    }
                } else if (deadlineMs >= 0 && broker.clock().millis() >= deadlineMs) {
                    status(408, "Request Timeout");
                } else {
                    if (deliveries.isEmpty() && heartbeatMs > 0) {
                        status(100, "Idle Heartbeat"); // the client's proof that the request is still alive
                    }
                    next();
                }
            });
        }

        void status(int code, String text) {
            NatsHeaders h = code == 408
                    ? new NatsHeaders(code, text, Map.of("Nats-Pending-Messages", List.of(Integer.toString(remaining)),
                            "Nats-Pending-Bytes", List.of("0")))
                    : NatsHeaders.status(code, text);
            byte[] block = h.encode();
            session.execute(() -> session.deliverLocally(reply, reply, null, block, new byte[0]));
        }
    }

    /** One pulled message as it goes on the wire, prepared on the fetching thread. */
    private record PullMsg(long offset, String subject, String ack, byte[] headers, byte[] payload) {
    }

    private PullMsg toPullMsg(Pull pull, Delivery d, long pending) {
        long consumerSeq = pull.consumerSeq.incrementAndGet();
        long tsNanos = Math.max(0, d.message().timestamp()) * 1_000_000;
        String ack = new NatsAckSubject(pull.stream, pull.consumer, d.deliveryCount(), d.offset() + 1, consumerSeq,
                tsNanos, pending).format();
        String subject = d.message().subject() == null ? pull.stream : d.message().subject();
        return new PullMsg(d.offset(), subject, ack, NatsMessages.toNats(d.message().headers()),
                NatsMessages.payload(d.message()));
    }

    /**
     * Delivers one fetch's messages with one task on the requester's event loop (a task per message cost more than
     * writing it), to the subscriptions matching the reply subject, looked up once per fetch.
     */
    private void deliver(Pull pull, List<PullMsg> batch) {
        pull.session.execute(() -> {
            List<NatsSubscription> subs = pull.session.localSubscriptions(pull.reply);
            if (subs.isEmpty()) {
                if (!pull.ackNone) {
                    // Nobody listens on the reply subject any more: hand the messages back at once.
                    pull.group.nack(batch.stream().map(PullMsg::offset).toList(), true, 0);
                }
                return;
            }
            for (PullMsg m : batch) {
                for (NatsSubscription sub : subs) {
                    pull.session.deliver(sub, m.subject(), m.ack(), m.headers(), m.payload());
                }
            }
        });
    }

    /**
     * {@code CONSUMER.MSG.NEXT.<stream>.<consumer>}: body {@code {"batch":n,"expires":ns,"no_wait":b,"idle_heartbeat":ns}}
     * or a bare number. While a request waits, a {@code 100 Idle Heartbeat} status is sent every {@code idle_heartbeat}.
     */
    void next(NatsSession session, String stream, String consumer, String reply, byte[] body) {
        if (reply == null) {
            return;
        }
        CallContext ctx = session.callContext();
        Optional<byte[]> stored = broker.kv().get(ctx, KV_SPACE, key(stream, consumer));
        Optional<DeliveryGroup> group = broker.groups().get(ctx, stream, consumer);
        if (stored.isEmpty() || group.isEmpty()) {
            byte[] block = NatsHeaders.status(404, "Consumer Not Found").encode();
            session.execute(() -> session.deliverLocally(reply, reply, null, block, new byte[0]));
            return;
        }
        int batch = 1;
        long expiresNs = 0;
        long heartbeatNs = 0;
        boolean noWait = false;
        String text = new String(body, StandardCharsets.UTF_8).trim();
        if (!text.isEmpty()) {
            if (text.startsWith("{")) {
                JsonNode req = NatsJsJson.parseObject(body);
                batch = Math.max(1, req.path("batch").asInt(1));
                expiresNs = req.path("expires").asLong(0);
                noWait = req.path("no_wait").asBoolean(false);
                heartbeatNs = req.path("idle_heartbeat").asLong(0);
            } else {
                batch = Math.max(1, Integer.parseInt(text));
            }
        }
        JsonNode config = stored(stored.get()).path("config");
        if (isPush(config)) {
            byte[] block = NatsHeaders.status(409, "Consumer is push based").encode();
            session.execute(() -> session.deliverLocally(reply, reply, null, block, new byte[0]));
            return;
        }
        String filter = config.hasNonNull("filter_subject") && !config.get("filter_subject").asText().equals(">")
                ? config.get("filter_subject").asText() : null;
        long deadline = expiresNs > 0 ? broker.clock().millis() + Math.max(1, expiresNs / 1_000_000) : -1;
        new Pull(session, group.get(), stream, consumer, reply, filter, batch, noWait, deadline,
                heartbeatNs / 1_000_000, config.path("ack_policy").asText().equals("none")).next();
    }

    // ---- acks --------------------------------------------------------------------------------------------------

    /** A publish to {@code $JS.ACK.<stream>.<consumer>.…}: the body says ack, nak, term or in-progress. */
    void ack(NatsSession session, NatsAckSubject ack, String reply, byte[] body) {
        CallContext ctx = session.callContext();
        Optional<DeliveryGroup> group = broker.groups().get(ctx, ack.stream(), ack.consumer());
        if (group.isEmpty()) {
            return;
        }
        boolean isAckAll = !ackAll.isEmpty() && ackAll.contains(key(ack.stream(), ack.consumer()));
        if (reply == null && !isAckAll && isPlainAck(body)) {
            session.acks.add(group.get(), ack.streamSeq() - 1); // the common case: applied with its burst
            return;
        }
        session.acks.flush();
        List<Long> offsets = List.of(ack.streamSeq() - 1);
        String text = new String(body, StandardCharsets.UTF_8).trim();
        CompletableFuture<?> done;
        if ((text.isEmpty() || text.startsWith("+ACK")) && isAckAll) {
            DeliveryGroup g = group.get();
            done = g.pending(0, ack.streamSeq() - 1, null, 0, Integer.MAX_VALUE)
                    .thenCompose(entries -> g.ack(entries.stream().map(PendingEntry::offset).toList()));
        } else if (text.isEmpty() || text.startsWith("+ACK")) {
            done = group.get().ack(offsets);
        } else if (text.startsWith("-NAK")) {
            done = group.get().nack(offsets, true, nakDelayMs(text.substring(4).trim()));
        } else if (text.startsWith("+TERM")) {
            done = group.get().terminate(offsets);
        } else if (text.startsWith("+WPI")) {
            done = group.get().touch(offsets);
        } else if (text.startsWith("+NXT")) {
            done = group.get().ack(offsets);
        } else {
            LOG.debug("unknown ack '{}' on {}", text, ack.format());
            return;
        }
        if (reply != null) {
            done.whenComplete((v, e) -> broker.pubsub().publish(ctx, reply, Message.of(reply, new byte[0])));
        }
    }

    private static final byte[] ACK = {'+', 'A', 'C', 'K'};

    /** Whether an ack body is a plain {@code +ACK} (or empty), checked without decoding it. */
    static boolean isPlainAck(byte[] body) {
        return body.length == 0 || (body.length >= 4 && java.util.Arrays.equals(body, 0, 4, ACK, 0, 4));
    }

    /** {@code -NAK {"delay":ns}} or {@code -NAK <ns>}; 0 when absent. */
    static long nakDelayMs(String arg) {
        if (arg.isEmpty()) {
            return 0;
        }
        try {
            long ns = arg.startsWith("{") ? NatsJsJson.parseObject(arg.getBytes(StandardCharsets.UTF_8)).path("delay").asLong(0)
                    : Long.parseLong(arg);
            return Math.max(0, ns / 1_000_000);
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
