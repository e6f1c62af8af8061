package io.sluice.storage.memory;

import io.sluice.storage.LogConfig;
import io.sluice.storage.LogId;
import io.sluice.storage.LogStore;
import io.sluice.storage.PartitionLog;
import io.sluice.storage.log.FileLogStore;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A {@link LogStore} that keeps every log in the heap: for tests and transient data. It honours the same contract
 * as the file store (offsets, producer state, transactions, aborted-transaction lists, high-watermark listeners),
 * verified by the same contract suite, but nothing survives {@link #close()} and durability settings are ignored.
 *
 * <p>Thread-safe. Futures complete on the appending thread, before {@code append} returns.
 */
public final class MemoryLogStore implements LogStore {

    private final ConcurrentHashMap<LogId, MemoryPartitionLog> logs = new ConcurrentHashMap<>();
    private final LongSupplier clock;
    private final long producerIdExpirationMs;

    public MemoryLogStore() {
        this(System::currentTimeMillis);
    }

    /** @param clock milliseconds since the epoch, used for log-append-time stamps, retention and producer expiry */
    public MemoryLogStore(LongSupplier clock) {
        this(clock, FileLogStore.Options.DEFAULT_PRODUCER_ID_EXPIRATION_MS);
    }

    /** @param producerIdExpirationMs how long an idle producer's idempotence state is kept */
    public MemoryLogStore(LongSupplier clock, long producerIdExpirationMs) {
        this.clock = clock;
        this.producerIdExpirationMs = producerIdExpirationMs;
    }

    @Override
    public PartitionLog open(LogId id, LogConfig config) {
        MemoryPartitionLog log = logs.computeIfAbsent(id, k -> new MemoryPartitionLog(k, config, clock, producerIdExpirationMs));
        log.reopen(config);
        return log;
    }

    @Override
    public Optional<PartitionLog> get(LogId id) {
        return Optional.ofNullable(logs.get(id));
    }

    @Override
    public void delete(LogId id) {
        MemoryPartitionLog log = logs.remove(id);
        if (log != null) {
            log.close();
        }
    }

    @Override
    public Collection<LogId> list() {
        return List.copyOf(logs.keySet());
    }

    @Override
    public void close() {
        logs.values().forEach(MemoryPartitionLog::close);
    }
}
