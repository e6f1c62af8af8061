package io.sluice.core.queue.internal;

import io.sluice.core.CallContext;
import io.sluice.core.ErrorCode;
import io.sluice.core.Message;
import io.sluice.core.Scope;
import io.sluice.core.SluiceException;
import io.sluice.core.internal.CoreRuntime;
import io.sluice.core.internal.Json;
import io.sluice.core.internal.MetadataLog;
import io.sluice.core.internal.SerialExecutor;
import io.sluice.core.internal.StreamServiceImpl;
import io.sluice.core.queue.DeliveryGroup;
import io.sluice.core.queue.GroupService;
import io.sluice.core.queue.QueueArguments;
import io.sluice.core.stream.StreamPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivery groups on streams (Redis consumer groups, JetStream durable consumers). Definitions are rows of type
 * {@value #TYPE} in the metadata log, keyed {@code tenant SOH namespace SOH stream SOH group}, as JSON of
 * {@link GroupRecord}; each group's state is its own log ({@link GroupJournal}). A group never deletes stream data.
 * Groups of a deleted stream are deleted with it.
 *
 * <p>Thread-safe: creations and deletions run on one serial executor; lookups read a concurrent map.
 */
public final class GroupServiceImpl implements GroupService {
    private static final Logger log = LoggerFactory.getLogger(GroupServiceImpl.class);
    static final String TYPE = "group";

    /** The JSON shape of a group definition. */
    public record GroupRecord(String tenant, String namespace, String stream, int partition, String group,
                              long startOffset, QueueArguments settings) {
    }

    private record Key(Scope scope, String stream, String group) {
        @Override
        public boolean equals(Object o) {
            // written out for the same reason as Scope's (hashed on every lookup)
            return o == this || o instanceof Key k && java.util.Objects.equals(group, k.group)
                    && java.util.Objects.equals(stream, k.stream) && java.util.Objects.equals(scope, k.scope);
        }

        @Override
        public int hashCode() {
            return (31 * java.util.Objects.hashCode(scope) + java.util.Objects.hashCode(stream)) * 31
                    + java.util.Objects.hashCode(group);
        }
    }

    private final CoreRuntime runtime;
    private final StreamServiceImpl streams;
    private final MetadataLog metadata;
    private final Queues engine;
    private final SerialExecutor owner;
    private final Map<Key, DeliveryGroupImpl> groups = new ConcurrentHashMap<>();

    GroupServiceImpl(CoreRuntime runtime, StreamServiceImpl streams, MetadataLog metadata, Queues engine) {
        this.runtime = runtime;
        this.streams = streams;
        this.metadata = metadata;
        this.engine = engine;
        this.owner = new SerialExecutor(runtime.workers());
        streams.addDeletionListener(this::streamDeleted);
    }

    void start() {
        for (byte[] bytes : metadata.all(TYPE).values()) {
            GroupRecord r = Json.read(bytes, GroupRecord.class);
            Scope scope = new Scope(r.tenant(), r.namespace());
            try {
                StreamPartition p = streams.partition(CallContext.BROKER.in(scope), r.stream(), r.partition());
                DeliveryGroupImpl g = open(scope, r.stream(), r.group(), r.settings(), p, false,
                        r.startOffset());
                groups.put(new Key(scope, r.stream(), r.group()), g);
                engine.register(g);
            } catch (RuntimeException e) {
                log.error("cannot reopen group '{}' on stream '{}'", r.group(), r.stream(), e);
            }
        }
    }

    /** Builds and starts a group; a new one first deletes any state log left by an earlier group of its name. */
    private DeliveryGroupImpl open(Scope scope, String stream, String group, QueueArguments settings,
                                   StreamPartition p, boolean isNew, long startOffset) {
        var id = StreamServiceImpl.logId(scope, GroupJournal.logName(stream, group), 0);
        if (isNew) {
            runtime.logs().delete(id);
        }
        GroupJournal journal = GroupJournal.open(runtime.logs(), id);
        QueueArguments a = new QueueArguments(-1, -1, -1, -1, QueueArguments.DEFAULT.overflow(), 0,
                settings.deadLetterExchange(), settings.deadLetterRoutingKey(), settings.deliveryLimit(), false,
                settings.leaseMs(), false);
        DeliveryGroupImpl g = new DeliveryGroupImpl(scope, stream, group, false, a, null, p, runtime.clock(),
                runtime.scheduler(), new SerialExecutor(runtime.workers()), new DeliveryGroupImpl.Hooks() {
                    @Override
                    public void timerAt(long atMs) {
                        engine.timerAt(atMs);
                    }

                    @Override
                    public void deadLetter(DeliveryGroupImpl gr, Message message, String reason) {
                        engine.deadLetter(gr, message, reason);
                    }
                }, journal);
        g.start(isNew ? null : journal.replay(), startOffset);
        return g;
    }

    @Override
    public CompletableFuture<Boolean> create(CallContext ctx, String stream, int partition, String group,
                                             long startOffset, QueueArguments settings) {
        return onOwner(() -> {
            Key k = new Key(ctx.scope(), stream, group);
            if (groups.containsKey(k)) {
                return null;
            }
            StreamPartition p = streams.partition(ctx, stream, partition);
            QueueArguments s = settings == null ? QueueArguments.DEFAULT : settings;
            DeliveryGroupImpl g = open(ctx.scope(), stream, group, s, p, true, Math.max(startOffset, 0));
            groups.put(k, g);
            engine.register(g);
            return new GroupRecord(ctx.scope().tenant(), ctx.scope().namespace(), stream, partition, group,
                    startOffset, s);
        }).thenCompose(r -> r == null ? CompletableFuture.completedFuture(false)
                : metadata.put(TYPE, key(ctx.scope(), stream, group), Json.write(r)).thenApply(v -> true));
    }

    @Override
    public CompletableFuture<Boolean> delete(CallContext ctx, String stream, String group) {
        return onOwner(() -> groups.remove(new Key(ctx.scope(), stream, group)))
                .thenCompose(g -> {
                    if (g == null) {
                        return CompletableFuture.completedFuture(false);
                    }
                    engine.unregister(g);
                    return g.shutdown("group deleted", true)
                            .thenCompose(v -> metadata.put(TYPE, key(ctx.scope(), stream, group), null))
                            .thenApply(v -> true);
                });
    }

    private void streamDeleted(Scope scope, String stream) {
        for (Key k : List.copyOf(groups.keySet())) {
            if (k.scope().equals(scope) && k.stream().equals(stream)) {
                delete(CallContext.BROKER.in(scope), stream, k.group());
            }
        }
    }

    @Override
    public Optional<DeliveryGroup> get(CallContext ctx, String stream, String group) {
        return Optional.ofNullable(groups.get(new Key(ctx.scope(), stream, group)));
    }

    @Override
    public List<DeliveryGroup> list(CallContext ctx, String stream) {
        List<DeliveryGroup> out = new ArrayList<>();
        groups.forEach((k, g) -> {
            if (k.scope().equals(ctx.scope()) && k.stream().equals(stream)) {
                out.add(g);
            }
        });
        out.sort((a, b) -> a.name().compareTo(b.name()));
        return out;
    }

    private static String key(Scope scope, String stream, String group) {
        return scope.tenant() + '\u0001' + scope.namespace() + '\u0001' + stream + '\u0001' + group;
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
