package io.sluice.protocol.kafka.txn;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.Broker;
import io.sluice.core.CallContext;
import io.sluice.core.offset.CommittedOffset;
import io.sluice.core.offset.PartitionKey;
import io.sluice.core.stream.StreamPartition;
import io.sluice.protocol.kafka.message.InitProducerIdResponse;
import io.sluice.protocol.kafka.session.KafkaErrors;
import io.sluice.protocol.kafka.session.KafkaTopics;
import io.sluice.storage.AppendOptions;
import io.sluice.storage.record.ControlRecords;
import io.sluice.storage.record.ControlType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Kafka's transaction coordinator (transactions v1: the client adds partitions with AddPartitionsToTxn before
 * producing to them): producer ids and epochs per transactional id, the partitions and groups of the open
 * transaction, and the two-phase end that writes COMMIT or ABORT markers into every partition through the core,
 * then applies the transaction's offset commits.
 *
 * <p><b>State.</b> Per transactional id: {@code EMPTY -> ONGOING -> PREPARE_COMMIT|PREPARE_ABORT -> COMPLETE_*}.
 * The id, producer id, epoch, timeout, state and partitions are written to the core's key-value store (space
 * {@value #KV_SPACE}) before the answer that depends on them, so after a restart an interrupted transaction is
 * finished (PREPARE_COMMIT) or aborted (ONGOING, PREPARE_ABORT) and the last stable offset moves on. Pending
 * transactional offset commits are kept in memory only: a restart mid-transaction aborts it, which drops them anyway.
 *
 * <p><b>Threading.</b> Operations on one transactional id run one after another on a per-id chain of futures (the
 * id's single writer); different ids proceed independently. A timer aborts transactions older than their timeout
 * and bumps the epoch, fencing the producer.
 */
public final class KafkaTransactionCoordinator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaTransactionCoordinator.class);
    public static final String KV_SPACE = "kafka.transactions";
    private static final ObjectMapper JSON = new ObjectMapper();

    enum State { EMPTY, ONGOING, PREPARE_COMMIT, PREPARE_ABORT, COMPLETE_COMMIT, COMPLETE_ABORT }

    /** What is persisted per transactional id. */
    public record Stored(long producerId, short epoch, int timeoutMs, String state, List<String> topics,
                         List<Integer> partitions) {
    }

    private static final class Txn {
        final String id;
        long producerId = -1;
        short epoch = -1;
        int timeoutMs;
        State state = State.EMPTY;
        long startedAt;
        final Set<PartitionKey> partitions = new LinkedHashSet<>();
        final Map<String, Map<PartitionKey, CommittedOffset>> offsets = new HashMap<>();
        CompletableFuture<?> tail = CompletableFuture.completedFuture(null);

        Txn(String id) {
            this.id = id;
        }

        /** Runs {@code op} after every earlier operation on this id completed. */
        synchronized <T> CompletableFuture<T> run(Supplier<CompletableFuture<T>> op) {
            CompletableFuture<T> next = tail.handle((v, e) -> null).thenCompose(v -> op.get());
            tail = next;
            return next;
        }
    }

    private final Broker broker;
    private final KafkaTopics topics;
    private final CallContext call = CallContext.DEFAULT;
    private final int maxTimeoutMs;
    private final ConcurrentHashMap<String, Txn> txns = new ConcurrentHashMap<>();
    private final ScheduledFuture<?> sweeper;

    public KafkaTransactionCoordinator(Broker broker, KafkaTopics topics, ScheduledExecutorService scheduler,
                                       int maxTimeoutMs) {
        this.broker = broker;
        this.topics = topics;
        this.maxTimeoutMs = maxTimeoutMs;
        recover();
        this.sweeper = scheduler.scheduleWithFixedDelay(this::expire, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        sweeper.cancel(false);
    }

    private Txn txn(String id) {
        return txns.computeIfAbsent(id, k -> {
            Txn t = new Txn(k);
            broker.kv().get(call, KV_SPACE, k).ifPresent(bytes -> load(t, bytes));
            return t;
        });
    }

    private static void load(Txn t, byte[] bytes) {
        try {
            Stored s = JSON.readValue(bytes, Stored.class);
            t.producerId = s.producerId();
            t.epoch = s.epoch();
            t.timeoutMs = s.timeoutMs();
            t.state = State.valueOf(s.state());
            for (int i = 0; i < s.topics().size(); i++) {
                t.partitions.add(new PartitionKey(s.topics().get(i), s.partitions().get(i)));
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("ignoring unreadable transaction state of {}", t.id, e);
        }
    }

    private CompletableFuture<Void> persist(Txn t) {
        List<String> ts = new ArrayList<>();
        List<Integer> ps = new ArrayList<>();
        for (PartitionKey k : t.partitions) {
            ts.add(k.stream());
            ps.add(k.partition());
        }
        try {
            byte[] v = JSON.writeValueAsBytes(new Stored(t.producerId, t.epoch, t.timeoutMs, t.state.name(), ts, ps));
            return broker.kv().put(call, KV_SPACE, t.id, v);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Finishes transactions a previous run left open. */
    private void recover() {
        for (Map.Entry<String, byte[]> e : broker.kv().scan(call, KV_SPACE).entrySet()) {
            Txn t = txn(e.getKey());
            if (t.state == State.ONGOING || t.state == State.PREPARE_ABORT || t.state == State.PREPARE_COMMIT) {
                boolean commit = t.state == State.PREPARE_COMMIT;
                LOG.info("completing transaction {} left {} by the previous run", t.id, t.state);
                t.run(() -> complete(t, commit));
            }
        }
    }

    // ---------------------------------------------------------------- api

    public CompletableFuture<InitProducerIdResponse> initProducerId(CallContext ctx, String id, int timeoutMs,
                                                                    long requestedPid, short requestedEpoch) {
        if (timeoutMs <= 0 || timeoutMs > maxTimeoutMs) {
            return CompletableFuture.completedFuture(new InitProducerIdResponse()
                    .setErrorCode(KafkaErrors.INVALID_TRANSACTION_TIMEOUT).setProducerId(-1).setProducerEpoch((short) -1));
        }
        Txn t = txn(id);
        return t.run(() -> {
            if (requestedPid >= 0 && t.producerId >= 0 && (requestedPid != t.producerId || requestedEpoch != t.epoch)) {
                return CompletableFuture.completedFuture(new InitProducerIdResponse()
                        .setErrorCode(KafkaErrors.PRODUCER_FENCED).setProducerId(-1).setProducerEpoch((short) -1));
            }
            CompletableFuture<Void> aborted = t.state == State.ONGOING || t.state == State.PREPARE_ABORT
                    ? complete(t, false) : t.state == State.PREPARE_COMMIT ? complete(t, true)
                    : CompletableFuture.completedFuture(null);
            return aborted.thenCompose(v -> {
                if (t.producerId < 0 || t.epoch >= Short.MAX_VALUE - 1) {
                    return broker.nextProducerId().thenApply(pid -> {
                        t.producerId = pid;
                        t.epoch = 0;
                        return null;
                    });
                }
                t.epoch++;
                return CompletableFuture.completedFuture(null);
            }).thenCompose(v -> {
                t.timeoutMs = timeoutMs;
                t.state = State.EMPTY;
                t.partitions.clear();
                t.offsets.clear();
                return persist(t);
            }).handle((v, err) -> err != null
                    ? new InitProducerIdResponse().setErrorCode(KafkaErrors.fromCore(err)).setProducerId(-1).setProducerEpoch((short) -1)
                    : new InitProducerIdResponse().setProducerId(t.producerId).setProducerEpoch(t.epoch));
        });
    }

    private short check(Txn t, long pid, short epoch) {
        if (t.producerId < 0 || t.producerId != pid) {
            return KafkaErrors.INVALID_PRODUCER_ID_MAPPING;
        }
        if (epoch != t.epoch) {
            return epoch < t.epoch ? KafkaErrors.PRODUCER_FENCED : KafkaErrors.INVALID_PRODUCER_EPOCH;
        }
        if (t.state == State.PREPARE_COMMIT || t.state == State.PREPARE_ABORT) {
            return KafkaErrors.CONCURRENT_TRANSACTIONS;
        }
        return KafkaErrors.NONE;
    }

    /** Adds partitions to the open transaction; the one error code applies to every partition. */
    public CompletableFuture<Short> addPartitions(String id, long pid, short epoch, List<PartitionKey> partitions) {
        Txn t = txn(id);
        return t.run(() -> {
            short err = check(t, pid, epoch);
            if (err != KafkaErrors.NONE) {
                return CompletableFuture.completedFuture(err);
            }
            boolean added = t.partitions.addAll(partitions);
            if (t.state != State.ONGOING) {
                t.state = State.ONGOING;
                t.startedAt = broker.clock().millis();
                added = true;
            }
            return added ? persist(t).handle((v, e) -> e == null ? KafkaErrors.NONE : KafkaErrors.fromCore(e))
                    : CompletableFuture.completedFuture(KafkaErrors.NONE);
        });
    }

    public CompletableFuture<Short> addOffsets(String id, long pid, short epoch, String groupId) {
        Txn t = txn(id);
        return t.run(() -> {
            short err = check(t, pid, epoch);
            if (err != KafkaErrors.NONE) {
                return CompletableFuture.completedFuture(err);
            }
            t.offsets.computeIfAbsent(groupId, g -> new HashMap<>());
            if (t.state != State.ONGOING) {
                t.state = State.ONGOING;
                t.startedAt = broker.clock().millis();
                return persist(t).handle((v, e) -> e == null ? KafkaErrors.NONE : KafkaErrors.fromCore(e));
            }
            return CompletableFuture.completedFuture(KafkaErrors.NONE);
        });
    }

    /** Stages offsets that become visible when the transaction commits. */
    public CompletableFuture<Short> stageOffsets(String id, long pid, short epoch, String groupId,
                                                 Map<PartitionKey, CommittedOffset> offsets) {
        Txn t = txn(id);
        return t.run(() -> {
            short err = check(t, pid, epoch);
            if (err == KafkaErrors.NONE && t.state != State.ONGOING) {
                err = KafkaErrors.INVALID_TXN_STATE;
            }
            if (err == KafkaErrors.NONE) {
                t.offsets.computeIfAbsent(groupId, g -> new HashMap<>()).putAll(offsets);
            }
            return CompletableFuture.completedFuture(err);
        });
    }

    public CompletableFuture<Short> endTxn(String id, long pid, short epoch, boolean commit) {
        Txn t = txn(id);
        return t.run(() -> {
            if (t.producerId != pid) {
                return CompletableFuture.completedFuture(KafkaErrors.INVALID_PRODUCER_ID_MAPPING);
            }
            if (epoch != t.epoch) {
                return CompletableFuture.completedFuture(epoch < t.epoch ? KafkaErrors.PRODUCER_FENCED
                        : KafkaErrors.INVALID_PRODUCER_EPOCH);
            }
            switch (t.state) {
                case ONGOING -> {
                    return complete(t, commit).handle((v, e) -> e == null ? KafkaErrors.NONE : KafkaErrors.fromCore(e));
                }
                case COMPLETE_COMMIT, COMPLETE_ABORT, EMPTY -> {
                    boolean same = t.state == State.EMPTY || (t.state == State.COMPLETE_COMMIT) == commit;
                    return CompletableFuture.completedFuture(same ? KafkaErrors.NONE : KafkaErrors.INVALID_TXN_STATE);
                }
                default -> {
                    return CompletableFuture.completedFuture(KafkaErrors.CONCURRENT_TRANSACTIONS);
                }
            }
        });
    }

    /** Whether an open transaction holds uncommitted offsets for this group and partition (OffsetFetch requireStable). */
    public boolean hasPendingOffset(String groupId, PartitionKey partition) {
        for (Txn t : txns.values()) {
            synchronized (t) {
                Map<PartitionKey, CommittedOffset> m = t.offsets.get(groupId);
                if (m != null && m.containsKey(partition) && t.state == State.ONGOING) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A produce to a partition under a transactional id: make sure the end of the transaction marks it. */
    public void recordProduce(String id, String topic, int partition) {
        Txn t = txns.get(id);
        if (t != null) {
            t.run(() -> {
                if (t.state == State.ONGOING && t.partitions.add(new PartitionKey(topic, partition))) {
                    return persist(t);
                }
                return CompletableFuture.completedFuture(null);
            });
        }
    }

    /** Two-phase end: PREPARE durable, markers written, offsets applied, COMPLETE durable. Runs on the id's chain. */
    private CompletableFuture<Void> complete(Txn t, boolean commit) {
        t.state = commit ? State.PREPARE_COMMIT : State.PREPARE_ABORT;
        return persist(t).thenCompose(v -> writeMarkers(t, commit)).thenCompose(v -> {
            List<CompletableFuture<Void>> commits = new ArrayList<>();
            if (commit) {
                t.offsets.forEach((group, offs) -> {
                    if (!offs.isEmpty()) {
                        commits.add(broker.offsets().commit(call, group, Map.copyOf(offs)));
                    }
                });
            }
            return CompletableFuture.allOf(commits.toArray(CompletableFuture[]::new));
        }).thenCompose(v -> {
            t.state = commit ? State.COMPLETE_COMMIT : State.COMPLETE_ABORT;
            t.partitions.clear();
            t.offsets.clear();
            return persist(t);
        });
    }

    private CompletableFuture<Void> writeMarkers(Txn t, boolean commit) {
        List<CompletableFuture<?>> writes = new ArrayList<>();
        long now = broker.clock().millis();
        for (PartitionKey k : t.partitions) {
            Optional<StreamPartition> p = topics.partition(call, k.stream(), k.partition());
            if (p.isEmpty()) {
                continue; // deleted while the transaction was open: nothing left to mark
            }
            var marker = ControlRecords.marker(commit ? ControlType.COMMIT : ControlType.ABORT, t.producerId, t.epoch, 0, now);
            writes.add(p.get().append(marker, AppendOptions.COORDINATOR).exceptionally(e -> {
                LOG.warn("writing the {} marker of {} to {} failed", commit ? "commit" : "abort", t.id, k, e);
                return null;
            }));
        }
        return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new));
    }

    /** Aborts transactions open longer than their timeout and bumps the epoch, so the producer is fenced. */
    private void expire() {
        long now = broker.clock().millis();
        for (Txn t : txns.values()) {
            if (t.state == State.ONGOING && now - t.startedAt > t.timeoutMs) {
                t.run(() -> {
                    if (t.state != State.ONGOING || now - t.startedAt <= t.timeoutMs) {
                        return CompletableFuture.completedFuture(null);
                    }
                    LOG.info("aborting transaction {} after {} ms", t.id, t.timeoutMs);
                    t.epoch++;
                    return complete(t, false);
                });
            }
        }
    }
}
