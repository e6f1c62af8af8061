package io.sluice.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.sluice.core.CallContext;
import io.sluice.core.Message;
import io.sluice.core.MessageCodec;
import io.sluice.core.Scope;
import io.sluice.core.offset.CommittedOffset;
import io.sluice.core.offset.PartitionKey;
import io.sluice.core.queue.Overflow;
import io.sluice.core.queue.QueueArguments;
import io.sluice.core.queue.QueueInfo;
import io.sluice.core.queue.QueueSpec;
import io.sluice.core.route.Binding;
import io.sluice.core.route.ExchangeSpec;
import io.sluice.core.route.ExchangeType;
import io.sluice.core.stream.StreamInfo;
import io.sluice.core.stream.StreamPartition;
import io.sluice.core.stream.StreamReads;
import io.sluice.core.stream.StreamSpec;
import io.sluice.storage.LogStats;
import io.sluice.storage.TimestampOffset;
import io.sluice.storage.record.Header;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The admin JSON API under {@code /api/v1}: streams, queues, exchanges, bindings, consumer-group offsets, message
 * peeking, purge and dead-letter redrive (see docs/openapi.yaml for every path and body). Names resolve in the scope
 * given by the {@code tenant} and {@code namespace} query parameters (default: the default scope).
 *
 * <p>Handlers run on Jetty threads and wait for the core's futures: admin calls are rare and a blocked HTTP thread
 * costs nothing the broker needs. Errors: unknown entity 404, malformed parameter 400, conflicting state 409, each
 * with a JSON body {@code {"error": "..."}}.
 */
final class AdminApi {
    private static final int MAX_PEEK = 500;

    private final BrokerView view;
    private final RedriveTasks redrive;

    AdminApi(BrokerView view, RedriveTasks redrive) {
        this.view = view;
        this.redrive = redrive;
    }

    void routes(RoutesConfig r) {
        r.get("/api/v1/overview", this::overview);
        r.get("/api/v1/streams", this::listStreams);
        r.post("/api/v1/streams", this::createStream);
        r.get("/api/v1/streams/{name}", this::describeStream);
        r.delete("/api/v1/streams/{name}", this::deleteStream);
        r.get("/api/v1/streams/{name}/messages", this::peekStream);
        r.get("/api/v1/queues", this::listQueues);
        r.post("/api/v1/queues", this::createQueue);
        r.get("/api/v1/queues/{name}", this::describeQueue);
        r.delete("/api/v1/queues/{name}", this::deleteQueue);
        r.post("/api/v1/queues/{name}/purge", this::purgeQueue);
        r.get("/api/v1/queues/{name}/messages", this::peekQueue);
        r.post("/api/v1/queues/{name}/messages", this::publishToQueue);
        r.post("/api/v1/queues/{name}/redrive", this::startRedrive);
        r.get("/api/v1/redrives", ctx -> AdminServer.json(ctx, 200, redrive.list()));
        r.get("/api/v1/redrives/{id}", ctx -> AdminServer.json(ctx, 200, redrive.get(ctx.pathParam("id"))));
        r.delete("/api/v1/redrives/{id}", ctx -> AdminServer.json(ctx, 200, redrive.cancel(ctx.pathParam("id"))));
        r.get("/api/v1/exchanges", this::listExchanges);
        r.post("/api/v1/exchanges", this::createExchange);
        r.get("/api/v1/exchanges/{name}", this::describeExchange);
        r.delete("/api/v1/exchanges/{name}", this::deleteExchange);
        r.get("/api/v1/bindings", this::listBindings);
        r.post("/api/v1/bindings", ctx -> changeBinding(ctx, true));
        r.delete("/api/v1/bindings", ctx -> changeBinding(ctx, false));
        r.get("/api/v1/groups", this::listGroups);
        r.get("/api/v1/groups/{group}", this::describeGroup);
        r.delete("/api/v1/groups/{group}", this::deleteGroup);
        r.post("/api/v1/groups/{group}/reset", this::resetGroup);
    }

    // ---- scope and parameters

    static CallContext ctxOf(Context ctx) {
        String tenant = ctx.queryParam("tenant");
        String ns = ctx.queryParam("namespace");
        return CallContext.BROKER.in(new Scope(tenant == null || tenant.isBlank() ? Scope.DEFAULT_TENANT : tenant,
                ns == null || ns.isBlank() ? Scope.DEFAULT_NAMESPACE : ns));
    }

    static long longParam(Context ctx, String name, long dflt) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be an integer, got '" + v + "'");
        }
    }

    private static JsonNode body(Context ctx) {
        String b = ctx.body();
        if (b == null || b.isBlank()) {
            return AdminServer.JSON.createObjectNode();
        }
        try {
            JsonNode n = AdminServer.JSON.readTree(b);
            if (n == null || !n.isObject()) {
                throw ApiException.badRequest("request body must be a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw ApiException.badRequest("request body is not valid JSON: " + e.getMessage());
        }
    }

    private static String requiredText(JsonNode b, String field) {
        JsonNode n = b.get(field);
        if (n == null || !n.isTextual() || n.asText().isBlank()) {
            throw ApiException.badRequest("'" + field + "' is required");
        }
        return n.asText();
    }

    private static long longField(JsonNode b, String field, long dflt) {
        JsonNode n = b.get(field);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.canConvertToLong()) {
            throw ApiException.badRequest("'" + field + "' must be an integer");
        }
        return n.asLong();
    }

    private static String textField(JsonNode b, String field) {
        JsonNode n = b.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    // ---- overview

    private void overview(Context ctx) {
        List<BrokerView.PartitionFigures> parts = view.partitions(false);
        List<BrokerView.ScopedQueue> queues = view.queues();
        long records = 0;
        long bytes = 0;
        for (BrokerView.PartitionFigures p : parts) {
            records += p.logEndOffset();
            bytes += p.sizeBytes();
        }
        long ready = 0;
        long unacked = 0;
        long deadLetters = 0;
        AlertThresholds t = AlertThresholds.defaults();
        for (BrokerView.ScopedQueue q : queues) {
            ready += q.info().messages();
            unacked += q.info().unacked();
            if (view.isDeadLetterQueue(q, queues, t)) {
                deadLetters += q.info().messages();
            }
        }
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("clusterId", view.broker().clusterId());
        o.put("nodeId", view.broker().nodeId());
        o.put("time", view.broker().clock().millis());
        o.put("streams", parts.stream().map(p -> p.stream().scope() + "/" + p.stream().name()).distinct().count());
        o.put("partitions", parts.size());
        o.put("streamRecords", records);
        o.put("streamBytes", bytes);
        o.put("queues", queues.size());
        o.put("queueMessagesReady", ready);
        o.put("queueMessagesUnacked", unacked);
        o.put("deadLetterMessages", deadLetters);
        o.put("connections", view.broker().connections().list().size());
        o.put("publishingBlocked", view.broker().alarms().publishingBlocked());
        AdminServer.json(ctx, 200, o);
    }

    // ---- streams

    private static Map<String, Object> streamJson(StreamInfo s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put("tenant", s.scope().tenant());
        m.put("namespace", s.scope().namespace());
        m.put("id", s.id().toString());
        m.put("partitions", s.partitions());
        m.put("kind", s.kind().name().toLowerCase(java.util.Locale.ROOT));
        m.put("config", s.config());
        m.put("subjects", s.subjects());
        m.put("createdAt", s.createdAt());
        return m;
    }

    private void listStreams(Context ctx) {
        boolean queues = "true".equals(ctx.queryParam("includeQueues"));
        AdminServer.json(ctx, 200, view.broker().streams().list(ctxOf(ctx), queues).stream()
                .map(AdminApi::streamJson).toList());
    }

    private void createStream(Context ctx) {
        JsonNode b = body(ctx);
        String name = requiredText(b, "name");
        long partitions = longField(b, "partitions", 1);
        if (partitions < 1 || partitions > 10_000) {
            throw ApiException.badRequest("'partitions' must be between 1 and 10000");
        }
        Map<String, String> config = new LinkedHashMap<>();
        JsonNode c = b.get("config");
        if (c != null && c.isObject()) {
            c.properties().forEach(e -> config.put(e.getKey(), e.getValue().asText()));
        }
        List<String> subjects = new ArrayList<>();
        JsonNode subj = b.get("subjects");
        if (subj != null && subj.isArray()) {
            subj.forEach(n -> subjects.add(n.asText()));
        }
        StreamInfo info = view.broker().streams().create(ctxOf(ctx),
                new StreamSpec(name, (int) partitions, config, subjects)).join();
        AdminServer.json(ctx, 201, streamJson(info));
    }

    private StreamInfo stream(CallContext c, String name) {
        return view.broker().streams().describe(c, name).orElseThrow(() -> ApiException.notFound("stream " + name));
    }

    private void describeStream(Context ctx) {
        CallContext c = ctxOf(ctx);
        StreamInfo s = stream(c, ctx.pathParam("name"));
        Map<String, Object> m = streamJson(s);
        List<Map<String, Object>> parts = new ArrayList<>();
        for (int p = 0; p < s.partitions(); p++) {
            StreamPartition sp = view.broker().streams().partition(c, s.name(), p);
            LogStats st = sp.stats();
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("partition", p);
            pm.put("logStartOffset", sp.logStartOffset());
            pm.put("logEndOffset", sp.logEndOffset());
            pm.put("highWatermark", sp.highWatermark());
            pm.put("sizeBytes", st.sizeInBytes());
            pm.put("segments", st.segmentCount());
            parts.add(pm);
        }
        m.put("partitionDetails", parts);
        AdminServer.json(ctx, 200, m);
    }

    private void deleteStream(Context ctx) {
        CallContext c = ctxOf(ctx);
        String name = ctx.pathParam("name");
        stream(c, name);
        view.broker().streams().delete(c, name).join();
        ctx.status(204);
    }

    private void peekStream(Context ctx) {
        CallContext c = ctxOf(ctx);
        StreamInfo s = stream(c, ctx.pathParam("name"));
        long partition = longParam(ctx, "partition", 0);
        if (partition < 0 || partition >= s.partitions()) {
            throw ApiException.badRequest("partition must be between 0 and " + (s.partitions() - 1));
        }
        StreamPartition sp = view.broker().streams().partition(c, s.name(), (int) partition);
        AdminServer.json(ctx, 200, peek(ctx, sp));
    }

    /**
     * Reads messages from {@code offset} (default: the log start) without consuming them: no cursor, group or ack
     * state changes. Transaction control records are skipped.
     */
    static List<Map<String, Object>> peek(Context ctx, StreamPartition sp) {
        long limit = longParam(ctx, "limit", 20);
        if (limit < 1 || limit > MAX_PEEK) {
            throw ApiException.badRequest("limit must be between 1 and " + MAX_PEEK);
        }
        long from = longParam(ctx, "offset", sp.logStartOffset());
        if (from < 0) {
            throw ApiException.badRequest("offset must not be negative");
        }
        return peek(sp, Math.max(from, sp.logStartOffset()), (int) limit);
    }

    static List<Map<String, Object>> peek(StreamPartition sp, long from, int limit) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (limit > 0) {
            StreamReads.scan(sp, from, 1024 * 1024, rec -> {
                out.add(messageJson(rec.offset(), MessageCodec.fromRecord(rec)));
                return out.size() < limit;
            });
        }
        return out;
    }

    static Map<String, Object> messageJson(long offset, Message m) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("offset", offset);
        o.put("timestamp", m.timestamp());
        if (m.subject() != null) {
            o.put("subject", m.subject());
        }
        if (m.key() != null) {
            o.put("key", text(m.key()));
        }
        o.put("body", m.value() == null ? null : text(m.value()));
        if (m.value() != null && !isUtf8(m.value())) {
            o.put("bodyBase64", Base64.getEncoder().encodeToString(m.value()));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header h : m.headers()) {
            headers.put(h.key(), h.value() == null ? null : text(h.value()));
        }
        o.put("headers", headers);
        if (m.priority() >= 0) {
            o.put("priority", m.priority());
        }
        return o;
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static boolean isUtf8(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    // ---- queues

    private Map<String, Object> queueJson(Scope scope, QueueInfo q, boolean deadLetter) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", q.name());
        m.put("tenant", scope.tenant());
        m.put("namespace", scope.namespace());
        m.put("durable", q.spec().durable());
        m.put("autoDelete", q.spec().autoDelete());
        m.put("exclusive", q.spec().exclusiveOwner() != null);
        m.put("messages", q.messages());
        m.put("unacked", q.unacked());
        m.put("consumers", q.consumers());
        m.put("bytes", q.bytes());
        m.put("oldestReadyTimestamp", q.oldestReadyTimestamp());
        m.put("deadLetter", deadLetter);
        QueueArguments a = q.spec().arguments();
        if (a != null) {
            m.put("arguments", a);
        }
        return m;
    }

    private void listQueues(Context ctx) {
        CallContext c = ctxOf(ctx);
        List<BrokerView.ScopedQueue> all = view.queues();
        List<Map<String, Object>> out = new ArrayList<>();
        for (BrokerView.ScopedQueue q : all) {
            if (q.scope().equals(c.scope())) {
                out.add(queueJson(q.scope(), q.info(), view.isDeadLetterQueue(q, all, AlertThresholds.defaults())));
            }
        }
        AdminServer.json(ctx, 200, out);
    }

    private QueueInfo queue(CallContext c, String name) {
        return view.broker().queues().describe(c, name).orElseThrow(() -> ApiException.notFound("queue " + name));
    }

    private void createQueue(Context ctx) {
        JsonNode b = body(ctx);
        String name = requiredText(b, "name");
        JsonNode a = b.has("arguments") ? b.get("arguments") : AdminServer.JSON.createObjectNode();
        String overflow = textField(a, "overflow");
        Overflow of;
        try {
            of = overflow == null ? Overflow.DROP_HEAD : Overflow.valueOf(overflow.toUpperCase(java.util.Locale.ROOT)
                    .replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("unknown overflow '" + overflow + "'");
        }
        QueueArguments args = new QueueArguments(longField(a, "messageTtlMs", -1), longField(a, "expiresMs", -1),
                longField(a, "maxLength", -1), longField(a, "maxLengthBytes", -1), of,
                (int) longField(a, "maxPriority", 0), textField(a, "deadLetterExchange"),
                textField(a, "deadLetterRoutingKey"), (int) longField(a, "deliveryLimit", -1),
                a.path("singleActiveConsumer").asBoolean(false), longField(a, "leaseMs", -1),
                a.path("streamBacked").asBoolean(false));
        boolean durable = b.path("durable").asBoolean(true);
        QueueInfo q = view.broker().queues().declare(ctxOf(ctx),
                new QueueSpec(name, durable, null, b.path("autoDelete").asBoolean(false), args)).join();
        AdminServer.json(ctx, 201, queueJson(q.scope(), q, false));
    }

    private void describeQueue(Context ctx) {
        CallContext c = ctxOf(ctx);
        QueueInfo q = queue(c, ctx.pathParam("name"));
        List<BrokerView.ScopedQueue> all = view.queues();
        AdminServer.json(ctx, 200, queueJson(c.scope(), q, view.isDeadLetterQueue(
                new BrokerView.ScopedQueue(c.scope(), q), all, AlertThresholds.defaults())));
    }

    private void deleteQueue(Context ctx) {
        CallContext c = ctxOf(ctx);
        String name = ctx.pathParam("name");
        queue(c, name);
        long n = view.broker().queues().delete(c, name, "true".equals(ctx.queryParam("ifUnused")),
                "true".equals(ctx.queryParam("ifEmpty"))).join();
        AdminServer.json(ctx, 200, Map.of("deleted", name, "messages", n));
    }

    private void purgeQueue(Context ctx) {
        CallContext c = ctxOf(ctx);
        String name = ctx.pathParam("name");
        queue(c, name);
        long n = view.broker().queues().purge(c, name).join();
        AdminServer.json(ctx, 200, Map.of("purged", n));
    }

    private void publishToQueue(Context ctx) {
        CallContext c = ctxOf(ctx);
        String name = ctx.pathParam("name");
        queue(c, name);
        JsonNode b = body(ctx);
        JsonNode bodyNode = b.get("body");
        if (bodyNode == null || bodyNode.isNull()) {
            throw ApiException.badRequest("'body' is required");
        }
        List<Header> headers = new ArrayList<>();
        JsonNode h = b.get("headers");
        if (h != null && h.isObject()) {
            h.properties().forEach(e -> headers.add(new Header(e.getKey(),
                    e.getValue().asText().getBytes(StandardCharsets.UTF_8))));
        }
        Message m = Message.of(textField(b, "subject"), bodyNode.asText().getBytes(StandardCharsets.UTF_8), headers);
        boolean stored = view.broker().queues().enqueue(c, name, m).join();
        AdminServer.json(ctx, stored ? 201 : 409, stored ? Map.of("stored", true)
                : Map.of("error", "queue " + name + " refused the message (full)"));
    }

    /**
     * The log holding a queue's messages: the one-partition stream named after the queue in its scope (of kind
     * QUEUE, or STREAM for a stream-backed queue), as the queue engine creates it.
     */
    private StreamPartition queueLog(CallContext c, String name) {
        for (StreamInfo s : view.broker().streams().list(c, true)) {
            if (s.name().equals(name)) {
                return view.broker().streams().partition(c, s.name(), 0);
            }
        }
        throw ApiException.notFound("log of queue " + name);
    }

    private void peekQueue(Context ctx) {
        CallContext c = ctxOf(ctx);
        String name = ctx.pathParam("name");
        queue(c, name);
        AdminServer.json(ctx, 200, peek(ctx, queueLog(c, name)));
    }

    private void startRedrive(Context ctx) {
        CallContext c = ctxOf(ctx);
        String name = ctx.pathParam("name");
        queue(c, name);
        JsonNode b = body(ctx);
        String target = textField(b, "target");
        if (target != null) {
            queue(c, target);
        }
        double rate = b.path("ratePerSecond").asDouble(100);
        if (!(rate > 0) || rate > 100_000) {
            throw ApiException.badRequest("ratePerSecond must be above 0 and at most 100000");
        }
        long max = longField(b, "maxMessages", Long.MAX_VALUE);
        if (max < 1) {
            throw ApiException.badRequest("maxMessages must be at least 1");
        }
        RedriveTasks.Filter filter = new RedriveTasks.Filter(textField(b, "bodyContains"), textField(b, "header"),
                textField(b, "headerValue"));
        AdminServer.json(ctx, 202, redrive.start(c, name, target, filter, rate, max));
    }

    // ---- exchanges and bindings

    private static Map<String, Object> exchangeJson(ExchangeSpec e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", e.name());
        m.put("type", e.type().amqpName());
        m.put("durable", e.durable());
        m.put("autoDelete", e.autoDelete());
        m.put("internal", e.internal());
        m.put("alternateExchange", e.alternateExchange());
        m.put("arguments", stringify(e.arguments()));
        return m;
    }

    private static Map<String, String> stringify(Map<String, Object> args) {
        Map<String, String> out = new LinkedHashMap<>();
        args.forEach((k, v) -> out.put(k, v instanceof byte[] bytes ? text(bytes) : String.valueOf(v)));
        return out;
    }

    private void listExchanges(Context ctx) {
        AdminServer.json(ctx, 200, view.broker().exchanges().list(ctxOf(ctx)).stream()
                .map(AdminApi::exchangeJson).toList());
    }

    private void createExchange(Context ctx) {
        JsonNode b = body(ctx);
        String name = requiredText(b, "name");
        ExchangeType type;
        try {
            type = ExchangeType.parse(requiredText(b, "type"));
        } catch (RuntimeException e) {
            throw ApiException.badRequest("unknown exchange type '" + textField(b, "type") + "'");
        }
        if (type == null) {
            throw ApiException.badRequest("unknown exchange type '" + textField(b, "type") + "'");
        }
        ExchangeSpec spec = new ExchangeSpec(name, type, b.path("durable").asBoolean(true),
                b.path("autoDelete").asBoolean(false), b.path("internal").asBoolean(false),
                textField(b, "alternateExchange"), Map.of());
        AdminServer.json(ctx, 201, exchangeJson(view.broker().exchanges().declare(ctxOf(ctx), spec).join()));
    }

    private void describeExchange(Context ctx) {
        CallContext c = ctxOf(ctx);
        String name = ctx.pathParam("name");
        ExchangeSpec e = view.broker().exchanges().describe(c, name)
                .orElseThrow(() -> ApiException.notFound("exchange " + name));
        Map<String, Object> m = exchangeJson(e);
        m.put("bindings", view.broker().exchanges().bindings(c, name).stream().map(AdminApi::bindingJson).toList());
        AdminServer.json(ctx, 200, m);
    }

    private void deleteExchange(Context ctx) {
        CallContext c = ctxOf(ctx);
        String name = ctx.pathParam("name");
        view.broker().exchanges().describe(c, name).orElseThrow(() -> ApiException.notFound("exchange " + name));
        view.broker().exchanges().delete(c, name, "true".equals(ctx.queryParam("ifUnused"))).join();
        ctx.status(204);
    }

    private static Map<String, Object> bindingJson(Binding b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", b.source());
        m.put("destination", b.destination());
        m.put("destinationType", b.toExchange() ? "exchange" : "queue");
        m.put("routingKey", b.routingKey());
        m.put("arguments", stringify(b.arguments()));
        return m;
    }

    private void listBindings(Context ctx) {
        AdminServer.json(ctx, 200, view.broker().exchanges().bindings(ctxOf(ctx), ctx.queryParam("name")).stream()
                .map(AdminApi::bindingJson).toList());
    }

    private void changeBinding(Context ctx, boolean add) {
        CallContext c = ctxOf(ctx);
        JsonNode b = body(ctx);
        String source = requiredText(b, "source");
        String destination = requiredText(b, "destination");
        boolean toExchange = "exchange".equals(textField(b, "destinationType"));
        view.broker().exchanges().describe(c, source).orElseThrow(() -> ApiException.notFound("exchange " + source));
        if (toExchange) {
            view.broker().exchanges().describe(c, destination)
                    .orElseThrow(() -> ApiException.notFound("exchange " + destination));
        } else {
            queue(c, destination);
        }
        Map<String, Object> args = new HashMap<>();
        JsonNode a = b.get("arguments");
        if (a != null && a.isObject()) {
            a.properties().forEach(e -> args.put(e.getKey(), e.getValue().isNumber() ? (Object) e.getValue().asLong()
                    : e.getValue().asText()));
        }
        Binding binding = new Binding(source, destination, toExchange, textField(b, "routingKey"), args);
        if (add) {
            view.broker().exchanges().bind(c, binding).join();
            AdminServer.json(ctx, 201, bindingJson(binding));
        } else {
            view.broker().exchanges().unbind(c, binding).join();
            ctx.status(204);
        }
    }

    // ---- consumer groups (committed offsets)

    private void listGroups(Context ctx) {
        CallContext c = ctxOf(ctx);
        List<Map<String, Object>> out = new ArrayList<>();
        for (String g : view.broker().offsets().groups(c).stream().sorted().toList()) {
            List<BrokerView.GroupLag> lags = view.lags(c, g);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("group", g);
            m.put("partitions", lags.size());
            m.put("lag", lags.stream().mapToLong(BrokerView.GroupLag::lag).sum());
            out.add(m);
        }
        AdminServer.json(ctx, 200, out);
    }

    private List<BrokerView.GroupLag> group(CallContext c, String group) {
        if (!view.broker().offsets().groups(c).contains(group)) {
            throw ApiException.notFound("consumer group " + group);
        }
        return view.lags(c, group);
    }

    private void describeGroup(Context ctx) {
        CallContext c = ctxOf(ctx);
        String g = ctx.pathParam("group");
        List<Map<String, Object>> parts = new ArrayList<>();
        for (BrokerView.GroupLag l : group(c, g)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("stream", l.stream());
            m.put("partition", l.partition());
            m.put("committedOffset", l.committed());
            m.put("logEndOffset", l.logEnd());
            m.put("lag", l.lag());
            parts.add(m);
        }
        AdminServer.json(ctx, 200, Map.of("group", g, "offsets", parts));
    }

    private void deleteGroup(Context ctx) {
        CallContext c = ctxOf(ctx);
        String g = ctx.pathParam("group");
        group(c, g);
        view.broker().offsets().delete(c, g, null).join();
        ctx.status(204);
    }

    /**
     * Resets committed offsets of a group on one stream (all partitions, or the one named) to the earliest or latest
     * offset, the first offset at or after a timestamp, or an exact offset (checked against the log's range).
     */
    private void resetGroup(Context ctx) {
        CallContext c = ctxOf(ctx);
        String g = ctx.pathParam("group");
        JsonNode b = body(ctx);
        String streamName = requiredText(b, "stream");
        StreamInfo s = stream(c, streamName);
        String to = requiredText(b, "to");
        List<Integer> partitions = new ArrayList<>();
        if (b.has("partition") && !b.get("partition").isNull()) {
            long p = longField(b, "partition", 0);
            if (p < 0 || p >= s.partitions()) {
                throw ApiException.badRequest("partition must be between 0 and " + (s.partitions() - 1));
            }
            partitions.add((int) p);
        } else {
            for (int p = 0; p < s.partitions(); p++) {
                partitions.add(p);
            }
        }
        long now = view.broker().clock().millis();
        Map<PartitionKey, CommittedOffset> offsets = new LinkedHashMap<>();
        for (int p : partitions) {
            StreamPartition sp = view.broker().streams().partition(c, streamName, p);
            long target = switch (to) {
                case "earliest" -> sp.logStartOffset();
                case "latest" -> sp.logEndOffset();
                case "timestamp" -> {
                    if (!b.has("timestamp")) {
                        throw ApiException.badRequest("'timestamp' is required with to=timestamp");
                    }
                    yield sp.offsetForTimestamp(longField(b, "timestamp", 0)).map(TimestampOffset::offset)
                            .orElse(sp.logEndOffset());
                }
                case "offset" -> {
                    if (!b.has("offset")) {
                        throw ApiException.badRequest("'offset' is required with to=offset");
                    }
                    long o = longField(b, "offset", 0);
                    if (o < sp.logStartOffset() || o > sp.logEndOffset()) {
                        throw ApiException.badRequest("offset " + o + " is outside partition " + p + "'s range ["
                                + sp.logStartOffset() + ", " + sp.logEndOffset() + "]");
                    }
                    yield o;
                }
                default -> throw ApiException.badRequest("'to' must be earliest, latest, timestamp or offset");
            };
            offsets.put(new PartitionKey(streamName, p), new CommittedOffset(target, -1, "reset by admin", now));
        }
        view.broker().offsets().commit(c, g, offsets).join();
        List<Map<String, Object>> out = new ArrayList<>();
        offsets.forEach((k, v) -> out.add(Map.of("stream", k.stream(), "partition", k.partition(),
                "committedOffset", v.offset())));
        AdminServer.json(ctx, 200, Map.of("group", g, "offsets", out));
    }
}
