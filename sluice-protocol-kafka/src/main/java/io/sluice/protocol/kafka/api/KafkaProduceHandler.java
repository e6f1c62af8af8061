package io.sluice.protocol.kafka.api;

import io.sluice.core.stream.AppendResult;
import io.sluice.core.stream.StreamInfo;
import io.sluice.core.stream.StreamPartition;
import io.sluice.protocol.kafka.codec.KafkaRecords;
import io.sluice.protocol.kafka.message.ProduceRequest;
import io.sluice.protocol.kafka.message.ProduceResponse;
import io.sluice.protocol.kafka.session.KafkaApiHandler;
import io.sluice.protocol.kafka.session.KafkaErrors;
import io.sluice.protocol.kafka.session.KafkaNode;
import io.sluice.protocol.kafka.session.KafkaRequestContext;
import io.sluice.storage.AppendOptions;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Produce: appends each partition's record batches as the producer sent them (compression untouched; the log
 * validates framing and CRC, assigns offsets and checks idempotent sequences) and reports per-partition results.
 * With acks=0 nothing is answered, but the request is held until every append has copied its bytes, because the
 * batches are a view of the request frame.
 *
 * <p>Every append is enqueued before {@link #handle} returns: {@code KafkaConnection} starts the next Produce of
 * the connection as soon as this one returned, and relies on that to keep the batches of one producer in request
 * order in the log. Anything asynchronous added before the append (an auto-create, say) must keep that promise.
 */
public final class KafkaProduceHandler implements KafkaApiHandler<ProduceRequest> {

    private final KafkaNode node;

    public KafkaProduceHandler(KafkaNode node) {
        this.node = node;
    }

    @Override
    public CompletionStage<ProduceResponse> handle(KafkaRequestContext ctx, ProduceRequest req) {
        ProduceResponse resp = new ProduceResponse();
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (ProduceRequest.TopicProduceData t : req.topicData) {
            Optional<StreamInfo> info = t.name != null && !t.name.isEmpty() || ctx.version() < 13
                    ? node.topics().describe(ctx.call(), t.name) : node.topics().byId(ctx.call(), t.topicId);
            ProduceResponse.TopicProduceResponse tr = new ProduceResponse.TopicProduceResponse()
                    .setName(t.name).setTopicId(t.topicId);
            resp.responses.add(tr);
            for (ProduceRequest.PartitionProduceData p : t.partitionData) {
                ProduceResponse.PartitionProduceResponse pr = new ProduceResponse.PartitionProduceResponse()
                        .setIndex(p.index).setBaseOffset(-1).setLogAppendTimeMs(-1).setLogStartOffset(-1);
                tr.partitionResponses.add(pr);
                Optional<StreamPartition> part = info.flatMap(i -> node.topics().partition(ctx.call(), i.name(), p.index));
                if (part.isEmpty()) {
                    pr.errorCode = ctx.version() >= 13 && info.isEmpty() ? KafkaErrors.UNKNOWN_TOPIC_ID
                            : KafkaErrors.UNKNOWN_TOPIC_OR_PARTITION;
                    continue;
                }
                KafkaRecords records = p.records;
                if (!(records instanceof KafkaRecords.OfBuffer buf) || records.sizeInBytes() == 0) {
                    pr.errorCode = KafkaErrors.CORRUPT_MESSAGE;
                    continue;
                }
                if (req.transactionalId != null) {
                    node.transactions().recordProduce(req.transactionalId, info.get().name(), p.index);
                }
                ByteBuffer batches = buf.buffer().duplicate();
                pending.add(part.get().append(batches, AppendOptions.CLIENT).handle((AppendResult r, Throwable err) -> {
                    if (err != null) {
                        pr.errorCode = KafkaErrors.fromCore(err);
                        pr.errorMessage = KafkaErrors.message(err);
                    } else {
                        pr.baseOffset = r.baseOffset();
                        pr.logAppendTimeMs = r.logAppendTime();
                        pr.logStartOffset = r.logStartOffset();
                    }
                    return null;
                }));
            }
        }
        // Each append future writes only its own partition response object, and all of them happen-before allOf.
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                .thenApply(v -> req.acks == 0 ? null : resp);
    }
}
