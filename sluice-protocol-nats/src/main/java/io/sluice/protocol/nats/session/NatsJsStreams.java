package io.sluice.protocol.nats.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.core.Broker;
import io.sluice.core.CallContext;
import io.sluice.core.ErrorCode;
import io.sluice.core.Message;
import io.sluice.core.SluiceException;
import io.sluice.core.stream.StreamConfig;
import io.sluice.core.stream.StreamInfo;
import io.sluice.core.stream.StreamPartition;
import io.sluice.core.stream.StreamSpec;
import io.sluice.storage.TimestampOffset;
import io.sluice.storage.record.Header;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * JetStream streams on core streams: {@code STREAM.CREATE/INFO/DELETE/PURGE/LIST/NAMES}, and the capture of core
 * publishes with {@code Nats-Msg-Id} de-duplication and the PubAck reply. Thread-safe.
 *
 * <p>Mapping: a JetStream stream is a one-partition core stream of the same name whose captured subjects are the
 * stream's subjects; stream sequence = log offset + 1. The client's configuration, completed with nats-server's
 * defaults, is kept verbatim in the core stream's config under {@value #CONFIG_KEY} (so it survives restarts and is
 * echoed back exactly, which jnats relies on to detect changes); the settings the core enforces are mapped to its
 * keys: {@code max_age} → {@code retention.ms}, {@code max_bytes} → {@code retention.bytes}, {@code max_msg_size} →
 * {@code max.message.bytes}, {@code duplicate_window} → {@code duplicate.window.ms}.
 *
 * <p>De-duplication: per stream, message ids seen within the duplicate window map to the sequence they were stored
 * at, kept in memory and rebuilt from the tail of the log after a restart (or a change of the window). The first
 * publish of an id reserves it before appending, so concurrent duplicates wait for and report the same sequence.
 */
final class NatsJsStreams {

    static final String CONFIG_KEY = "nats.config";
    static final String MSG_ID = "Nats-Msg-Id";
    private static final long DEFAULT_DUPLICATE_WINDOW_NS = 120_000_000_000L;
    private static final int LIST_LIMIT = 1024;

    private final Broker broker;
    private final Map<java.util.UUID, Dedupe> dedupe = new ConcurrentHashMap<>();

    NatsJsStreams(Broker broker) {
        this.broker = broker;
    }

    // ---- capture -----------------------------------------------------------------------------------------------

    /** Appends a captured publish; completes with the PubAck JSON. */
    CompletableFuture<byte[]> capture(CallContext ctx, StreamInfo stream, Message message) {
        StreamPartition partition;
        try {
            partition = broker.streams().partition(ctx, stream.name(), 0);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(NatsJsJson.bytes(pubAckError(e)));
        }
        byte[] id = message.header(MSG_ID);
        if (id == null || id.length == 0) {
            return append(partition, message).thenApply(seq -> pubAck(stream.name(), seq, false))
                    .exceptionally(e -> NatsJsJson.bytes(pubAckError(e)));
        }
        Dedupe d = dedupe.computeIfAbsent(stream.id(), k -> rebuild(stream, partition));
        String msgId = new String(id, StandardCharsets.UTF_8);
        CompletableFuture<Long> mine = new CompletableFuture<>();
        CompletableFuture<Long> existing = d.reserve(msgId, mine, broker.clock().millis());
        if (existing != null) {
            return existing.thenApply(seq -> pubAck(stream.name(), seq, true))
                    .exceptionally(e -> NatsJsJson.bytes(pubAckError(e)));
        }
        append(partition, message).whenComplete((seq, e) -> {
            if (e != null) {
                d.forget(msgId, mine);
                mine.completeExceptionally(e);
            } else {
                mine.complete(seq);
            }
        });
        return mine.thenApply(seq -> pubAck(stream.name(), seq, false))
                .exceptionally(e -> NatsJsJson.bytes(pubAckError(e)));
    }

    /**
     * Whether a publish may be appended in a batch with others ({@link NatsJsPublishBatch}): not when it carries a
     * {@code Nats-Msg-Id} (its id is reserved before the append) nor when the stream bounds the size of a record batch.
     */
    static boolean batchable(StreamInfo stream, Message message) {
        byte[] id = message.header(MSG_ID);
        return (id == null || id.length == 0) && !stream.config().containsKey(StreamConfig.MAX_MESSAGE_BYTES);
    }

    /** Appends captured publishes as one batch; completes {@code acks[i]} with the PubAck of message i. */
    void captureAll(CallContext ctx, StreamInfo stream, List<Message> messages, List<CompletableFuture<byte[]>> acks) {
        StreamPartition partition;
        try {
            partition = broker.streams().partition(ctx, stream.name(), 0);
        } catch (RuntimeException e) {
            byte[] error = NatsJsJson.bytes(pubAckError(e));
            acks.forEach(a -> a.complete(error));
            return;
        }
        partition.publish(messages).whenComplete((r, e) -> {
            if (e != null) {
                byte[] error = NatsJsJson.bytes(pubAckError(e));
                acks.forEach(a -> a.complete(error));
                return;
            }
            for (int i = 0; i < acks.size(); i++) {
                acks.get(i).complete(pubAck(stream.name(), r.baseOffset() + i + 1, false));
            }
        });
    }

    /**
     * The de-duplication state of a stream, rebuilt from the tail of its log: every {@code Nats-Msg-Id} stored within
     * the duplicate window. Runs once per stream and broker start (on the first captured publish with an id), so a
     * restart does not let a retried publish through.
     */
    private Dedupe rebuild(StreamInfo stream, StreamPartition p) {
        long windowMs = duplicateWindowMs(stream);
        Dedupe d = new Dedupe(windowMs);
        long from = p.offsetForTimestamp(broker.clock().millis() - windowMs).map(TimestampOffset::offset)
                .orElse(p.logEndOffset());
        NatsJsStreamReader.scan(p, from, r -> {
            for (Header h : r.headers()) {
                if (h.key().equals(MSG_ID) && h.value() != null) {
                    d.seed(new String(h.value(), StandardCharsets.UTF_8), r.offset() + 1, r.timestamp());
                }
            }
            return true;
        });
        return d;
    }

    private static CompletableFuture<Long> append(StreamPartition partition, Message message) {
        return partition.publish(List.of(message)).thenApply(r -> r.lastOffset() + 1);
    }

    private static long duplicateWindowMs(StreamInfo stream) {
        String v = stream.config().get(StreamConfig.DUPLICATE_WINDOW_MS);
        return v == null ? DEFAULT_DUPLICATE_WINDOW_NS / 1_000_000 : Long.parseLong(v);
    }

    /** {@code {"stream":<name>,"seq":} per stream name: the part of a PubAck that does not change. */
    private static final Map<String, byte[]> PUB_ACK_PREFIX = new ConcurrentHashMap<>();
    private static final byte[] PUB_ACK_END = {'}'};
    private static final byte[] PUB_ACK_DUPLICATE_END = ",\"duplicate\":true}".getBytes(StandardCharsets.US_ASCII);

    /**
     * The PubAck, {@code {"stream":"<name>","seq":<n>}} with {@code ,"duplicate":true} for a duplicate, as nats-server
     * writes it. Written by hand rather than through a JSON tree: it is sent once per stored message.
     */
    static byte[] pubAck(String stream, long seq, boolean duplicate) {
        byte[] prefix = PUB_ACK_PREFIX.get(stream);
        if (prefix == null) {
            if (PUB_ACK_PREFIX.size() > 10_000) {
                PUB_ACK_PREFIX.clear(); // names of deleted streams must not pile up
            }
            try {
                byte[] quoted = NatsJsJson.MAPPER.writeValueAsBytes(stream);
                prefix = new byte[10 + quoted.length + 7];
                System.arraycopy("{\"stream\":".getBytes(StandardCharsets.US_ASCII), 0, prefix, 0, 10);
                System.arraycopy(quoted, 0, prefix, 10, quoted.length);
                System.arraycopy(",\"seq\":".getBytes(StandardCharsets.US_ASCII), 0, prefix, 10 + quoted.length, 7);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            PUB_ACK_PREFIX.put(stream, prefix);
        }
        byte[] digits = Long.toString(seq).getBytes(StandardCharsets.US_ASCII);
        byte[] end = duplicate ? PUB_ACK_DUPLICATE_END : PUB_ACK_END;
        byte[] out = Arrays.copyOf(prefix, prefix.length + digits.length + end.length);
        System.arraycopy(digits, 0, out, prefix.length, digits.length);
        System.arraycopy(end, 0, out, prefix.length + digits.length, end.length);
        return out;
    }

    private static ObjectNode pubAckError(Throwable t) {
        SluiceException e = SluiceException.from(t);
        NatsJsError error = e.code() == ErrorCode.STREAM_NOT_FOUND ? NatsJsError.STREAM_NOT_FOUND
                : NatsJsError.STREAM_STORE_FAILED;
        ObjectNode n = NatsJsJson.MAPPER.createObjectNode();
        ObjectNode err = n.putObject("error");
        err.put("code", error.code());
        err.put("err_code", error.errCode());
        err.put("description", e.getMessage());
        return n;
    }

    /** Message ids seen within one stream's duplicate window, oldest first. */
    private static final class Dedupe {
        private final long windowMs;
        private final LinkedHashMap<String, Seen> seen = new LinkedHashMap<>();

        private record Seen(CompletableFuture<Long> seq, long at) {
        }

        Dedupe(long windowMs) {
            this.windowMs = windowMs;
        }

        /** Reserves {@code msgId}; returns the sequence future of an earlier publish of it, or null if it is new. */
        synchronized CompletableFuture<Long> reserve(String msgId, CompletableFuture<Long> mine, long now) {
            Iterator<Seen> it = seen.values().iterator();
            while (it.hasNext() && it.next().at < now - windowMs) {
                it.remove();
            }
            Seen prior = seen.get(msgId);
            if (prior != null) {
                return prior.seq;
            }
            seen.put(msgId, new Seen(mine, now));
            return null;
        }

        /** Records an id found in the log (replay after a restart), oldest first. */
        synchronized void seed(String msgId, long seq, long at) {
            seen.remove(msgId);
            seen.put(msgId, new Seen(CompletableFuture.completedFuture(seq), at));
        }

        synchronized void forget(String msgId, CompletableFuture<Long> mine) {
            Seen s = seen.get(msgId);
            if (s != null && s.seq == mine) {
                seen.remove(msgId);
            }
        }

        synchronized void clear() {
            seen.clear();
        }
    }

    // ---- API ---------------------------------------------------------------------------------------------------

    CompletableFuture<ObjectNode> create(CallContext ctx, String name, byte[] body) {
        String type = "stream_create_response";
        ObjectNode config;
        try {
            config = NatsJsJson.parseObject(body);
        } catch (IllegalArgumentException e) {
            return done(NatsJsJson.error(type, NatsJsError.INVALID_JSON, e.getMessage()));
        }
        if (config.hasNonNull("name") && !config.get("name").asText().equals(name)) {
            return done(NatsJsJson.error(type, NatsJsError.STREAM_MISMATCH, null));
        }
        config.put("name", name);
        normalize(config);
        List<String> subjects = subjectsOf(config);
        ObjectNode invalid = invalidSubject(type, subjects);
        if (invalid != null) {
            return done(invalid);
        }
        Optional<StreamInfo> existing = broker.streams().describe(ctx, name);
        if (existing.isPresent()) {
            return done(sameConfig(existing.get(), config) ? info(ctx, existing.get(), type)
                    : NatsJsJson.error(type, NatsJsError.STREAM_NAME_EXIST, null));
        }
        ObjectNode overlapping = overlapError(ctx, type, name, subjects);
        if (overlapping != null) {
            return done(overlapping);
        }
        return broker.streams().create(ctx, new StreamSpec(name, 1, coreConfig(config), subjects))
                .thenApply(info -> info(ctx, info, type))
                .exceptionally(t -> coreError(type, t));
    }

    private static List<String> subjectsOf(ObjectNode config) {
        List<String> subjects = new ArrayList<>();
        config.withArray("subjects").forEach(s -> subjects.add(s.asText()));
        return subjects;
    }

    /** The error for the first subject a stream may not capture, or null when all are valid. */
    private static ObjectNode invalidSubject(String type, List<String> subjects) {
        for (String subject : subjects) {
            if (!NatsSubjects.isValidSubscription(subject) || subject.startsWith("$JS.")) {
                return NatsJsJson.error(type, NatsJsError.STREAM_INVALID_CONFIG, "invalid subject " + subject);
            }
        }
        return null;
    }

    /** The error if one of {@code subjects} overlaps a subject of another stream than {@code name}, else null. */
    private ObjectNode overlapError(CallContext ctx, String type, String name, List<String> subjects) {
        for (StreamInfo other : broker.streams().list(ctx, false)) {
            if (other.name().equals(name)) {
                continue;
            }
            for (String mine : subjects) {
                for (String theirs : other.subjects()) {
                    if (overlap(mine, theirs)) {
                        return NatsJsJson.error(type, NatsJsError.STREAM_SUBJECT_OVERLAP, null);
                    }
                }
            }
        }
        return null;
    }

    /** The core stream config keys a JetStream config maps to (see the class comment). */
    private static Map<String, String> coreConfig(ObjectNode config) {
        Map<String, String> core = new HashMap<>();
        core.put(CONFIG_KEY, config.toString());
        long maxAgeNs = config.path("max_age").asLong(0);
        if (maxAgeNs > 0) {
            core.put(StreamConfig.RETENTION_MS, Long.toString(Math.max(1, maxAgeNs / 1_000_000)));
        }
        long maxBytes = config.path("max_bytes").asLong(-1);
        if (maxBytes > 0) {
            core.put(StreamConfig.RETENTION_BYTES, Long.toString(maxBytes));
        }
        long maxMsgSize = config.path("max_msg_size").asLong(-1);
        if (maxMsgSize > 0) {
            core.put(StreamConfig.MAX_MESSAGE_BYTES, Long.toString(maxMsgSize));
        }
        core.put(StreamConfig.DUPLICATE_WINDOW_MS,
                Long.toString(config.path("duplicate_window").asLong(DEFAULT_DUPLICATE_WINDOW_NS) / 1_000_000));
        return core;
    }

    /** The core keys {@link #coreConfig} may set, so an update can remove the ones a new config no longer sets. */
    private static final Set<String> MAPPED_KEYS = Set.of(StreamConfig.RETENTION_MS, StreamConfig.RETENTION_BYTES,
            StreamConfig.MAX_MESSAGE_BYTES, StreamConfig.DUPLICATE_WINDOW_MS);

    /**
     * {@code STREAM.UPDATE.<stream>}: subjects, limits ({@code max_age}, {@code max_bytes}, {@code max_msg_size}),
     * {@code duplicate_window} and the other echoed fields may change; {@code storage} and {@code retention} may not
     * (nats-server refuses storage changes and retention changes to or from work queues; this adapter serves only
     * limits retention semantics, so it refuses any retention change).
     */
    CompletableFuture<ObjectNode> update(CallContext ctx, String name, byte[] body) {
        String type = "stream_update_response";
        ObjectNode config;
        try {
            config = NatsJsJson.parseObject(body);
        } catch (IllegalArgumentException e) {
            return done(NatsJsJson.error(type, NatsJsError.INVALID_JSON, e.getMessage()));
        }
        if (config.hasNonNull("name") && !config.get("name").asText().equals(name)) {
            return done(NatsJsJson.error(type, NatsJsError.STREAM_MISMATCH, null));
        }
        Optional<StreamInfo> existing = broker.streams().describe(ctx, name);
        if (existing.isEmpty()) {
            return done(NatsJsJson.error(type, NatsJsError.STREAM_NOT_FOUND, null));
        }
        config.put("name", name);
        normalize(config);
        ObjectNode old = storedConfig(existing.get());
        if (!old.path("storage").asText().equals(config.path("storage").asText())) {
            return done(NatsJsJson.error(type, NatsJsError.STREAM_INVALID_CONFIG,
                    "stream configuration update can not change storage type"));
        }
        if (!old.path("retention").asText().equals(config.path("retention").asText())) {
            return done(NatsJsJson.error(type, NatsJsError.STREAM_INVALID_CONFIG,
                    "stream configuration update can not change retention policy"));
        }
        List<String> subjects = subjectsOf(config);
        ObjectNode invalid = invalidSubject(type, subjects);
        if (invalid == null) {
            invalid = overlapError(ctx, type, name, subjects);
        }
        if (invalid != null) {
            return done(invalid);
        }
        Map<String, String> set = coreConfig(config);
        Set<String> remove = new java.util.HashSet<>(MAPPED_KEYS);
        remove.removeAll(set.keySet());
        UUID id = existing.get().id();
        return broker.streams().alterConfig(ctx, name, set, remove)
                .thenCompose(i -> existing.get().subjects().equals(subjects) ? CompletableFuture.completedFuture(i)
                        : broker.streams().alterSubjects(ctx, name, subjects))
                .thenApply(i -> {
                    dedupe.remove(id); // rebuilt with the new window on the next publish
                    return info(ctx, i, type);
                })
                .exceptionally(t -> NatsJsJson.error(type, NatsJsError.STREAM_UPDATE,
                        SluiceException.from(t).getMessage()));
    }

    // ---- reading messages back -------------------------------------------------------------------------------

    /**
     * {@code STREAM.MSG.GET.<stream>}: body {@code {"seq":n}}, {@code {"last_by_subj":"subject"}} or
     * {@code {"seq":n,"next_by_subj":"subject"}}; the message comes back base64-encoded in the JSON response.
     */
    CompletableFuture<ObjectNode> msgGet(CallContext ctx, String name, byte[] body) {
        String type = "stream_msg_get_response";
        ObjectNode req;
        try {
            req = NatsJsJson.parseObject(body);
        } catch (IllegalArgumentException e) {
            return done(NatsJsJson.error(type, NatsJsError.INVALID_JSON, e.getMessage()));
        }
        if (broker.streams().describe(ctx, name).isEmpty()) {
            return done(NatsJsJson.error(type, NatsJsError.STREAM_NOT_FOUND, null));
        }
        NatsJsStreamReader.Stored found;
        try {
            found = lookup(broker.streams().partition(ctx, name, 0), name, req);
        } catch (IllegalArgumentException e) {
            return done(NatsJsJson.error(type, NatsJsError.BAD_REQUEST, e.getMessage()));
        }
        if (found == null) {
            return done(NatsJsJson.error(type, NatsJsError.NO_MESSAGE_FOUND, null));
        }
        ObjectNode n = NatsJsJson.response(type);
        ObjectNode m = n.putObject("message");
        m.put("subject", found.subject(name));
        m.put("seq", found.seq());
        byte[] headers = NatsMessages.toNats(found.message().headers());
        if (headers != null) {
            m.put("hdrs", java.util.Base64.getEncoder().encodeToString(headers));
        }
        m.put("data", java.util.Base64.getEncoder().encodeToString(NatsMessages.payload(found.message())));
        m.put("time", NatsJsJson.time(Instant.ofEpochMilli(Math.max(0, found.message().timestamp()))));
        return done(n);
    }

    /** Resolves a get request; throws {@link IllegalArgumentException} when it names no message. */
    private static NatsJsStreamReader.Stored lookup(StreamPartition p, String stream, JsonNode req) {
        String last = req.path("last_by_subj").asText("");
        String next = req.path("next_by_subj").asText("");
        long seq = req.path("seq").asLong(0);
        if (!last.isEmpty()) {
            return NatsJsStreamReader.lastBySubject(p, stream, last);
        }
        if (!next.isEmpty()) {
            return NatsJsStreamReader.nextBySubject(p, stream, Math.max(1, seq), next);
        }
        if (seq <= 0) {
            throw new IllegalArgumentException("request requires a sequence or a subject");
        }
        return NatsJsStreamReader.at(p, seq);
    }

    /**
     * {@code DIRECT.GET.<stream>} (JSON body as for {@code MSG.GET}) and {@code DIRECT.GET.<stream>.<subject>} (last
     * message on that subject), served only when the stream has {@code allow_direct}. Completes with the reply's
     * header block (with {@code Nats-Stream}, {@code Nats-Subject}, {@code Nats-Sequence}, {@code Nats-Time-Stamp}) and
     * payload, a {@code 404 Message Not Found} or {@code 408 Bad Request} status, or null when direct get is off.
     */
    Message directGet(CallContext ctx, String name, String lastBySubject, byte[] body) {
        Optional<StreamInfo> info = broker.streams().describe(ctx, name);
        if (info.isEmpty() || !storedConfig(info.get()).path("allow_direct").asBoolean(false)) {
            return null;
        }
        NatsJsStreamReader.Stored found;
        try {
            StreamPartition p = broker.streams().partition(ctx, name, 0);
            if (lastBySubject != null) {
                found = NatsJsStreamReader.lastBySubject(p, name, lastBySubject);
            } else {
                found = lookup(p, name, NatsJsJson.parseObject(body));
            }
        } catch (IllegalArgumentException e) {
            return Message.of(null, new byte[0], List.of(NatsMessages.status(408, "Bad Request")));
        }
        if (found == null) {
            return Message.of(null, new byte[0], List.of(NatsMessages.status(404, "Message Not Found")));
        }
        List<Header> headers = new ArrayList<>(found.message().headers());
        headers.add(new Header("Nats-Stream", name.getBytes(StandardCharsets.UTF_8)));
        headers.add(new Header("Nats-Subject", found.subject(name).getBytes(StandardCharsets.UTF_8)));
        headers.add(new Header("Nats-Sequence", Long.toString(found.seq()).getBytes(StandardCharsets.UTF_8)));
        headers.add(new Header("Nats-Time-Stamp", NatsJsJson.time(Instant.ofEpochMilli(
                Math.max(0, found.message().timestamp()))).getBytes(StandardCharsets.UTF_8)));
        return Message.of(null, NatsMessages.payload(found.message()), headers);
    }

    /** Fills in nats-server's defaults so that the config echoed back is the one the server applies. */
    private static void normalize(ObjectNode c) {
        if (!c.hasNonNull("subjects") || c.get("subjects").isEmpty()) {
            c.putArray("subjects").add(c.get("name").asText());
        }
        putIfAbsent(c, "retention", "limits");
        putIfAbsent(c, "max_consumers", -1);
        putIfAbsent(c, "max_msgs", -1);
        putIfAbsent(c, "max_bytes", -1);
        putIfAbsent(c, "max_age", 0);
        putIfAbsent(c, "max_msgs_per_subject", -1);
        putIfAbsent(c, "max_msg_size", -1);
        putIfAbsent(c, "discard", "old");
        putIfAbsent(c, "storage", "file");
        putIfAbsent(c, "num_replicas", 1);
        if (!c.hasNonNull("duplicate_window") || c.get("duplicate_window").asLong() == 0) {
            c.put("duplicate_window", DEFAULT_DUPLICATE_WINDOW_NS);
        }
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

    private static boolean sameConfig(StreamInfo info, ObjectNode config) {
        JsonNode stored = storedConfig(info);
        return NatsJsJson.sameJson(stored, config);
    }

    /** Whether two subject patterns can match a common subject. */
    static boolean overlap(String a, String b) {
        String[] x = a.split("\\.", -1);
        String[] y = b.split("\\.", -1);
        for (int i = 0; ; i++) {
            boolean endX = i >= x.length;
            boolean endY = i >= y.length;
            if (endX || endY) {
                return endX && endY;
            }
            if (x[i].equals(">") || y[i].equals(">")) {
                return true;
            }
            if (!x[i].equals("*") && !y[i].equals("*") && !x[i].equals(y[i])) {
                return false;
            }
        }
    }

    static ObjectNode storedConfig(StreamInfo info) {
        String json = info.config().get(CONFIG_KEY);
        if (json != null) {
            try {
                return (ObjectNode) NatsJsJson.MAPPER.readTree(json);
            } catch (java.io.IOException | ClassCastException ignored) {
                // fall through to a config rebuilt from the core's view
            }
        }
        ObjectNode c = NatsJsJson.MAPPER.createObjectNode();
        c.put("name", info.name());
        ArrayNode subjects = c.putArray("subjects");
        info.subjects().forEach(subjects::add);
        normalize(c);
        return c;
    }

    ObjectNode info(CallContext ctx, StreamInfo info, String type) {
        ObjectNode n = NatsJsJson.response(type);
        n.set("config", storedConfig(info));
        n.put("created", NatsJsJson.time(Instant.ofEpochMilli(info.createdAt())));
        ObjectNode state = n.putObject("state");
        try {
            StreamPartition p = broker.streams().partition(ctx, info.name(), 0);
            long start = p.logStartOffset();
            long end = p.logEndOffset();
            state.put("messages", end - start);
            state.put("bytes", 0);
            state.put("first_seq", start + 1);
            state.put("first_ts", NatsJsJson.ZERO_TIME);
            state.put("last_seq", end);
            state.put("last_ts", NatsJsJson.ZERO_TIME);
        } catch (RuntimeException e) {
            state.put("messages", 0);
        }
        state.put("consumer_count", broker.groups().list(ctx, info.name()).size());
        n.put("ts", NatsJsJson.time(Instant.ofEpochMilli(broker.clock().millis())));
        return n;
    }

    CompletableFuture<ObjectNode> info(CallContext ctx, String name) {
        String type = "stream_info_response";
        return done(broker.streams().describe(ctx, name).map(i -> info(ctx, i, type))
                .orElseGet(() -> NatsJsJson.error(type, NatsJsError.STREAM_NOT_FOUND, null)));
    }

    CompletableFuture<ObjectNode> delete(CallContext ctx, String name, Function<String, CompletableFuture<Void>> dropConsumers) {
        String type = "stream_delete_response";
        Optional<StreamInfo> info = broker.streams().describe(ctx, name);
        if (info.isEmpty()) {
            return done(NatsJsJson.error(type, NatsJsError.STREAM_NOT_FOUND, null));
        }
        dedupe.remove(info.get().id());
        return dropConsumers.apply(name)
                .thenCompose(v -> broker.streams().delete(ctx, name))
                .thenApply(v -> {
                    ObjectNode n = NatsJsJson.response(type);
                    n.put("success", true);
                    return n;
                })
                .exceptionally(t -> coreError(type, t));
    }

    CompletableFuture<ObjectNode> purge(CallContext ctx, String name) {
        String type = "stream_purge_response";
        Optional<StreamInfo> info = broker.streams().describe(ctx, name);
        if (info.isEmpty()) {
            return done(NatsJsJson.error(type, NatsJsError.STREAM_NOT_FOUND, null));
        }
        StreamPartition p = broker.streams().partition(ctx, name, 0);
        long end = p.logEndOffset();
        long purged = end - p.logStartOffset();
        Dedupe d = dedupe.get(info.get().id());
        if (d != null) {
            d.clear();
        }
        return p.deleteRecordsBefore(end).thenApply(v -> {
            ObjectNode n = NatsJsJson.response(type);
            n.put("success", true);
            n.put("purged", purged);
            return n;
        }).exceptionally(t -> coreError(type, t));
    }

    /** {@code STREAM.NAMES} and {@code STREAM.LIST}: one page holding every stream, optionally filtered by subject. */
    CompletableFuture<ObjectNode> list(CallContext ctx, byte[] body, boolean names) {
        String type = names ? "stream_names_response" : "stream_list_response";
        ObjectNode req;
        try {
            req = NatsJsJson.parseObject(body);
        } catch (IllegalArgumentException e) {
            return done(NatsJsJson.error(type, NatsJsError.INVALID_JSON, e.getMessage()));
        }
        String filter = req.hasNonNull("subject") ? req.get("subject").asText() : null;
        int offset = req.path("offset").asInt(0);
        List<StreamInfo> streams = new ArrayList<>();
        for (StreamInfo i : broker.streams().list(ctx, false)) {
            if (i.subjects().isEmpty() && i.config().get(CONFIG_KEY) == null) {
                continue; // not a JetStream stream (a Kafka topic, a Redis stream)
            }
            if (filter == null || i.subjects().stream().anyMatch(s -> overlap(s, filter))) {
                streams.add(i);
            }
        }
        streams.sort((a, b) -> a.name().compareTo(b.name()));
        ObjectNode n = NatsJsJson.response(type);
        n.put("total", streams.size());
        n.put("offset", offset);
        n.put("limit", LIST_LIMIT);
        ArrayNode items = n.putArray("streams");
        for (StreamInfo i : streams.subList(Math.min(offset, streams.size()), streams.size())) {
            if (names) {
                items.add(i.name());
            } else {
                items.add(info(ctx, i, "stream_info_response").without("type"));
            }
        }
        return done(n);
    }

    int count(CallContext ctx) {
        return (int) broker.streams().list(ctx, false).stream()
                .filter(i -> !i.subjects().isEmpty() || i.config().get(CONFIG_KEY) != null).count();
    }

    static ObjectNode coreError(String type, Throwable t) {
        SluiceException e = SluiceException.from(t);
        NatsJsError error = switch (e.code()) {
            case STREAM_NOT_FOUND -> NatsJsError.STREAM_NOT_FOUND;
            case STREAM_EXISTS -> NatsJsError.STREAM_NAME_EXIST;
            case GROUP_NOT_FOUND -> NatsJsError.CONSUMER_NOT_FOUND;
            case INVALID_ARGUMENT -> NatsJsError.STREAM_INVALID_CONFIG;
            default -> NatsJsError.STREAM_STORE_FAILED;
        };
        return NatsJsJson.error(type, error, e.getMessage());
    }

    static CompletableFuture<ObjectNode> done(ObjectNode n) {
        return CompletableFuture.completedFuture(n);
    }
}
