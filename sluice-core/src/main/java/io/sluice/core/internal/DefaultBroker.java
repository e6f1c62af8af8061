package io.sluice.core.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.core.Broker;
import io.sluice.core.ResourceAlarms;
import io.sluice.core.connection.ConnectionRegistry;
import io.sluice.core.kv.KeyValueStore;
import io.sluice.core.offset.GroupOffsetService;
import io.sluice.core.pubsub.PubSub;
import io.sluice.core.queue.GroupService;
import io.sluice.core.queue.QueueService;
import io.sluice.core.route.ExchangeService;
import io.sluice.core.stream.StreamService;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single-node broker: wires the core services over a log store and replays the internal logs at start.
 *
 * <p>Start-up order: metadata and offsets tables (replayed), streams (their logs opened and recovered by storage),
 * queues and groups (definitions, then each group's state log), exchanges and bindings (which refer to queues).
 * {@link #close()} stops timers, then closes every log cleanly (flush and checkpoint) so the next start is fast.
 */
public final class DefaultBroker implements Broker {
    private static final Logger log = LoggerFactory.getLogger(DefaultBroker.class);
    private static final long PRODUCER_ID_BLOCK = 1000;

    private final BrokerOptions options;
    private final CoreRuntime runtime;
    private final CompactedLogTable metadata;
    private final CompactedLogTable offsetsTable;
    private final StreamServiceImpl streams;
    private final ExchangeServiceImpl exchanges;
    private final QueueService queues;
    private final GroupService groups;
    private final PubSubImpl pubsub = new PubSubImpl();
    private final GroupOffsetServiceImpl offsets;
    private final KeyValueStoreImpl kv;
    private final ResourceAlarmsImpl alarms;
    private final ConnectionRegistry connections;
    private final String clusterId;
    /** Blocking adapter work (see {@link #blockingExecutor()}); two threads, the machine may have two cores. */
    private final ExecutorService blocking;
    private long nextProducerId;
    private long producerIdBlockEnd;

    private DefaultBroker(BrokerOptions o) {
        this.options = o;
        this.connections = new ConnectionRegistry(o.clock(), o.meters());
        AtomicInteger n = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(Math.max(1, o.workerThreads()), r -> {
            Thread t = new Thread(r, "sluice-core-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-timer");
            t.setDaemon(true);
            return t;
        });
        AtomicInteger bn = new AtomicInteger();
        this.blocking = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "sluice-blocking-" + bn.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.runtime = new CoreRuntime(o.logs(), o.transientLogs(), workers, scheduler, o.clock(), o.defaultLog(),
                o.meters());
        this.metadata = CompactedLogTable.open(o.logs(), "metadata");
        this.offsetsTable = CompactedLogTable.open(o.logs(), "offsets");
        this.clusterId = loadClusterId();
        this.streams = new StreamServiceImpl(runtime, metadata);
        QueueEngine engine = io.sluice.core.queue.internal.Queues.create(runtime, streams, this::exchangesForQueues,
                metadata);
        this.queues = engine.queues();
        this.groups = engine.groups();
        this.exchanges = new ExchangeServiceImpl(metadata, () -> queues);
        this.offsets = new GroupOffsetServiceImpl(offsetsTable);
        this.kv = new KeyValueStoreImpl(metadata);
        Runtime rt = Runtime.getRuntime();
        File dir = o.dataDir() == null ? null : o.dataDir().toFile();
        this.alarms = new ResourceAlarmsImpl(o.memoryHighWatermark(), dir == null ? 0 : o.diskFreeLimitBytes(),
                () -> rt.totalMemory() - rt.freeMemory(), rt::maxMemory, () -> dir == null ? Long.MAX_VALUE
                : dir.getUsableSpace());
        streams.start();
        engine.start();
        exchanges.start();
        scheduler.scheduleWithFixedDelay(alarms::check, 1, 1, TimeUnit.SECONDS);
    }

    private ExchangeServiceImpl exchangesForQueues() {
        return exchanges;
    }

    /** Builds the broker and replays its logs; returns once it can serve. */
    public static DefaultBroker start(BrokerOptions options) {
        long t0 = System.nanoTime();
        DefaultBroker b = new DefaultBroker(options);
        log.info("broker {} started in {} ms ({} streams)", b.clusterId,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), b.streams.all().size());
        return b;
    }

    private String loadClusterId() {
        byte[] id = metadata.get("broker", "cluster.id");
        if (id != null) {
            return new String(id, StandardCharsets.UTF_8);
        }
        String fresh = base64Uuid();
        metadata.put("broker", "cluster.id", fresh.getBytes(StandardCharsets.UTF_8)).join();
        return fresh;
    }

    private static String base64Uuid() {
        UUID u = UUID.randomUUID();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
        b.putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    public CoreRuntime runtime() {
        return runtime;
    }

    /** The implementation, for admin and metrics code that needs every scope. */
    public StreamServiceImpl streamsImpl() {
        return streams;
    }

    @Override
    public StreamService streams() {
        return streams;
    }

    @Override
    public QueueService queues() {
        return queues;
    }

    @Override
    public GroupService groups() {
        return groups;
    }

    @Override
    public ExchangeService exchanges() {
        return exchanges;
    }

    public ExchangeServiceImpl exchangesImpl() {
        return exchanges;
    }

    @Override
    public PubSub pubsub() {
        return pubsub;
    }

    @Override
    public GroupOffsetService offsets() {
        return offsets;
    }

    @Override
    public KeyValueStore kv() {
        return kv;
    }

    /**
     * Producer ids are handed out from blocks reserved in the metadata log, so a restart never reuses one: the
     * reservation is durable before any id of the block is returned.
     */
    @Override
    public synchronized CompletableFuture<Long> nextProducerId() {
        if (nextProducerId < producerIdBlockEnd) {
            return CompletableFuture.completedFuture(nextProducerId++);
        }
        byte[] stored = metadata.get("broker", "producer.id.next");
        long start = stored == null ? 1000 : Long.parseLong(new String(stored, StandardCharsets.US_ASCII));
        long end = start + PRODUCER_ID_BLOCK;
        nextProducerId = start + 1;
        producerIdBlockEnd = end;
        return metadata.put("broker", "producer.id.next", Long.toString(end).getBytes(StandardCharsets.US_ASCII))
                .thenApply(v -> start);
    }

    @Override
    public ResourceAlarms alarms() {
        return alarms;
    }

    public ResourceAlarmsImpl alarmsImpl() {
        return alarms;
    }

    @Override
    public ConnectionRegistry connections() {
        return connections;
    }

    @Override
    public Clock clock() {
        return options.clock();
    }

    @Override
    public MeterRegistry meters() {
        return options.meters();
    }

    @Override
    public String clusterId() {
        return clusterId;
    }

    @Override
    public int nodeId() {
        return options.nodeId();
    }

    @Override
    public Executor blockingExecutor() {
        return blocking;
    }

    @Override
    public void close() {
        runtime.scheduler().shutdownNow();
        blocking.shutdown(); // no interrupts: an interrupted read would close a segment's file channel
        runtime.workers().shutdown();
        try {
            runtime.workers().awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        streams.close();
        metadata.close();
        offsetsTable.close();
        options.logs().close();
        options.transientLogs().close();
        log.info("broker {} stopped", clusterId);
    }
}
