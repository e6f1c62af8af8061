package io.sluice.protocol.kafka.api;

import io.sluice.core.stream.Isolation;
import io.sluice.core.stream.StreamInfo;
import io.sluice.core.stream.StreamPartition;
import io.sluice.protocol.kafka.codec.KafkaRecords;
import io.sluice.protocol.kafka.codec.KafkaWire;
import io.sluice.protocol.kafka.message.FetchRequest;
import io.sluice.protocol.kafka.message.FetchResponse;
import io.sluice.protocol.kafka.session.KafkaApiHandler;
import io.sluice.protocol.kafka.session.KafkaErrors;
import io.sluice.protocol.kafka.session.KafkaFetchSession;
import io.sluice.protocol.kafka.session.KafkaFetchSessionCache;
import io.sluice.protocol.kafka.session.KafkaNode;
import io.sluice.protocol.kafka.session.KafkaRequestContext;
import io.sluice.protocol.kafka.session.KafkaSliceRecords;
import io.sluice.storage.LogReadResult;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;

/**
 * Fetch, with incremental fetch sessions (KIP-227, Fetch v7+; see {@link KafkaFetchSessionCache} for how the
 * session id and epoch are interpreted).
 *
 * <p>Reads whole batches per partition within the partition and response byte limits; the first non-empty
 * partition may exceed them by one batch, as in Kafka, so a consumer always progresses. When fewer than
 * {@code minBytes} are available the request parks on the partitions' high-watermark waiters until data arrives or
 * {@code maxWaitMs} passes, then reads again. Log data is handed to the encoder as file regions (zero copy).
 * For read_committed, reads stop at the last stable offset and the aborted transactions of the range are returned.
 *
 * <p>A full fetch answers every partition it names; with epoch 0 it also opens a session holding those partitions
 * and what the response said about them. An incremental fetch names only the partitions whose fetch parameters
 * changed, plus those to forget; it reads every partition of the session and answers only those with news
 * (records, a new high watermark or log start offset, an error), so an idle consumer of many partitions costs a
 * few bytes per poll instead of a line per partition.
 */
public final class KafkaFetchHandler implements KafkaApiHandler<FetchRequest> {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final KafkaNode node;
    private final KafkaFetchSessionCache sessions;

    public KafkaFetchHandler(KafkaNode node, KafkaFetchSessionCache sessions) {
        this.node = node;
        this.sessions = sessions;
    }

    /** One partition to read in this request, with its response entry (built fresh on every attempt). */
    private static final class Target {
        final KafkaFetchSession.Key key;
        final long fetchOffset;
        final int maxBytes;
        /** The session's entry, for incremental fetches; null otherwise. */
        final KafkaFetchSession.Cached cached;
        StreamPartition partition;
        short lookupError;
        final FetchResponse.PartitionData out = new FetchResponse.PartitionData();

        Target(KafkaFetchSession.Key key, long fetchOffset, int maxBytes, KafkaFetchSession.Cached cached) {
            this.key = key;
            this.fetchOffset = fetchOffset;
            this.maxBytes = maxBytes;
            this.cached = cached;
        }
    }

    /** The request's session handling, fixed when it arrives. */
    private record Plan(List<Target> targets, KafkaFetchSession session, boolean openSession, boolean usesTopicIds) {
    }

    @Override
    public CompletionStage<FetchResponse> handle(KafkaRequestContext ctx, FetchRequest req) {
        boolean usesTopicIds = ctx.version() >= 13;
        boolean sessionFields = ctx.version() >= 7;
        int sessionId = sessionFields ? req.sessionId : 0;
        int epoch = sessionFields ? req.sessionEpoch : KafkaFetchSessionCache.FINAL_EPOCH;
        Plan plan;
        if (epoch == KafkaFetchSessionCache.INITIAL_EPOCH || epoch == KafkaFetchSessionCache.FINAL_EPOCH) {
            if (sessionId != 0) {
                sessions.remove(sessionId);
            }
            plan = new Plan(requested(req, usesTopicIds), null, epoch == KafkaFetchSessionCache.INITIAL_EPOCH,
                    usesTopicIds);
        } else {
            KafkaFetchSessionCache.Lookup found = sessions.incremental(sessionId, epoch, usesTopicIds);
            if (found.session() == null) {
                // Answered at once, without partitions: the client drops its session and sends a full fetch.
                return CompletableFuture.completedFuture(new FetchResponse().setErrorCode(found.errorCode()));
            }
            KafkaFetchSession s = found.session();
            for (Target t : requested(req, usesTopicIds)) {
                s.upsert(t.key, t.fetchOffset, t.maxBytes);
            }
            for (FetchRequest.ForgottenTopic f : req.forgottenTopicsData) {
                for (int p : f.partitions) {
                    s.forget(key(f.topicId, f.topic, p, usesTopicIds));
                }
            }
            if (s.size() == 0) {
                // Kafka closes a session that no longer holds partitions and answers without one.
                sessions.remove(s.id());
                plan = new Plan(List.of(), null, false, usesTopicIds);
            } else {
                sessions.touch(s);
                List<Target> targets = new ArrayList<>(s.size());
                for (KafkaFetchSession.View v : s.partitions()) {
                    Target t = new Target(v.cached().key(), v.fetchOffset(), v.maxBytes(), v.cached());
                    t.partition = v.partition();
                    targets.add(t);
                }
                plan = new Plan(targets, s, false, usesTopicIds);
            }
        }
        for (Target t : plan.targets) {
            if (t.partition == null) {
                resolve(ctx, t, usesTopicIds);
            }
        }
        Isolation isolation = req.isolationLevel == 1 ? Isolation.READ_COMMITTED : Isolation.READ_UNCOMMITTED;
        long deadline = System.currentTimeMillis() + Math.max(0, req.maxWaitMs);
        int maxBytes = ctx.version() >= 3 ? Math.max(0, req.maxBytes) : Integer.MAX_VALUE;
        CompletableFuture<FetchResponse> result = new CompletableFuture<>();
        attempt(plan, isolation, Math.max(req.minBytes, 0), maxBytes, deadline, ctx.executor(), result);
        return result;
    }

    private static KafkaFetchSession.Key key(UUID topicId, String topic, int partition, boolean usesTopicIds) {
        return usesTopicIds ? new KafkaFetchSession.Key(topicId, "", partition)
                : new KafkaFetchSession.Key(KafkaWire.ZERO_UUID, topic, partition);
    }

    private static List<Target> requested(FetchRequest req, boolean usesTopicIds) {
        List<Target> targets = new ArrayList<>();
        for (FetchRequest.FetchTopic t : req.topics) {
            for (FetchRequest.FetchPartition p : t.partitions) {
                targets.add(new Target(key(t.topicId, t.topic, p.partition, usesTopicIds), p.fetchOffset,
                        p.partitionMaxBytes, null));
            }
        }
        return targets;
    }

    private void resolve(KafkaRequestContext ctx, Target t, boolean usesTopicIds) {
        Optional<StreamInfo> info = usesTopicIds ? node.topics().byId(ctx.call(), t.key.topicId())
                : node.topics().describe(ctx.call(), t.key.topic());
        Optional<StreamPartition> part = info.flatMap(i -> node.topics().partition(ctx.call(), i.name(),
                t.key.partition()));
        if (part.isPresent()) {
            t.partition = part.get();
        } else {
            t.lookupError = usesTopicIds && info.isEmpty() ? KafkaErrors.UNKNOWN_TOPIC_ID
                    : KafkaErrors.UNKNOWN_TOPIC_OR_PARTITION;
        }
    }

    private void attempt(Plan plan, Isolation isolation, int minBytes, int maxBytes, long deadline,
                         Executor executor, CompletableFuture<FetchResponse> result) {
        try {
            int total = 0;
            boolean error = false;
            for (Target t : plan.targets) {
                FetchResponse.PartitionData out = t.out;
                if (t.partition == null) {
                    empty(t, t.lookupError, isolation);
                    error = true;
                    continue;
                }
                int budget = maxBytes - total;
                if (budget <= 0 && total > 0) {
                    unread(t, isolation);
                    continue;
                }
                int size = read(t, isolation, Math.min(Math.max(t.maxBytes, 1), Math.max(budget, 1)));
                if (size > budget && total > 0) {
                    // only the first non-empty partition may exceed the response limit
                    out.records = KafkaRecords.of(EMPTY);
                    out.abortedTransactions = isolation == Isolation.READ_COMMITTED ? new ArrayList<>() : null;
                    size = 0;
                }
                total += size;
                error |= out.errorCode != KafkaErrors.NONE;
            }
            long now = System.currentTimeMillis();
            if (total >= minBytes || error || now >= deadline || plan.targets.isEmpty()) {
                result.complete(respond(plan));
                return;
            }
            List<CompletableFuture<Void>> waits = new ArrayList<>(plan.targets.size());
            for (Target t : plan.targets) {
                long from = Math.max(t.fetchOffset, t.out.highWatermark);
                waits.add(t.partition.awaitBeyond(from, deadline - now));
            }
            // A wake-up comes on the storage thread that published the high watermark, under its listener lock (in
            // fsync mode, the thread whose next fsync is waiting): read and encode on the connection's event loop.
            BiConsumer<Object, Throwable> again = (v, err) -> {
                // Release the other partitions' waiters and timers now rather than at the deadline.
                waits.forEach(w -> w.complete(null));
                attempt(plan, isolation, minBytes, maxBytes, deadline, executor, result);
            };
            CompletableFuture<Object> any = CompletableFuture.anyOf(waits.toArray(CompletableFuture[]::new));
            if (executor == null) {
                any.whenComplete(again);
            } else {
                any.whenCompleteAsync(again, executor);
            }
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
    }

    /** Builds the response from the last attempt's reads; for sessions, records what the client is told. */
    private FetchResponse respond(Plan plan) {
        FetchResponse resp = new FetchResponse();
        KafkaFetchSession session = plan.session;
        if (plan.openSession) {
            session = sessions.create(plan.usesTopicIds, plan.targets.size());
            if (session != null) {
                for (Target t : plan.targets) {
                    session.initialise(t.key, t.fetchOffset, t.maxBytes, t.partition, t.out.errorCode,
                            t.out.highWatermark, t.out.logStartOffset);
                }
                sessions.touch(session);
            }
        }
        resp.sessionId = session == null ? 0 : session.id();
        FetchResponse.FetchableTopicResponse topic = null;
        for (Target t : plan.targets) {
            if (t.cached != null && !session.mustRespond(t.cached, t.partition, t.out.records.sizeInBytes(),
                    t.out.errorCode, t.out.highWatermark, t.out.logStartOffset)) {
                continue;
            }
            // Consecutive partitions of one topic share a topic entry, as in Kafka's response builder.
            if (topic == null || !topic.topic.equals(t.key.topic()) || !topic.topicId.equals(t.key.topicId())) {
                topic = new FetchResponse.FetchableTopicResponse().setTopic(t.key.topic()).setTopicId(t.key.topicId());
                resp.responses.add(topic);
            }
            topic.partitions.add(t.out);
        }
        return resp;
    }

    private static void empty(Target t, short errorCode, Isolation isolation) {
        FetchResponse.PartitionData out = t.out;
        out.partitionIndex = t.key.partition();
        out.errorCode = errorCode;
        out.highWatermark = -1;
        out.lastStableOffset = -1;
        out.logStartOffset = -1;
        out.abortedTransactions = isolation == Isolation.READ_COMMITTED ? new ArrayList<>() : null;
        out.records = KafkaRecords.of(EMPTY);
    }

    /** A partition skipped because the response is full: its offsets without records. */
    private static void unread(Target t, Isolation isolation) {
        FetchResponse.PartitionData out = t.out;
        out.partitionIndex = t.key.partition();
        out.errorCode = KafkaErrors.NONE;
        out.highWatermark = t.partition.highWatermark();
        out.lastStableOffset = t.partition.lastStableOffset();
        out.logStartOffset = t.partition.logStartOffset();
        out.abortedTransactions = isolation == Isolation.READ_COMMITTED ? new ArrayList<>() : null;
        out.records = KafkaRecords.of(EMPTY);
    }

    /** Fills one partition's response; returns the bytes of records it carries. */
    private static int read(Target t, Isolation isolation, int maxBytes) {
        FetchResponse.PartitionData out = t.out;
        StreamPartition p = t.partition;
        out.partitionIndex = t.key.partition();
        out.errorCode = KafkaErrors.NONE;
        out.abortedTransactions = isolation == Isolation.READ_COMMITTED ? new ArrayList<>() : null;
        try {
            LogReadResult r = p.read(t.fetchOffset, maxBytes, isolation);
            out.highWatermark = r.highWatermark();
            out.lastStableOffset = r.lastStableOffset();
            out.logStartOffset = r.logStartOffset();
            if (isolation == Isolation.READ_COMMITTED) {
                for (LogReadResult.AbortedTxn a : r.abortedTransactions()) {
                    out.abortedTransactions.add(new FetchResponse.AbortedTransaction()
                            .setProducerId(a.producerId()).setFirstOffset(a.firstOffset()));
                }
            }
            out.records = KafkaSliceRecords.of(r.records());
            return out.records.sizeInBytes();
        } catch (RuntimeException e) {
            out.errorCode = KafkaErrors.fromCore(e);
            out.highWatermark = -1;
            out.lastStableOffset = -1;
            out.logStartOffset = -1;
            out.records = KafkaRecords.of(EMPTY);
            return 0;
        }
    }
}
