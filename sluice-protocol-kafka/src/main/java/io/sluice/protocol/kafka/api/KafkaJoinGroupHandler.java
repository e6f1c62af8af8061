package io.sluice.protocol.kafka.api;

import io.sluice.protocol.kafka.message.JoinGroupRequest;
import io.sluice.protocol.kafka.message.JoinGroupResponse;
import io.sluice.protocol.kafka.session.KafkaApiHandler;
import io.sluice.protocol.kafka.session.KafkaErrors;
import io.sluice.protocol.kafka.session.KafkaNode;
import io.sluice.protocol.kafka.session.KafkaRequestContext;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** JoinGroup (v0-9): delegated to the group coordinator; the response may wait for the rebalance to complete. */
public final class KafkaJoinGroupHandler implements KafkaApiHandler<JoinGroupRequest> {

    private final KafkaNode node;

    public KafkaJoinGroupHandler(KafkaNode node) {
        this.node = node;
    }

    @Override
    public CompletionStage<JoinGroupResponse> handle(KafkaRequestContext ctx, JoinGroupRequest req) {
        return node.groups().join(req, ctx.version(), ctx.clientId(), ctx.clientHost());
    }
}
