package io.sluice.protocol.kafka.api;

import io.sluice.core.offset.CommittedOffset;
import io.sluice.core.offset.PartitionKey;
import io.sluice.protocol.kafka.message.TxnOffsetCommitRequest;
import io.sluice.protocol.kafka.message.TxnOffsetCommitResponse;
import io.sluice.protocol.kafka.session.KafkaApiHandler;
import io.sluice.protocol.kafka.session.KafkaErrors;
import io.sluice.protocol.kafka.session.KafkaNode;
import io.sluice.protocol.kafka.session.KafkaRequestContext;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import java.util.HashMap;
import java.util.Map;

/** TxnOffsetCommit (v0-4): stages offsets in the transaction; they are committed with it. */
public final class KafkaTxnOffsetCommitHandler implements KafkaApiHandler<TxnOffsetCommitRequest> {

    private final KafkaNode node;

    public KafkaTxnOffsetCommitHandler(KafkaNode node) {
        this.node = node;
    }

    @Override
    public CompletionStage<TxnOffsetCommitResponse> handle(KafkaRequestContext ctx, TxnOffsetCommitRequest req) {
        Short consumerGroupError = ctx.version() >= 3 && req.generationIdOrMemberEpoch >= 0
                ? node.consumerGroups().validateCommit(req.groupId, req.memberId, req.generationIdOrMemberEpoch,
                ctx.version(), true) : null;
        short groupError = consumerGroupError != null ? consumerGroupError
                : ctx.version() >= 3 && req.generationIdOrMemberEpoch >= 0
                ? node.groups().validateCommit(req.groupId, req.generationIdOrMemberEpoch, req.memberId, req.groupInstanceId)
                : KafkaErrors.NONE;
        Map<PartitionKey, CommittedOffset> offsets = new HashMap<>();
        long now = node.broker().clock().millis();
        for (TxnOffsetCommitRequest.TxnOffsetCommitRequestTopic t : req.topics) {
            for (TxnOffsetCommitRequest.TxnOffsetCommitRequestPartition p : t.partitions) {
                offsets.put(new PartitionKey(t.name, p.partitionIndex), new CommittedOffset(p.committedOffset,
                        p.committedLeaderEpoch, p.committedMetadata == null ? "" : p.committedMetadata, now));
            }
        }
        CompletableFuture<Short> staged = groupError != KafkaErrors.NONE ? CompletableFuture.completedFuture(groupError)
                : node.transactions().stageOffsets(req.transactionalId, req.producerId, req.producerEpoch, req.groupId, offsets);
        return staged.thenApply(err -> {
            TxnOffsetCommitResponse resp = new TxnOffsetCommitResponse();
            for (TxnOffsetCommitRequest.TxnOffsetCommitRequestTopic t : req.topics) {
                TxnOffsetCommitResponse.TxnOffsetCommitResponseTopic tr =
                        new TxnOffsetCommitResponse.TxnOffsetCommitResponseTopic().setName(t.name);
                for (TxnOffsetCommitRequest.TxnOffsetCommitRequestPartition p : t.partitions) {
                    tr.partitions.add(new TxnOffsetCommitResponse.TxnOffsetCommitResponsePartition()
                            .setPartitionIndex(p.partitionIndex).setErrorCode(err));
                }
                resp.topics.add(tr);
            }
            return resp;
        });
    }
}
