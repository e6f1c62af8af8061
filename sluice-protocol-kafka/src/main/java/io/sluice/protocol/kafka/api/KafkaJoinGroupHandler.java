package io.sluice.protocol.kafka.api;

import io.sluice.protocol.kafka.message.JoinGroupRequest;
import io.sluice.protocol.kafka.message.JoinGroupResponse;
import io.sluice.protocol.kafka.session.KafkaApiHandler;
import io.sluice.protocol.kafka.session.KafkaErrors;
import io.sluice.protocol.kafka.session.KafkaNode;
import io.sluice.protocol.kafka.session.KafkaRequestContext;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * JoinGroup (v0-9): delegated to the group coordinator; the response may wait for the rebalance to complete. A group
 * id held by a KIP-848 consumer group with members is refused with INCONSISTENT_GROUP_PROTOCOL (Sluice does not run
 * classic members inside consumer groups); an empty consumer group gives way to the classic group.
 */
public final class KafkaJoinGroupHandler implements KafkaApiHandler<JoinGroupRequest> {

    private final KafkaNode node;

    public KafkaJoinGroupHandler(KafkaNode node) {
        this.node = node;
    }

    @Override
    public CompletionStage<JoinGroupResponse> handle(KafkaRequestContext ctx, JoinGroupRequest req) {
        if (req.groupId != null && node.consumerGroups().blocksClassic(req.groupId)) {
            return CompletableFuture.completedFuture(new JoinGroupResponse()
                    .setErrorCode(KafkaErrors.INCONSISTENT_GROUP_PROTOCOL).setGenerationId(-1).setProtocolType(null)
                    .setProtocolName(ctx.version() >= 7 ? null : "").setLeader("")
                    .setMemberId(req.memberId == null ? "" : req.memberId));
        }
        return node.groups().join(req, ctx.version(), ctx.clientId(), ctx.clientHost());
    }
}
