package io.sluice.storage.log;

import io.sluice.storage.LogConfig;
import io.sluice.storage.LogId;
import io.sluice.storage.LogStore;
import io.sluice.storage.PartitionLog;
import io.sluice.storage.StorageErrorCode;
import io.sluice.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * The {@link LogStore} that keeps every partition log in segment files under one data directory.
 *
 * <p><b>Directory layout.</b>
 * <pre>
 *   &lt;dataDir&gt;/.lock                                   held with an OS file lock while the store is open, so two
 *                                                    processes never write the same logs
 *   &lt;dataDir&gt;/&lt;tenant&gt;/&lt;namespace&gt;/&lt;stream&gt;-&lt;partition&gt;/  one directory per {@link LogId}, holding:
 *       00000000000000000000.log        batches            (layout: {@link LogSegment})
 *       00000000000000000000.index      offset index       (layout: {@link OffsetIndex})
 *       00000000000000000000.timeindex  time index         (layout: {@link TimeIndex})
 *       00000000000000000000.txnindex   aborted txns       (layout: {@link TransactionIndex}; only if any)
 *       00000000000000004096.snapshot   producer state     (layout: {@link ProducerStateManager}; newest two)
 *       checkpoint                      log start, recovery point, clean flag (layout: {@link LogCheckpoint})
 *       *.deleted                       segments removed by retention, kept for the delete delay
 *       *.log.cleaned                   compaction output before its swap ({@link LogCleaner})
 * </pre>
 * Nothing else is written in the data directory root.
 *
 * <p><b>Threads</b> (all daemon, all named {@code sluice-log-*}): {@link Options#writerThreads()} writers shared
 * by every partition (each log is pinned to one, round robin), {@link Options#syncThreads()} syncers that run
 * fsyncs and complete appends,
 * one maintenance thread (retention, OS_CACHE flushes, delayed file deletion) and one cleaner (compaction).
 * Partitions cost no thread of their own. See {@link FilePartitionLog} for the per-log threading contract.
 *
 * <p><b>Lifecycle.</b> {@link #open(Path, Options)} locks the directory and lists the logs present; each log is
 * loaded (and recovered if needed, see {@link LogLoader}) on its first {@link #open(LogId, LogConfig)}.
 * {@link #close()} closes every log cleanly. Thread-safe.
 */
public final class FileLogStore implements LogStore {
    private static final Logger LOG = LoggerFactory.getLogger(FileLogStore.class);
    static final String LOCK_FILE = ".lock";

    /**
     * Store-wide settings.
     *
     * @param writerThreads         threads shared by every partition's append path (default: 1 on one core, else 2)
     * @param syncThreads           threads that run fsyncs and complete FSYNC appends (default 4): an fsync blocks
     *                              in the kernel for milliseconds, so several partitions' syncs overlap on the
     *                              device instead of queueing behind one another
     * @param clock                 milliseconds since the epoch; drives log-append time, segment age, retention
     *                              and tombstone expiry (tests inject a manual clock)
     * @param maintenanceIntervalMs how often retention, OS_CACHE flushes and the cleaner are considered (real time)
     * @param fileDeleteDelayMs     how long a deleted segment's files stay readable for in-flight reads (real time)
     * @param producerIdExpirationMs how long an idle producer's idempotence state is kept (store clock)
     * @param listener              told of every group-commit write and fsync (metrics); {@link LogWriteListener#NONE}
     *                              by default
     */
    public record Options(int writerThreads, int syncThreads, LongSupplier clock, long maintenanceIntervalMs,
                          long fileDeleteDelayMs, long producerIdExpirationMs, LogWriteListener listener) {
        public static final long DEFAULT_MAINTENANCE_INTERVAL_MS = 1000;
        public static final long DEFAULT_FILE_DELETE_DELAY_MS = 60_000;
        /** Kafka's {@code producer.id.expiration.ms} default: one day. */
        public static final long DEFAULT_PRODUCER_ID_EXPIRATION_MS = 24L * 3600 * 1000;

        public static Options defaults() {
            return new Options(Math.min(2, Runtime.getRuntime().availableProcessors()), 4, System::currentTimeMillis,
                    DEFAULT_MAINTENANCE_INTERVAL_MS, DEFAULT_FILE_DELETE_DELAY_MS, DEFAULT_PRODUCER_ID_EXPIRATION_MS,
                    LogWriteListener.NONE);
        }

        public Options withWriterThreads(int n) {
            return new Options(n, syncThreads, clock, maintenanceIntervalMs, fileDeleteDelayMs, producerIdExpirationMs,
                    listener);
        }

        public Options withSyncThreads(int n) {
            return new Options(writerThreads, n, clock, maintenanceIntervalMs, fileDeleteDelayMs, producerIdExpirationMs,
                    listener);
        }

        public Options withClock(LongSupplier c) {
            return new Options(writerThreads, syncThreads, c, maintenanceIntervalMs, fileDeleteDelayMs,
                    producerIdExpirationMs, listener);
        }

        public Options withMaintenanceIntervalMs(long ms) {
            return new Options(writerThreads, syncThreads, clock, ms, fileDeleteDelayMs, producerIdExpirationMs,
                    listener);
        }

        public Options withFileDeleteDelayMs(long ms) {
            return new Options(writerThreads, syncThreads, clock, maintenanceIntervalMs, ms, producerIdExpirationMs,
                    listener);
        }

        public Options withProducerIdExpirationMs(long ms) {
            return new Options(writerThreads, syncThreads, clock, maintenanceIntervalMs, fileDeleteDelayMs, ms,
                    listener);
        }

        public Options withListener(LogWriteListener l) {
            return new Options(writerThreads, syncThreads, clock, maintenanceIntervalMs, fileDeleteDelayMs,
                    producerIdExpirationMs, l == null ? LogWriteListener.NONE : l);
        }
    }

    private final Path dataDir;
    private final Options options;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final ExecutorService[] writers;
    private final ExecutorService syncer;
    private final ScheduledExecutorService maintenance;
    private final ExecutorService cleanerThread;
    private final LogCleaner cleaner;
    private final AtomicInteger nextWriter = new AtomicInteger();
    private final ConcurrentHashMap<LogId, FilePartitionLog> logs = new ConcurrentHashMap<>();
    private final Set<LogId> discovered = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<LogId, Long> lastFlushMs = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private FileLogStore(Path dataDir, Options options) throws IOException {
        this.dataDir = dataDir;
        this.options = options;
        Files.createDirectories(dataDir);
        lockChannel = FileChannel.open(dataDir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = lockChannel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            l = null;
        }
        lock = l;
        if (lock == null) {
            lockChannel.close();
            throw new IOException("data directory " + dataDir + " is in use by another log store");
        }
        writers = new ExecutorService[Math.max(1, options.writerThreads())];
        for (int i = 0; i < writers.length; i++) {
            writers[i] = Executors.newSingleThreadExecutor(daemon("sluice-log-writer-" + i));
        }
        syncer = Executors.newFixedThreadPool(Math.max(1, options.syncThreads()), daemon("sluice-log-sync"));
        maintenance = Executors.newSingleThreadScheduledExecutor(daemon("sluice-log-maintenance"));
        cleanerThread = Executors.newSingleThreadExecutor(daemon("sluice-log-cleaner"));
        cleaner = new LogCleaner(options.clock());
        discover();
        if (options.maintenanceIntervalMs() > 0) {
            maintenance.scheduleWithFixedDelay(this::maintain, options.maintenanceIntervalMs(),
                    options.maintenanceIntervalMs(), TimeUnit.MILLISECONDS);
        }
    }

    /** Opens (creating it if needed) the store in {@code dataDir}. */
    public static FileLogStore open(Path dataDir, Options options) {
        try {
            return new FileLogStore(dataDir, options);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open log store in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name.endsWith("sync") ? name + "-" + n.getAndIncrement() : name);
            t.setDaemon(true);
            return t;
        };
    }

    private void discover() throws IOException {
        try (Stream<Path> tenants = Files.list(dataDir)) {
            for (Path t : tenants.filter(Files::isDirectory).toList()) {
                try (Stream<Path> namespaces = Files.list(t)) {
                    for (Path ns : namespaces.filter(Files::isDirectory).toList()) {
                        try (DirectoryStream<Path> parts = Files.newDirectoryStream(ns, Files::isDirectory)) {
                            for (Path p : parts) {
                                LogId id = parse(t, ns, p);
                                if (id != null) {
                                    discovered.add(id);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static LogId parse(Path tenant, Path ns, Path part) {
        String name = part.getFileName().toString();
        int dash = name.lastIndexOf('-');
        if (dash <= 0) {
            return null;
        }
        try {
            return new LogId(tenant.getFileName().toString(), ns.getFileName().toString(), name.substring(0, dash),
                    Integer.parseInt(name.substring(dash + 1)));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    LongSupplier clock() {
        return options.clock();
    }

    Options options() {
        return options;
    }

    /** Tells the listener of a group write; a failing listener is logged, never fails the append. */
    void groupWritten(LogId id, int records, long bytes) {
        try {
            options.listener().groupWritten(id, records, bytes);
        } catch (RuntimeException e) {
            LOG.warn("log write listener failed", e);
        }
    }

    /** Tells the listener of an fsync; a failing listener is logged, never fails the append. */
    void synced(LogId id, long nanos) {
        try {
            options.listener().synced(id, nanos);
        } catch (RuntimeException e) {
            LOG.warn("log write listener failed", e);
        }
    }

    ExecutorService syncer() {
        return syncer;
    }

    Path dataDir() {
        return dataDir;
    }

    @Override
    public PartitionLog open(LogId id, LogConfig config) {
        if (closed) {
            throw new StorageException(StorageErrorCode.LOG_OFFLINE, "log store " + dataDir + " is closed");
        }
        FilePartitionLog log = logs.compute(id, (k, existing) -> {
            if (existing != null && !existing.isClosed()) {
                existing.updateConfig(config);
                return existing;
            }
            Path dir = dataDir.resolve(id.relativePath());
            try {
                LogLoader.Loaded loaded = LogLoader.load(id, dir, config, options.clock().getAsLong());
                ExecutorService w = writers[Math.floorMod(nextWriter.getAndIncrement(), writers.length)];
                return new FilePartitionLog(id, dir, config, this, w, loaded);
            } catch (IOException e) {
                throw new StorageException(StorageErrorCode.IO_ERROR, "cannot open log " + id + ": " + e, e);
            }
        });
        discovered.add(id);
        return log;
    }

    /** An opened log. Logs found on disk but not opened yet are in {@link #list()} and are loaded by open. */
    @Override
    public Optional<PartitionLog> get(LogId id) {
        FilePartitionLog log = logs.get(id);
        return log == null || log.isClosed() ? Optional.empty() : Optional.of(log);
    }

    @Override
    public void delete(LogId id) {
        FilePartitionLog log = logs.remove(id);
        if (log != null) {
            log.closeForDelete();
        }
        discovered.remove(id);
        deleteRecursively(dataDir.resolve(id.relativePath()));
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new StorageException(StorageErrorCode.IO_ERROR, "cannot delete " + dir + ": " + e, e);
        }
    }

    @Override
    public Collection<LogId> list() {
        return List.copyOf(discovered);
    }

    /** Called by a log after its clean close. */
    void closed(FilePartitionLog log) {
        logs.remove(log.id(), log);
    }

    void scheduleDelete(LogSegment seg) {
        if (closed || options.fileDeleteDelayMs() <= 0) {
            seg.deleteRenamed();
        } else {
            maintenance.schedule(seg::deleteRenamed, options.fileDeleteDelayMs(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * One maintenance tick: OS_CACHE flushes, retention, and a compaction pass if one is not running. The due checks
     * run here, on volatile state; only a log with work to do gets a task on its writer or the syncer, so a tick over
     * a thousand idle logs is a thousand field reads rather than a thousand thread hand-offs.
     */
    void maintain() {
        long now = options.clock().getAsLong();
        for (FilePartitionLog log : logs.values()) {
            if (!log.isOnline()) {
                continue;
            }
            if (log.flushDue()) {
                Long last = lastFlushMs.putIfAbsent(log.id(), now);
                if (last != null && now - last >= log.config().flushIntervalMs()) {
                    lastFlushMs.put(log.id(), now);
                    syncer.execute(log::flushIfDue);
                }
            }
            if (log.retentionDue(now)) {
                log.enforceRetention();
            }
        }
        cleaner.schedule(cleanerThread, logs.values());
    }

    /** Runs a compaction pass over one log on the calling thread; returns the number of segments rewritten. */
    int compactNow(LogId id) throws IOException {
        FilePartitionLog log = logs.get(id);
        return log == null ? 0 : cleaner.clean(log);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        maintenance.shutdownNow();
        cleaner.stop();
        cleanerThread.shutdownNow();
        List<Thread> closers = new ArrayList<>();
        for (FilePartitionLog log : List.copyOf(logs.values())) {
            // Each close runs on its log's writer; starting them all first lets the writers close in parallel.
            closers.add(Thread.ofVirtual().start(log::close));
        }
        for (Thread t : closers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (ExecutorService w : writers) {
            w.shutdown();
        }
        syncer.shutdown();
        try {
            for (ExecutorService w : writers) {
                w.awaitTermination(10, TimeUnit.SECONDS);
            }
            syncer.awaitTermination(10, TimeUnit.SECONDS);
            cleanerThread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            LOG.warn("cannot release the lock of {}", dataDir, e);
        }
    }
}
