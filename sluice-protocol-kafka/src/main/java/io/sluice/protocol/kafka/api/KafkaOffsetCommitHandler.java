package io.sluice.protocol.kafka.api;

import io.sluice.core.offset.CommittedOffset;
import io.sluice.core.offset.PartitionKey;
import io.sluice.protocol.kafka.message.OffsetCommitRequest;
import io.sluice.protocol.kafka.message.OffsetCommitResponse;
import io.sluice.protocol.kafka.session.KafkaApiHandler;
import io.sluice.protocol.kafka.session.KafkaErrors;
import io.sluice.protocol.kafka.session.KafkaNode;
import io.sluice.protocol.kafka.session.KafkaRequestContext;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import java.util.HashMap;
import java.util.Map;

/**
 * OffsetCommit (v2-9): checks the member and generation (classic groups) or member epoch (KIP-848 consumer groups:
 * UNKNOWN_MEMBER_ID, STALE_MEMBER_EPOCH) with the group's coordinator, then commits durably through the core.
 * Partitions of unknown topics fail individually.
 */
public final class KafkaOffsetCommitHandler implements KafkaApiHandler<OffsetCommitRequest> {

    private final KafkaNode node;

    public KafkaOffsetCommitHandler(KafkaNode node) {
        this.node = node;
    }

    @Override
    public CompletionStage<OffsetCommitResponse> handle(KafkaRequestContext ctx, OffsetCommitRequest req) {
        Short consumerGroupError = req.groupId == null || req.groupId.isEmpty() ? null
                : node.consumerGroups().validateCommit(req.groupId, req.memberId, req.generationIdOrMemberEpoch, ctx.version(), false);
        short groupError = req.groupId == null || req.groupId.isEmpty() ? KafkaErrors.INVALID_GROUP_ID
                : consumerGroupError != null ? consumerGroupError
                : node.groups().validateCommit(req.groupId, req.generationIdOrMemberEpoch, req.memberId,
                ctx.version() >= 7 ? req.groupInstanceId : null);
        OffsetCommitResponse resp = new OffsetCommitResponse();
        Map<PartitionKey, CommittedOffset> commit = new HashMap<>();
        Map<PartitionKey, OffsetCommitResponse.OffsetCommitResponsePartition> results = new HashMap<>();
        long now = node.broker().clock().millis();
        for (OffsetCommitRequest.OffsetCommitRequestTopic t : req.topics) {
            OffsetCommitResponse.OffsetCommitResponseTopic tr = new OffsetCommitResponse.OffsetCommitResponseTopic().setName(t.name);
            resp.topics.add(tr);
            boolean exists = node.topics().describe(ctx.call(), t.name).isPresent();
            for (OffsetCommitRequest.OffsetCommitRequestPartition p : t.partitions) {
                OffsetCommitResponse.OffsetCommitResponsePartition pr =
                        new OffsetCommitResponse.OffsetCommitResponsePartition().setPartitionIndex(p.partitionIndex);
                tr.partitions.add(pr);
                if (groupError != KafkaErrors.NONE) {
                    pr.errorCode = groupError;
                } else if (!exists) {
                    pr.errorCode = KafkaErrors.UNKNOWN_TOPIC_OR_PARTITION;
                } else {
                    PartitionKey k = new PartitionKey(t.name, p.partitionIndex);
                    commit.put(k, new CommittedOffset(p.committedOffset, p.committedLeaderEpoch,
                            p.committedMetadata == null ? "" : p.committedMetadata, now));
                    results.put(k, pr);
                }
            }
        }
        if (commit.isEmpty()) {
            return CompletableFuture.completedFuture(resp);
        }
        return node.broker().offsets().commit(ctx.call(), req.groupId, commit).handle((v, err) -> {
            if (err != null) {
                short code = KafkaErrors.fromCore(err);
                results.values().forEach(pr -> pr.errorCode = code);
            }
            return resp;
        });
    }
}
