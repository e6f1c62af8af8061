package io.sluice.core.queue.internal;

import io.sluice.core.CallContext;
import io.sluice.core.ErrorCode;
import io.sluice.core.Message;
import io.sluice.core.Scope;
import io.sluice.core.SluiceException;
import io.sluice.core.internal.CoreRuntime;
import io.sluice.core.internal.ExchangeServiceImpl;
import io.sluice.core.internal.Json;
import io.sluice.core.internal.MetadataLog;
import io.sluice.core.internal.ScopedName;
import io.sluice.core.internal.SerialExecutor;
import io.sluice.core.internal.StreamServiceImpl;
import io.sluice.core.queue.DeliveryGroup;
import io.sluice.core.queue.QueueArguments;
import io.sluice.core.queue.QueueInfo;
import io.sluice.core.queue.QueueService;
import io.sluice.core.queue.QueueSpec;
import io.sluice.core.stream.StreamConfig;
import io.sluice.core.stream.StreamInfo;
import io.sluice.core.stream.StreamPartition;
import io.sluice.core.stream.StreamSpec;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queues: each is a one-partition stream of kind QUEUE plus its delivery group named "" (or, for a stream-backed
 * queue, a STREAM-kind stream that consumers read by offset). Definitions of durable queues are rows of type
 * {@value #TYPE} in the metadata log, keyed {@code tenant SOH namespace SOH name}, as JSON of {@link QueueRecord}.
 * Non-durable and exclusive queues live in the transient log store and are not recorded (RabbitMQ deletes exclusive
 * queues at restart anyway).
 *
 * <p>Thread-safe. Declarations and deletions run on one serial executor, so two declarations of one name cannot both
 * create it; lookups read a concurrent map. Queue logs keep their messages until they are acknowledged (no time or
 * size retention); the group raises the log start as messages are done.
 */
public final class QueueServiceImpl implements QueueService {
    private static final Logger log = LoggerFactory.getLogger(QueueServiceImpl.class);
    static final String TYPE = "queue";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The JSON shape of a durable queue definition. */
    public record QueueRecord(String tenant, String namespace, String name, QueueSpec spec) {
    }

    private static final class Entry {
        final Scope scope;
        final String name;
        final QueueSpec spec;
        final CompletableFuture<Void> ready = new CompletableFuture<>();
        volatile StreamPartition partition;
        volatile DeliveryGroupImpl group;

        Entry(Scope scope, String name, QueueSpec spec) {
            this.scope = scope;
            this.name = name;
            this.spec = spec;
        }

        boolean persisted() {
            return spec.durable() && spec.exclusiveOwner() == null;
        }
    }

    private final CoreRuntime runtime;
    private final StreamServiceImpl streams;
    private final Supplier<ExchangeServiceImpl> exchanges;
    private final MetadataLog metadata;
    private final Queues engine;
    private final SerialExecutor owner;
    private final Map<ScopedName, Entry> queues = new ConcurrentHashMap<>();

    QueueServiceImpl(CoreRuntime runtime, StreamServiceImpl streams, Supplier<ExchangeServiceImpl> exchanges,
                     MetadataLog metadata, Queues engine) {
        this.runtime = runtime;
        this.streams = streams;
        this.exchanges = exchanges;
        this.metadata = metadata;
        this.engine = engine;
        this.owner = new SerialExecutor(runtime.workers());
    }

    /** Re-opens every durable queue and replays its group's state (streams must be started first). */
    void start() {
        for (byte[] bytes : metadata.all(TYPE).values()) {
            QueueRecord r = Json.read(bytes, QueueRecord.class);
            Scope scope = new Scope(r.tenant(), r.namespace());
            Entry e = new Entry(scope, r.name(), r.spec());
            try {
                open(e, true);
                e.ready.complete(null);
                queues.put(new ScopedName(scope, r.name()), e);
            } catch (RuntimeException ex) {
                log.error("cannot reopen queue '{}' in {}", r.name(), scope, ex);
            }
        }
    }

    private void open(Entry e, boolean replay) {
        CallContext ctx = CallContext.BROKER.in(e.scope);
        e.partition = streams.partition(ctx, e.name, 0);
        if (e.spec.arguments().streamBacked()) {
            return;
        }
        GroupJournal journal = null;
        if (e.persisted()) {
            var id = StreamServiceImpl.logId(e.scope, GroupJournal.logName(e.name, ""), 0);
            if (!replay) {
                runtime.logs().delete(id); // state left by an earlier queue of this name is not this queue's
            }
            journal = GroupJournal.open(runtime.logs(), id);
        }
        DeliveryGroupImpl g = new DeliveryGroupImpl(e.scope, e.name, "", true, e.spec.arguments(),
                e.spec.exclusiveOwner(), e.partition, runtime.clock(), runtime.scheduler(),
                new SerialExecutor(runtime.workers()), hooks(e), journal);
        g.start(journal != null && replay ? journal.replay() : null, 0);
        e.group = g;
        engine.register(g);
    }

    private DeliveryGroupImpl.Hooks hooks(Entry e) {
        return new DeliveryGroupImpl.Hooks() {
            @Override
            public void timerAt(long atMs) {
                engine.timerAt(atMs);
            }

            @Override
            public void deadLetter(DeliveryGroupImpl group, Message message, String reason) {
                engine.deadLetter(group, message, reason);
            }

            @Override
            public void lastConsumerGone(DeliveryGroupImpl group) {
                if (e.spec.autoDelete()) {
                    deleteQuietly(e);
                }
            }

            @Override
            public void unused(DeliveryGroupImpl group) {
                deleteQuietly(e);
            }
        };
    }

    private void deleteQuietly(Entry e) {
        delete(CallContext.BROKER.in(e.scope), e.name, false, false).whenComplete((n, t) -> {
            if (t != null && SluiceException.from(t).code() != ErrorCode.QUEUE_NOT_FOUND) {
                log.warn("automatic deletion of queue '{}' failed", e.name, t);
            }
        });
    }

    @Override
    public CompletableFuture<QueueInfo> declare(CallContext ctx, QueueSpec spec) {
        CompletableFuture<Entry> decided = onOwner(() -> {
            validate(spec.arguments());
            String name = spec.name() == null || spec.name().isEmpty() ? generateName() : spec.name();
            ScopedName key = new ScopedName(ctx.scope(), name);
            Entry existing = queues.get(key);
            if (existing != null) {
                String owner = existing.spec.exclusiveOwner();
                if (owner != null && !owner.equals(spec.exclusiveOwner())) {
                    throw new SluiceException(ErrorCode.RESOURCE_LOCKED,
                            "cannot obtain exclusive access to locked queue '" + name + "'");
                }
                if (!equivalent(existing.spec, spec)) {
                    throw new SluiceException(ErrorCode.QUEUE_EXISTS_DIFFERENT, "queue '" + name
                            + "' exists with different durable, exclusive, auto-delete or arguments");
                }
                return existing;
            }
            var stream = streams.describe(ctx, name);
            boolean adopt = false;
            if (stream.isPresent()) {
                // A durable stream queue may be declared over a one-partition stream another protocol created
                // (a Kafka topic, a Redis stream): the queue is that stream, read from an offset.
                StreamInfo si = stream.get();
                adopt = spec.arguments().streamBacked() && spec.durable() && spec.exclusiveOwner() == null
                        && si.kind() == StreamInfo.Kind.STREAM && si.partitions() == 1;
                if (!adopt) {
                    throw new SluiceException(ErrorCode.QUEUE_EXISTS_DIFFERENT, "a stream named '" + name
                            + "' already exists" + (spec.arguments().streamBacked() && si.partitions() > 1
                            ? " with " + si.partitions() + " partitions (a stream queue reads one partition)" : ""));
                }
            }
            QueueSpec named = new QueueSpec(name, spec.durable(), spec.exclusiveOwner(), spec.autoDelete(),
                    spec.arguments());
            Entry e = new Entry(ctx.scope(), name, named);
            queues.put(key, e);
            create(ctx, e, adopt ? stream.get() : null);
            return e;
        });
        return decided.thenCompose(e -> e.ready.thenApply(v -> info(e)));
    }

    /** Creates the queue's log, or adopts {@code existing} (a one-partition stream) as a stream queue's log. */
    private void create(CallContext ctx, Entry e, StreamInfo existing) {
        boolean streamBacked = e.spec.arguments().streamBacked();
        StreamSpec ss = new StreamSpec(e.name, 1, Map.of(StreamConfig.RETENTION_MS, "-1"), List.of());
        CompletableFuture<StreamInfo> log = existing != null ? CompletableFuture.completedFuture(existing)
                : streams.createInternal(CallContext.BROKER.in(ctx.scope()), ss,
                        streamBacked ? StreamInfo.Kind.STREAM : StreamInfo.Kind.QUEUE, e.persisted());
        log
                .thenCompose(info -> {
                    if (!e.persisted()) {
                        // A transient log of the same name may survive from before a restart in the same store.
                        StreamPartition p = streams.partition(CallContext.BROKER.in(e.scope), e.name, 0);
                        if (p.logEndOffset() > p.logStartOffset()) {
                            return p.deleteRecordsBefore(p.logEndOffset()).thenApply(x -> info);
                        }
                    }
                    return CompletableFuture.completedFuture(info);
                })
                .thenCompose(info -> {
                    open(e, false);
                    return e.persisted()
                            ? metadata.put(TYPE, key(e.scope, e.name),
                            Json.write(new QueueRecord(e.scope.tenant(), e.scope.namespace(), e.name, e.spec)))
                            : CompletableFuture.<Void>completedFuture(null);
                })
                .whenComplete((v, t) -> {
                    if (t != null) {
                        queues.remove(new ScopedName(e.scope, e.name), e);
                        e.ready.completeExceptionally(SluiceException.from(t));
                    } else {
                        e.ready.complete(null);
                    }
                });
    }

    private static void validate(QueueArguments a) {
        if (a.maxPriority() < 0 || a.maxPriority() > 255) {
            throw new SluiceException(ErrorCode.INVALID_ARGUMENT, "x-max-priority must be 0..255");
        }
        if (a.streamBacked() && (a.maxPriority() > 0 || a.hasDeadLetterTarget() || a.messageTtlMs() >= 0)) {
            throw new SluiceException(ErrorCode.INVALID_ARGUMENT,
                    "a stream queue supports no priorities, TTL or dead-lettering");
        }
    }

    static boolean equivalent(QueueSpec a, QueueSpec b) {
        return a.durable() == b.durable() && a.autoDelete() == b.autoDelete()
                && (a.exclusiveOwner() == null) == (b.exclusiveOwner() == null)
                && Objects.equals(a.arguments(), b.arguments());
    }

    /** A server-generated name as RabbitMQ makes them: "amq.gen-" and 16 random bytes in unpadded base64url. */
    static String generateName() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return "amq.gen-" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String key(Scope scope, String name) {
        return scope.tenant() + '\u0001' + scope.namespace() + '\u0001' + name;
    }

    private QueueInfo info(Entry e) {
        DeliveryGroupImpl g = e.group;
        if (g == null) {
            StreamPartition p = e.partition;
            long n = p == null ? 0 : Math.max(0, p.highWatermark() - p.logStartOffset());
            return new QueueInfo(e.scope, e.name, e.spec, n, 0, 0, 0, -1);
        }
        return new QueueInfo(e.scope, e.name, e.spec, g.readyCount(), g.pendingCount(), g.consumerCount(),
                g.readyBytes(), g.oldestReadyTimestamp());
    }

    @Override
    public Optional<QueueInfo> describe(CallContext ctx, String name) {
        Entry e = queues.get(new ScopedName(ctx.scope(), name));
        return e == null || !e.ready.isDone() || e.ready.isCompletedExceptionally() ? Optional.empty()
                : Optional.of(info(e));
    }

    @Override
    public List<QueueInfo> list(CallContext ctx) {
        List<QueueInfo> out = new ArrayList<>();
        for (Entry e : queues.values()) {
            if (e.scope.equals(ctx.scope()) && e.ready.isDone() && !e.ready.isCompletedExceptionally()) {
                out.add(info(e));
            }
        }
        out.sort((a, b) -> a.name().compareTo(b.name()));
        return out;
    }

    @Override
    public CompletableFuture<Long> delete(CallContext ctx, String name, boolean ifUnused, boolean ifEmpty) {
        return onOwner(() -> {
            ScopedName k = new ScopedName(ctx.scope(), name);
            Entry e = queues.get(k);
            if (e == null || !e.ready.isDone()) {
                throw new SluiceException(ErrorCode.QUEUE_NOT_FOUND, "queue '" + name + "' not found");
            }
            QueueInfo i = info(e);
            if (ifUnused && i.consumers() > 0) {
                throw new SluiceException(ErrorCode.PRECONDITION_FAILED, "queue '" + name + "' in use");
            }
            if (ifEmpty && i.messages() > 0) {
                throw new SluiceException(ErrorCode.PRECONDITION_FAILED, "queue '" + name + "' not empty");
            }
            queues.remove(k);
            return new Object[]{e, i.messages()};
        }).thenCompose(pair -> {
            Entry e = (Entry) pair[0];
            long n = (Long) pair[1];
            DeliveryGroupImpl g = e.group;
            CompletableFuture<Void> stopped = CompletableFuture.completedFuture(null);
            if (g != null) {
                engine.unregister(g);
                stopped = g.shutdown("queue deleted", true);
            }
            return stopped
                    .thenCompose(v -> streams.delete(CallContext.BROKER.in(e.scope), e.name)
                            .exceptionally(t -> null))
                    .thenCompose(v -> e.persisted() ? metadata.put(TYPE, key(e.scope, e.name), null)
                            : CompletableFuture.<Void>completedFuture(null))
                    .thenApply(v -> {
                        ExchangeServiceImpl ex = exchanges.get();
                        if (ex != null) {
                            ex.removeBindingsTo(e.scope, e.name);
                        }
                        return n;
                    });
        });
    }

    @Override
    public CompletableFuture<Long> purge(CallContext ctx, String name) {
        Entry e = queues.get(new ScopedName(ctx.scope(), name));
        if (e == null) {
            return CompletableFuture.failedFuture(notFound(name));
        }
        return e.ready.thenCompose(v -> {
            if (e.group != null) {
                return e.group.purge();
            }
            StreamPartition p = e.partition;
            long n = p.highWatermark() - p.logStartOffset();
            return p.deleteRecordsBefore(p.highWatermark()).thenApply(x -> n);
        });
    }

    @Override
    public CompletableFuture<Boolean> enqueue(CallContext ctx, String name, Message message) {
        Entry e = queues.get(new ScopedName(ctx.scope(), name));
        if (e == null) {
            return CompletableFuture.failedFuture(notFound(name));
        }
        if (!e.ready.isDone()) {
            return e.ready.thenCompose(v -> enqueue(e, message));
        }
        return enqueue(e, message);
    }

    private CompletableFuture<Boolean> enqueue(Entry e, Message message) {
        CompletableFuture<Boolean> f = e.group == null
                ? e.partition.publish(List.of(message)).thenApply(r -> true)
                : e.group.enqueue(message);
        // A queue deleted while the append was on its way reports as the queue it was, not as its log.
        return f.exceptionallyCompose(t -> {
            SluiceException s = SluiceException.from(t);
            return CompletableFuture.failedFuture(s.code() == ErrorCode.STREAM_NOT_FOUND ? notFound(e.name) : s);
        });
    }

    @Override
    public DeliveryGroup consumers(CallContext ctx, String name) {
        Entry e = queues.get(new ScopedName(ctx.scope(), name));
        if (e == null) {
            throw notFound(name);
        }
        e.ready.join();
        if (e.group == null) {
            throw new SluiceException(ErrorCode.INVALID_ARGUMENT,
                    "queue '" + name + "' is a stream queue: read it by offset through the stream API");
        }
        return e.group;
    }

    @Override
    public void ownerClosed(String ownerId) {
        if (ownerId == null) {
            return;
        }
        for (Entry e : queues.values()) {
            if (ownerId.equals(e.spec.exclusiveOwner())) {
                deleteQuietly(e);
            }
        }
        engine.ownerClosed(ownerId);
    }

    private static SluiceException notFound(String name) {
        return new SluiceException(ErrorCode.QUEUE_NOT_FOUND, "queue '" + name + "' not found");
    }

    private <T> CompletableFuture<T> onOwner(Supplier<T> work) {
        CompletableFuture<T> f = new CompletableFuture<>();
        owner.execute(() -> {
            try {
                f.complete(work.get());
            } catch (Throwable t) {
                f.completeExceptionally(SluiceException.from(t));
            }
        });
        return f;
    }
}
