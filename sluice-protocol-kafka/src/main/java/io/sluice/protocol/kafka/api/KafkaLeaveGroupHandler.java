package io.sluice.protocol.kafka.api;

import io.sluice.protocol.kafka.message.LeaveGroupRequest;
import io.sluice.protocol.kafka.message.LeaveGroupResponse;
import io.sluice.protocol.kafka.session.KafkaApiHandler;
import io.sluice.protocol.kafka.session.KafkaErrors;
import io.sluice.protocol.kafka.session.KafkaNode;
import io.sluice.protocol.kafka.session.KafkaRequestContext;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** LeaveGroup (v0-5, batched from v3): members leave and the rest rebalance. */
public final class KafkaLeaveGroupHandler implements KafkaApiHandler<LeaveGroupRequest> {

    private final KafkaNode node;

    public KafkaLeaveGroupHandler(KafkaNode node) {
        this.node = node;
    }

    @Override
    public CompletionStage<LeaveGroupResponse> handle(KafkaRequestContext ctx, LeaveGroupRequest req) {
        return CompletableFuture.completedFuture(node.groups().leave(req, ctx.version()));
    }
}
