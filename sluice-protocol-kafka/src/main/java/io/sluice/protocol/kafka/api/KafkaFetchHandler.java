package io.sluice.protocol.kafka.api;

import io.sluice.core.stream.Isolation;
import io.sluice.core.stream.StreamInfo;
import io.sluice.core.stream.StreamPartition;
import io.sluice.protocol.kafka.codec.KafkaRecords;
import io.sluice.protocol.kafka.message.FetchRequest;
import io.sluice.protocol.kafka.message.FetchResponse;
import io.sluice.protocol.kafka.session.KafkaApiHandler;
import io.sluice.protocol.kafka.session.KafkaErrors;
import io.sluice.protocol.kafka.session.KafkaNode;
import io.sluice.protocol.kafka.session.KafkaRequestContext;
import io.sluice.protocol.kafka.session.KafkaSliceRecords;
import io.sluice.storage.LogReadResult;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Fetch (sessionless: every request is a full fetch and the response's session id is 0, which clients accept).
 *
 * <p>Reads whole batches per partition within the partition and response byte limits; the first non-empty
 * partition may exceed them by one batch, as in Kafka, so a consumer always progresses. When fewer than
 * {@code minBytes} are available the request parks on the partitions' high-watermark waiters until data arrives or
 * {@code maxWaitMs} passes, then reads again. Log data is handed to the encoder as file regions (zero copy).
 * For read_committed, reads stop at the last stable offset and the aborted transactions of the range are returned.
 */
public final class KafkaFetchHandler implements KafkaApiHandler<FetchRequest> {

    private final KafkaNode node;

    public KafkaFetchHandler(KafkaNode node) {
        this.node = node;
    }

    /** One requested partition, resolved once per request. */
    private record Target(FetchResponse.PartitionData out, FetchRequest.FetchPartition in, StreamPartition partition) {
    }

    @Override
    public CompletionStage<FetchResponse> handle(KafkaRequestContext ctx, FetchRequest req) {
        Isolation isolation = req.isolationLevel == 1 ? Isolation.READ_COMMITTED : Isolation.READ_UNCOMMITTED;
        FetchResponse resp = new FetchResponse();
        List<Target> targets = new ArrayList<>();
        boolean anyError = false;
        for (FetchRequest.FetchTopic t : req.topics) {
            Optional<StreamInfo> info = ctx.version() >= 13 ? node.topics().byId(ctx.call(), t.topicId)
                    : node.topics().describe(ctx.call(), t.topic);
            FetchResponse.FetchableTopicResponse tr = new FetchResponse.FetchableTopicResponse()
                    .setTopic(t.topic).setTopicId(t.topicId);
            resp.responses.add(tr);
            for (FetchRequest.FetchPartition p : t.partitions) {
                FetchResponse.PartitionData out = new FetchResponse.PartitionData().setPartitionIndex(p.partition)
                        .setHighWatermark(-1).setRecords(KafkaRecords.of(ByteBuffer.allocate(0)));
                tr.partitions.add(out);
                Optional<StreamPartition> part = info.flatMap(i -> node.topics().partition(ctx.call(), i.name(), p.partition));
                if (part.isEmpty()) {
                    out.errorCode = ctx.version() >= 13 && info.isEmpty() ? KafkaErrors.UNKNOWN_TOPIC_ID
                            : KafkaErrors.UNKNOWN_TOPIC_OR_PARTITION;
                    anyError = true;
                } else {
                    targets.add(new Target(out, p, part.get()));
                }
            }
        }
        long deadline = System.currentTimeMillis() + Math.max(0, req.maxWaitMs);
        int maxBytes = ctx.version() >= 3 ? Math.max(0, req.maxBytes) : Integer.MAX_VALUE;
        CompletableFuture<FetchResponse> result = new CompletableFuture<>();
        attempt(resp, targets, isolation, Math.max(req.minBytes, 0), maxBytes, deadline, anyError, result);
        return result;
    }

    private void attempt(FetchResponse resp, List<Target> targets, Isolation isolation, int minBytes, int maxBytes,
                         long deadline, boolean anyError, CompletableFuture<FetchResponse> result) {
        try {
            int total = 0;
            boolean error = anyError;
            List<CompletableFuture<Void>> waits = new ArrayList<>();
            for (Target t : targets) {
                int budget = maxBytes - total;
                if (budget <= 0 && total > 0) {
                    t.out.records = KafkaRecords.of(ByteBuffer.allocate(0));
                    continue;
                }
                int size = read(t, isolation, Math.min(Math.max(t.in.partitionMaxBytes, 1), Math.max(budget, 1)));
                if (size > budget && total > 0) {
                    // only the first non-empty partition may exceed the response limit
                    t.out.records = KafkaRecords.of(ByteBuffer.allocate(0));
                    t.out.abortedTransactions = isolation == Isolation.READ_COMMITTED ? new ArrayList<>() : null;
                    size = 0;
                }
                total += size;
                error |= t.out.errorCode != KafkaErrors.NONE;
            }
            long now = System.currentTimeMillis();
            if (total >= minBytes || error || now >= deadline || targets.isEmpty()) {
                result.complete(resp);
                return;
            }
            for (Target t : targets) {
                long from = Math.max(t.in.fetchOffset, t.out.highWatermark);
                waits.add(t.partition.awaitBeyond(from, deadline - now));
            }
            CompletableFuture.anyOf(waits.toArray(CompletableFuture[]::new)).whenComplete((v, err) ->
                    attempt(resp, targets, isolation, minBytes, maxBytes, deadline, false, result));
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
    }

    /** Fills one partition's response; returns the bytes of records it carries. */
    private static int read(Target t, Isolation isolation, int maxBytes) {
        FetchResponse.PartitionData out = t.out;
        StreamPartition p = t.partition;
        out.errorCode = KafkaErrors.NONE;
        out.highWatermark = p.highWatermark();
        out.lastStableOffset = p.lastStableOffset();
        out.logStartOffset = p.logStartOffset();
        out.abortedTransactions = isolation == Isolation.READ_COMMITTED ? new ArrayList<>() : null;
        try {
            LogReadResult r = p.read(t.in.fetchOffset, maxBytes, isolation);
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
            out.records = KafkaRecords.of(ByteBuffer.allocate(0));
            return 0;
        }
    }
}
