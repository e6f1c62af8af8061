package io.sluice.protocol.kafka.api;

import io.sluice.core.offset.PartitionKey;
import io.sluice.protocol.kafka.message.AddPartitionsToTxnRequest;
import io.sluice.protocol.kafka.message.AddPartitionsToTxnResponse;
import io.sluice.protocol.kafka.session.KafkaApiHandler;
import io.sluice.protocol.kafka.session.KafkaErrors;
import io.sluice.protocol.kafka.session.KafkaNode;
import io.sluice.protocol.kafka.session.KafkaRequestContext;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import java.util.ArrayList;
import java.util.List;

/**
 * AddPartitionsToTxn (v0-3, the client form): registers partitions with the open transaction so EndTxn marks them.
 * Unknown partitions fail with UNKNOWN_TOPIC_OR_PARTITION and the rest with OPERATION_NOT_ATTEMPTED, as in Kafka.
 */
public final class KafkaAddPartitionsToTxnHandler implements KafkaApiHandler<AddPartitionsToTxnRequest> {

    static final short OPERATION_NOT_ATTEMPTED = 55;

    private final KafkaNode node;

    public KafkaAddPartitionsToTxnHandler(KafkaNode node) {
        this.node = node;
    }

    @Override
    public CompletionStage<AddPartitionsToTxnResponse> handle(KafkaRequestContext ctx, AddPartitionsToTxnRequest req) {
        List<PartitionKey> keys = new ArrayList<>();
        boolean anyUnknown = false;
        for (AddPartitionsToTxnRequest.AddPartitionsToTxnTopic t : req.v3AndBelowTopics) {
            for (int p : t.partitions) {
                keys.add(new PartitionKey(t.name, p));
                anyUnknown |= node.topics().partition(ctx.call(), t.name, p).isEmpty();
            }
        }
        if (anyUnknown) {
            return CompletableFuture.completedFuture(response(req, k ->
                    node.topics().partition(ctx.call(), k.stream(), k.partition()).isEmpty()
                            ? KafkaErrors.UNKNOWN_TOPIC_OR_PARTITION : OPERATION_NOT_ATTEMPTED));
        }
        return node.transactions().addPartitions(req.v3AndBelowTransactionalId, req.v3AndBelowProducerId,
                req.v3AndBelowProducerEpoch, keys).thenApply(err -> response(req, k -> err));
    }

    private static AddPartitionsToTxnResponse response(AddPartitionsToTxnRequest req,
                                                       java.util.function.Function<PartitionKey, Short> error) {
        AddPartitionsToTxnResponse resp = new AddPartitionsToTxnResponse();
        for (AddPartitionsToTxnRequest.AddPartitionsToTxnTopic t : req.v3AndBelowTopics) {
            AddPartitionsToTxnResponse.AddPartitionsToTxnTopicResult tr =
                    new AddPartitionsToTxnResponse.AddPartitionsToTxnTopicResult().setName(t.name);
            for (int p : t.partitions) {
                tr.resultsByPartition.add(new AddPartitionsToTxnResponse.AddPartitionsToTxnPartitionResult()
                        .setPartitionIndex(p).setPartitionErrorCode(error.apply(new PartitionKey(t.name, p))));
            }
            resp.resultsByTopicV3AndBelow.add(tr);
        }
        return resp;
    }
}
