package io.sluice.core.internal;

import io.sluice.core.CallContext;
import io.sluice.core.ErrorCode;
import io.sluice.core.Scope;
import io.sluice.core.SluiceException;
import io.sluice.core.stream.StreamConfig;
import io.sluice.core.stream.StreamInfo;
import io.sluice.core.stream.StreamPartition;
import io.sluice.core.stream.StreamService;
import io.sluice.core.stream.StreamSpec;
import io.sluice.storage.LogConfig;
import io.sluice.storage.LogId;
import io.sluice.storage.LogStore;
import io.sluice.storage.PartitionLog;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * Streams: their definitions in the metadata log (type {@value #TYPE}) and one {@link StreamPartitionImpl} per
 * partition over a storage log. Definition changes run on one serial executor (so concurrent creates of one name
 * cannot both win, and file I/O never runs on a caller's network thread); lookups read a concurrent map.
 *
 * <p>A stream's log folder is {@code tenant/namespace/name-partition} with each part percent-encoded; names whose
 * encoding would exceed 180 characters are shortened to a prefix plus a hash of the full name.
 */
public final class StreamServiceImpl implements StreamService {
    static final String TYPE = "stream";

    private final CoreRuntime runtime;
    private final MetadataLog metadata;
    private final SerialExecutor owner;
    private final Map<ScopedName, Entry> streams = new ConcurrentHashMap<>();
    private final List<BiConsumer<Scope, String>> deletionListeners = new CopyOnWriteArrayList<>();
    /** Rebuilt on the owner whenever a stream with subjects comes, goes or changes its subjects. */
    private volatile StreamSubjectIndex subjectIndex = StreamSubjectIndex.EMPTY;

    static final class Entry {
        volatile StreamInfo info;
        volatile StreamPartitionImpl[] partitions;
        final boolean durable;

        Entry(StreamInfo info, StreamPartitionImpl[] partitions, boolean durable) {
            this.info = info;
            this.partitions = partitions;
            this.durable = durable;
        }
    }

    /** The JSON shape of a stream definition in the metadata log. */
    public record StreamRecord(String tenant, String namespace, String name, String id, int partitions,
                               Map<String, String> config, List<String> subjects, String kind, long createdAt) {
    }

    public StreamServiceImpl(CoreRuntime runtime, MetadataLog metadata) {
        this.runtime = runtime;
        this.metadata = metadata;
        this.owner = new SerialExecutor(runtime.workers());
    }

    /** Re-opens every stream of the metadata log (start-up). */
    public void start() {
        for (byte[] bytes : metadata.all(TYPE).values()) {
            StreamRecord r = Json.read(bytes, StreamRecord.class);
            StreamInfo info = new StreamInfo(new Scope(r.tenant(), r.namespace()), r.name(), UUID.fromString(r.id()),
                    r.partitions(), r.config(), r.subjects(), StreamInfo.Kind.valueOf(r.kind()), r.createdAt());
            streams.put(new ScopedName(info.scope(), info.name()), new Entry(info, openPartitions(info, true, 0, null), true));
        }
        reindex();
    }

    private void reindex() {
        List<StreamInfo> withSubjects = new ArrayList<>();
        for (Entry e : streams.values()) {
            if (!e.info.subjects().isEmpty()) {
                withSubjects.add(e.info);
            }
        }
        subjectIndex = StreamSubjectIndex.of(withSubjects);
    }

    /** Called after a stream is deleted (groups and queues clean up their state). */
    public void addDeletionListener(BiConsumer<Scope, String> listener) {
        deletionListeners.add(listener);
    }

    @Override
    public CompletableFuture<StreamInfo> create(CallContext ctx, StreamSpec spec) {
        return createInternal(ctx, spec, StreamInfo.Kind.STREAM, true);
    }

    /**
     * Creates a stream of a given kind; {@code durable=false} keeps it in the transient log store and out of the
     * metadata log (non-durable AMQP queues).
     */
    public CompletableFuture<StreamInfo> createInternal(CallContext ctx, StreamSpec spec, StreamInfo.Kind kind,
                                                       boolean durable) {
        return onOwner(() -> {
            validateName(spec.name());
            StreamConfig.validate(spec.config());
            ScopedName key = new ScopedName(ctx.scope(), spec.name());
            if (streams.containsKey(key)) {
                throw new SluiceException(ErrorCode.STREAM_EXISTS, "stream '" + spec.name() + "' already exists");
            }
            StreamInfo info = new StreamInfo(ctx.scope(), spec.name(), UUID.randomUUID(), spec.partitions(),
                    spec.config(), spec.subjects(), kind, runtime.clock().millis());
            Entry e = new Entry(info, openPartitions(info, durable, 0, null), durable);
            streams.put(key, e);
            if (!info.subjects().isEmpty()) {
                reindex();
            }
            return e;
        }).thenCompose(e -> persist(e).thenApply(v -> e.info));
    }

    private CompletableFuture<Void> persist(Entry e) {
        if (!e.durable) {
            return CompletableFuture.completedFuture(null);
        }
        StreamInfo i = e.info;
        StreamRecord r = new StreamRecord(i.scope().tenant(), i.scope().namespace(), i.name(), i.id().toString(),
                i.partitions(), i.config(), i.subjects(), i.kind().name(), i.createdAt());
        return metadata.put(TYPE, metadataKey(i.scope(), i.name()), Json.write(r));
    }

    static String metadataKey(Scope scope, String name) {
        return scope.tenant() + '\u0001' + scope.namespace() + '\u0001' + name;
    }

    private StreamPartitionImpl[] openPartitions(StreamInfo info, boolean durable, int from,
                                                 StreamPartitionImpl[] existing) {
        LogStore store = durable ? runtime.logs() : runtime.transientLogs();
        LogConfig config = StreamConfig.toLogConfig(info.config(), runtime.defaultLog());
        StreamPartitionImpl[] parts = new StreamPartitionImpl[info.partitions()];
        if (existing != null) {
            System.arraycopy(existing, 0, parts, 0, Math.min(existing.length, parts.length));
        }
        for (int p = from; p < info.partitions(); p++) {
            PartitionLog log = store.open(logId(info.scope(), info.name(), p), config);
            parts[p] = new StreamPartitionImpl(info.name(), info.id(), p, log, runtime.clock(), runtime.scheduler());
        }
        return parts;
    }

    /** The storage id of a stream partition. */
    public static LogId logId(Scope scope, String name, int partition) {
        return new LogId(safe(scope.tenant()), safe(scope.namespace()), safe(name), partition);
    }

    private static String safe(String name) {
        String enc = LogId.encodeComponent(name);
        if (enc.length() <= 180) {
            return enc;
        }
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return enc.substring(0, 100) + "~" + HexFormat.of().formatHex(h, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void validateName(String name) {
        if (name == null || name.isEmpty() || name.length() > 255) {
            throw new SluiceException(ErrorCode.INVALID_ARGUMENT, "a stream name must be 1 to 255 characters");
        }
    }

    @Override
    public CompletableFuture<Void> delete(CallContext ctx, String name) {
        return onOwner(() -> {
            Entry e = streams.remove(new ScopedName(ctx.scope(), name));
            if (e == null) {
                throw new SluiceException(ErrorCode.STREAM_NOT_FOUND, "stream '" + name + "' not found");
            }
            if (!e.info.subjects().isEmpty()) {
                reindex();
            }
            LogStore store = e.durable ? runtime.logs() : runtime.transientLogs();
            for (StreamPartitionImpl p : e.partitions) {
                p.markDeleted();
                store.delete(p.log().id());
            }
            return e;
        }).thenCompose(e -> {
            deletionListeners.forEach(l -> l.accept(ctx.scope(), name));
            return e.durable ? metadata.put(TYPE, metadataKey(ctx.scope(), name), null)
                    : CompletableFuture.completedFuture(null);
        });
    }

    @Override
    public Optional<StreamInfo> describe(CallContext ctx, String name) {
        Entry e = streams.get(new ScopedName(ctx.scope(), name));
        return e == null ? Optional.empty() : Optional.of(e.info);
    }

    @Override
    public List<StreamInfo> list(CallContext ctx, boolean includeQueues) {
        List<StreamInfo> out = new ArrayList<>();
        for (Entry e : streams.values()) {
            if (e.info.scope().equals(ctx.scope()) && (includeQueues || e.info.kind() == StreamInfo.Kind.STREAM)) {
                out.add(e.info);
            }
        }
        out.sort((a, b) -> a.name().compareTo(b.name()));
        return out;
    }

    /** Every stream of every scope (admin, metrics). */
    public List<StreamInfo> all() {
        List<StreamInfo> out = new ArrayList<>();
        streams.values().forEach(e -> out.add(e.info));
        return out;
    }

    @Override
    public CompletableFuture<StreamInfo> createPartitions(CallContext ctx, String name, int totalPartitions) {
        return onOwner(() -> {
            Entry e = entry(ctx, name);
            StreamInfo old = e.info;
            if (totalPartitions < old.partitions()) {
                throw new SluiceException(ErrorCode.INVALID_ARGUMENT, "topic '" + name + "' has " + old.partitions()
                        + " partitions; the count can only grow");
            }
            if (totalPartitions == old.partitions()) {
                throw new SluiceException(ErrorCode.INVALID_ARGUMENT, "topic '" + name + "' already has "
                        + old.partitions() + " partitions");
            }
            StreamInfo info = new StreamInfo(old.scope(), old.name(), old.id(), totalPartitions, old.config(),
                    old.subjects(), old.kind(), old.createdAt());
            e.partitions = openPartitions(info, e.durable, old.partitions(), e.partitions);
            e.info = info;
            return e;
        }).thenCompose(e -> persist(e).thenApply(v -> e.info));
    }

    @Override
    public CompletableFuture<StreamInfo> alterConfig(CallContext ctx, String name, Map<String, String> set,
                                                     Set<String> remove) {
        return onOwner(() -> {
            Entry e = entry(ctx, name);
            StreamInfo old = e.info;
            Map<String, String> config = new HashMap<>(old.config());
            remove.forEach(config::remove);
            config.putAll(set);
            StreamConfig.validate(config);
            StreamInfo info = new StreamInfo(old.scope(), old.name(), old.id(), old.partitions(), config,
                    old.subjects(), old.kind(), old.createdAt());
            LogConfig logConfig = StreamConfig.toLogConfig(config, runtime.defaultLog());
            for (StreamPartitionImpl p : e.partitions) {
                p.log().updateConfig(logConfig);
            }
            e.info = info;
            return e;
        }).thenCompose(e -> persist(e).thenApply(v -> e.info));
    }

    @Override
    public StreamPartition partition(CallContext ctx, String name, int partition) {
        Entry e = entry(ctx, name);
        StreamPartitionImpl[] parts = e.partitions;
        if (partition < 0 || partition >= parts.length) {
            throw new SluiceException(ErrorCode.PARTITION_NOT_FOUND,
                    "stream '" + name + "' has no partition " + partition);
        }
        return parts[partition];
    }

    @Override
    public CompletableFuture<StreamInfo> alterSubjects(CallContext ctx, String name, List<String> subjects) {
        return onOwner(() -> {
            Entry e = entry(ctx, name);
            StreamInfo old = e.info;
            e.info = new StreamInfo(old.scope(), old.name(), old.id(), old.partitions(), old.config(),
                    List.copyOf(subjects), old.kind(), old.createdAt());
            reindex();
            return e;
        }).thenCompose(e -> persist(e).thenApply(v -> e.info));
    }

    @Override
    public Optional<StreamInfo> streamForSubject(CallContext ctx, String subject) {
        StreamInfo found = subjectIndex.find(ctx.scope(), subject);
        if (found == null) {
            return Optional.empty();
        }
        Entry e = streams.get(new ScopedName(found.scope(), found.name())); // the current info (config may have changed)
        return e == null ? Optional.empty() : Optional.of(e.info);
    }

    private Entry entry(CallContext ctx, String name) {
        Entry e = streams.get(new ScopedName(ctx.scope(), name));
        if (e == null) {
            throw new SluiceException(ErrorCode.STREAM_NOT_FOUND, "stream '" + name + "' not found");
        }
        return e;
    }

    private <T> CompletableFuture<T> onOwner(java.util.function.Supplier<T> work) {
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

    /** Closes partition handles (the log store itself is closed by the broker). */
    public void close() {
        streams.values().forEach(e -> {
            for (StreamPartitionImpl p : e.partitions) {
                p.markDeleted();
            }
        });
    }
}
