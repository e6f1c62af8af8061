package io.sluice.core.internal;

import io.sluice.core.CallContext;
import io.sluice.core.ErrorCode;
import io.sluice.core.Message;
import io.sluice.core.Scope;
import io.sluice.core.SluiceException;
import io.sluice.core.queue.QueueService;
import io.sluice.core.route.Binding;
import io.sluice.core.route.ExchangeService;
import io.sluice.core.route.ExchangeSpec;
import io.sluice.core.route.ExchangeType;
import io.sluice.core.route.HeadersMatch;
import io.sluice.core.route.PublishResult;
import io.sluice.core.route.TopicMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Exchanges, bindings and routing with RabbitMQ's semantics. Each exchange keeps an index fitting its type (a map
 * for direct, a word trie for topic, a list for fanout and headers) behind a read-write lock: publishes share the read
 * lock, binding changes take the write lock. Durable exchanges and bindings are rows of the metadata log (types
 * {@value #EXCHANGE_TYPE} and {@value #BINDING_TYPE}).
 *
 * <p>Publishing resolves the set of destination queues first (following exchange-to-exchange bindings once per
 * exchange and the alternate exchange when nothing matched), then enqueues one copy per queue and completes when
 * every queue has stored it.
 */
public final class ExchangeServiceImpl implements ExchangeService {
    static final String EXCHANGE_TYPE = "exchange";
    static final String BINDING_TYPE = "binding";
    private static final char SEP = '\u0001';

    private final MetadataLog metadata;
    private final Supplier<QueueService> queues;
    private final Map<Scope, Map<String, Exchange>> scopes = new ConcurrentHashMap<>();

    /** The JSON shape of an exchange definition. */
    public record ExchangeRecord(String tenant, String namespace, String name, String type, boolean durable,
                                 boolean autoDelete, boolean internal, String alternateExchange,
                                 Map<String, Object> arguments) {
    }

    /** The JSON shape of a binding. */
    public record BindingRecord(String tenant, String namespace, String source, String destination,
                                boolean toExchange, String routingKey, Map<String, Object> arguments) {
    }

    private static final class Exchange {
        final ExchangeSpec spec;
        final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
        final List<Binding> bindings = new ArrayList<>();
        final Map<String, List<Binding>> direct = new HashMap<>();
        final TopicMatcher<Binding> topic = TopicMatcher.amqp();

        Exchange(ExchangeSpec spec) {
            this.spec = spec;
        }

        boolean add(Binding b) {
            lock.writeLock().lock();
            try {
                if (bindings.contains(b)) {
                    return false;
                }
                bindings.add(b);
                switch (spec.type()) {
                    case DIRECT -> direct.computeIfAbsent(b.routingKey(), k -> new ArrayList<>(1)).add(b);
                    case TOPIC -> topic.add(b.routingKey(), b);
                    default -> {
                    }
                }
                return true;
            } finally {
                lock.writeLock().unlock();
            }
        }

        boolean remove(Binding b) {
            lock.writeLock().lock();
            try {
                if (!bindings.remove(b)) {
                    return false;
                }
                switch (spec.type()) {
                    case DIRECT -> {
                        List<Binding> l = direct.get(b.routingKey());
                        if (l != null) {
                            l.remove(b);
                            if (l.isEmpty()) {
                                direct.remove(b.routingKey());
                            }
                        }
                    }
                    case TOPIC -> topic.remove(b.routingKey(), b);
                    default -> {
                    }
                }
                return true;
            } finally {
                lock.writeLock().unlock();
            }
        }

        List<Binding> snapshot() {
            lock.readLock().lock();
            try {
                return new ArrayList<>(bindings);
            } finally {
                lock.readLock().unlock();
            }
        }

        void match(String routingKey, Map<String, Object> headers, java.util.function.Consumer<Binding> sink) {
            lock.readLock().lock();
            try {
                switch (spec.type()) {
                    case DIRECT -> {
                        List<Binding> l = direct.get(routingKey);
                        if (l != null) {
                            l.forEach(sink);
                        }
                    }
                    case FANOUT -> bindings.forEach(sink);
                    case TOPIC -> topic.match(routingKey, sink);
                    case HEADERS -> {
                        for (Binding b : bindings) {
                            if (HeadersMatch.matches(b.arguments(), headers)) {
                                sink.accept(b);
                            }
                        }
                    }
                }
            } finally {
                lock.readLock().unlock();
            }
        }
    }

    public ExchangeServiceImpl(MetadataLog metadata, Supplier<QueueService> queues) {
        this.metadata = metadata;
        this.queues = queues;
    }

    /** Replays durable exchanges and bindings (queues must be started first so bindings find their queues). */
    public void start() {
        for (byte[] bytes : metadata.all(EXCHANGE_TYPE).values()) {
            ExchangeRecord r = Json.read(bytes, ExchangeRecord.class);
            ExchangeSpec spec = new ExchangeSpec(r.name(), ExchangeType.valueOf(r.type()), r.durable(), r.autoDelete(),
                    r.internal(), r.alternateExchange(), r.arguments());
            exchanges(new Scope(r.tenant(), r.namespace())).put(r.name(), new Exchange(spec));
        }
        for (byte[] bytes : metadata.all(BINDING_TYPE).values()) {
            BindingRecord r = Json.read(bytes, BindingRecord.class);
            Exchange ex = exchanges(new Scope(r.tenant(), r.namespace())).get(r.source());
            if (ex != null) {
                ex.add(new Binding(r.source(), r.destination(), r.toExchange(), r.routingKey(), r.arguments()));
            }
        }
    }

    private Map<String, Exchange> exchanges(Scope scope) {
        return scopes.computeIfAbsent(scope, s -> {
            Map<String, Exchange> m = new ConcurrentHashMap<>();
            predeclare(m, "", ExchangeType.DIRECT);
            predeclare(m, "amq.direct", ExchangeType.DIRECT);
            predeclare(m, "amq.fanout", ExchangeType.FANOUT);
            predeclare(m, "amq.topic", ExchangeType.TOPIC);
            predeclare(m, "amq.headers", ExchangeType.HEADERS);
            predeclare(m, "amq.match", ExchangeType.HEADERS);
            return m;
        });
    }

    private static void predeclare(Map<String, Exchange> m, String name, ExchangeType type) {
        m.put(name, new Exchange(new ExchangeSpec(name, type, true, false, false, null, Map.of())));
    }

    private static boolean equivalent(ExchangeSpec a, ExchangeSpec b) {
        return a.type() == b.type() && a.durable() == b.durable() && a.autoDelete() == b.autoDelete()
                && a.internal() == b.internal() && java.util.Objects.equals(a.alternateExchange(), b.alternateExchange());
    }

    @Override
    public CompletableFuture<ExchangeSpec> declare(CallContext ctx, ExchangeSpec spec) {
        Map<String, Exchange> m = exchanges(ctx.scope());
        Exchange fresh = new Exchange(spec);
        Exchange existing = m.putIfAbsent(spec.name(), fresh);
        if (existing != null) {
            if (!equivalent(existing.spec, spec)) {
                return CompletableFuture.failedFuture(new SluiceException(ErrorCode.EXCHANGE_EXISTS_DIFFERENT,
                        "inequivalent arg for exchange '" + spec.name() + "': already declared as "
                                + existing.spec.type().amqpName() + " durable=" + existing.spec.durable()));
            }
            return CompletableFuture.completedFuture(existing.spec);
        }
        if (!spec.durable()) {
            return CompletableFuture.completedFuture(spec);
        }
        ExchangeRecord r = new ExchangeRecord(ctx.scope().tenant(), ctx.scope().namespace(), spec.name(),
                spec.type().name(), spec.durable(), spec.autoDelete(), spec.internal(), spec.alternateExchange(),
                spec.arguments());
        return metadata.put(EXCHANGE_TYPE, key(ctx.scope(), spec.name()), Json.write(r)).thenApply(v -> spec);
    }

    private static String key(Scope scope, String... parts) {
        StringBuilder sb = new StringBuilder(scope.tenant()).append(SEP).append(scope.namespace());
        for (String p : parts) {
            sb.append(SEP).append(p);
        }
        return sb.toString();
    }

    private static String bindingKey(Scope scope, Binding b) {
        return key(scope, b.source(), b.destination(), Boolean.toString(b.toExchange()), b.routingKey(),
                Integer.toHexString(b.arguments().hashCode()));
    }

    @Override
    public Optional<ExchangeSpec> describe(CallContext ctx, String name) {
        Exchange e = exchanges(ctx.scope()).get(name);
        return e == null ? Optional.empty() : Optional.of(e.spec);
    }

    @Override
    public List<ExchangeSpec> list(CallContext ctx) {
        List<ExchangeSpec> out = new ArrayList<>();
        exchanges(ctx.scope()).values().forEach(e -> out.add(e.spec));
        out.sort((a, b) -> a.name().compareTo(b.name()));
        return out;
    }

    @Override
    public CompletableFuture<Void> delete(CallContext ctx, String name, boolean ifUnused) {
        Map<String, Exchange> m = exchanges(ctx.scope());
        Exchange e = m.get(name);
        if (e == null) {
            return CompletableFuture.failedFuture(
                    new SluiceException(ErrorCode.EXCHANGE_NOT_FOUND, "no exchange '" + name + "'"));
        }
        if (name.isEmpty() || name.startsWith("amq.")) {
            return CompletableFuture.failedFuture(new SluiceException(ErrorCode.NOT_AUTHORIZED,
                    "operation not permitted on the default exchange or amq.* exchanges"));
        }
        if (ifUnused && !e.snapshot().isEmpty()) {
            return CompletableFuture.failedFuture(
                    new SluiceException(ErrorCode.PRECONDITION_FAILED, "exchange '" + name + "' in use"));
        }
        m.remove(name);
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        // Bindings from it, and exchange-to-exchange bindings to it.
        for (Binding b : e.snapshot()) {
            writes.add(forgetBinding(ctx.scope(), b));
        }
        for (Exchange other : m.values()) {
            for (Binding b : other.snapshot()) {
                if (b.toExchange() && b.destination().equals(name)) {
                    other.remove(b);
                    writes.add(forgetBinding(ctx.scope(), b));
                }
            }
        }
        if (e.spec.durable()) {
            writes.add(metadata.put(EXCHANGE_TYPE, key(ctx.scope(), name), null));
        }
        return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> forgetBinding(Scope scope, Binding b) {
        return metadata.put(BINDING_TYPE, bindingKey(scope, b), null);
    }

    @Override
    public CompletableFuture<Void> bind(CallContext ctx, Binding binding) {
        Map<String, Exchange> m = exchanges(ctx.scope());
        Exchange source = m.get(binding.source());
        if (source == null) {
            return notFound("exchange", binding.source());
        }
        if (binding.source().isEmpty()) {
            return CompletableFuture.failedFuture(new SluiceException(ErrorCode.NOT_AUTHORIZED,
                    "operation not permitted on the default exchange"));
        }
        boolean durableDestination;
        if (binding.toExchange()) {
            Exchange dest = m.get(binding.destination());
            if (dest == null) {
                return notFound("exchange", binding.destination());
            }
            durableDestination = dest.spec.durable();
        } else {
            var q = queues.get().describe(ctx, binding.destination());
            if (q.isEmpty()) {
                return notFound("queue", binding.destination());
            }
            durableDestination = q.get().spec().durable();
        }
        if (!source.add(binding) || !(source.spec.durable() && durableDestination)) {
            return CompletableFuture.completedFuture(null);
        }
        BindingRecord r = new BindingRecord(ctx.scope().tenant(), ctx.scope().namespace(), binding.source(),
                binding.destination(), binding.toExchange(), binding.routingKey(), binding.arguments());
        return metadata.put(BINDING_TYPE, bindingKey(ctx.scope(), binding), Json.write(r));
    }

    private static <T> CompletableFuture<T> notFound(String what, String name) {
        ErrorCode code = what.equals("queue") ? ErrorCode.QUEUE_NOT_FOUND : ErrorCode.EXCHANGE_NOT_FOUND;
        return CompletableFuture.failedFuture(new SluiceException(code, "no " + what + " '" + name + "'"));
    }

    @Override
    public CompletableFuture<Void> unbind(CallContext ctx, Binding binding) {
        Map<String, Exchange> m = exchanges(ctx.scope());
        Exchange source = m.get(binding.source());
        if (source == null) {
            return notFound("exchange", binding.source());
        }
        if (!source.remove(binding)) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> f = forgetBinding(ctx.scope(), binding);
        if (source.spec.autoDelete() && source.snapshot().isEmpty()) {
            return f.thenCompose(v -> delete(ctx, binding.source(), false));
        }
        return f;
    }

    /** Removes every binding to a deleted queue (called by the queue service). */
    public void removeBindingsTo(Scope scope, String queue) {
        Map<String, Exchange> m = exchanges(scope);
        for (Exchange e : m.values()) {
            for (Binding b : e.snapshot()) {
                if (!b.toExchange() && b.destination().equals(queue)) {
                    e.remove(b);
                    forgetBinding(scope, b);
                    if (e.spec.autoDelete() && e.snapshot().isEmpty()) {
                        delete(new CallContext(io.sluice.core.Principal.BROKER, scope), e.spec.name(), false);
                    }
                }
            }
        }
    }

    @Override
    public List<Binding> bindings(CallContext ctx, String name) {
        List<Binding> out = new ArrayList<>();
        for (Exchange e : exchanges(ctx.scope()).values()) {
            for (Binding b : e.snapshot()) {
                if (name == null || b.source().equals(name) || b.destination().equals(name)) {
                    out.add(b);
                }
            }
        }
        return out;
    }

    /** The queues a publish would reach (exposed for tests and benchmarks). */
    public Set<String> route(CallContext ctx, String exchange, String routingKey, Map<String, Object> headers) {
        Map<String, Exchange> m = exchanges(ctx.scope());
        Exchange top = m.get(exchange);
        if (top == null) {
            throw new SluiceException(ErrorCode.EXCHANGE_NOT_FOUND, "no exchange '" + exchange + "'");
        }
        Set<String> out = new LinkedHashSet<>();
        route(ctx, m, top, routingKey, headers, out, new HashSet<>());
        return out;
    }

    private void route(CallContext ctx, Map<String, Exchange> m, Exchange ex, String routingKey,
                       Map<String, Object> headers, Set<String> out, Set<String> visited) {
        if (!visited.add(ex.spec.name())) {
            return;
        }
        int before = out.size();
        if (ex.spec.name().isEmpty()) {
            if (queues.get().describe(ctx, routingKey).isPresent()) {
                out.add(routingKey);
            }
            return;
        }
        List<Binding> matched = new ArrayList<>();
        ex.match(routingKey, headers, matched::add);
        for (Binding b : matched) {
            if (b.toExchange()) {
                Exchange dest = m.get(b.destination());
                if (dest != null) {
                    route(ctx, m, dest, routingKey, headers, out, visited);
                }
            } else {
                out.add(b.destination());
            }
        }
        if (out.size() == before && ex.spec.alternateExchange() != null) {
            Exchange ae = m.get(ex.spec.alternateExchange());
            if (ae != null) {
                route(ctx, m, ae, routingKey, headers, out, visited);
            }
        }
    }

    @Override
    public CompletableFuture<PublishResult> publish(CallContext ctx, String exchange, String routingKey,
                                                    Map<String, Object> routingHeaders, Message message) {
        Set<String> destinations;
        try {
            destinations = route(ctx, exchange, routingKey, routingHeaders == null ? Map.of() : routingHeaders);
        } catch (SluiceException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (destinations.isEmpty()) {
            return CompletableFuture.completedFuture(new PublishResult(0, 0));
        }
        Message m = message.subject() == null ? message.withSubject(routingKey) : message;
        QueueService qs = queues.get();
        if (destinations.size() == 1) {
            return qs.enqueue(ctx, destinations.iterator().next(), m)
                    .thenApply(ok -> ok ? new PublishResult(1, 0) : new PublishResult(0, 1));
        }
        AtomicInteger routed = new AtomicInteger();
        AtomicInteger rejected = new AtomicInteger();
        Map<String, CompletableFuture<Boolean>> futures = new LinkedHashMap<>();
        for (String q : destinations) {
            futures.put(q, qs.enqueue(ctx, q, m).whenComplete((ok, t) -> {
                if (t == null && ok) {
                    routed.incrementAndGet();
                } else if (t == null) {
                    rejected.incrementAndGet();
                }
            }));
        }
        return CompletableFuture.allOf(futures.values().toArray(CompletableFuture[]::new))
                .thenApply(v -> new PublishResult(routed.get(), rejected.get()));
    }
}
