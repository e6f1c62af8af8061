package io.sluice.protocol.kafka.api;

import io.sluice.protocol.kafka.message.SyncGroupRequest;
import io.sluice.protocol.kafka.message.SyncGroupResponse;
import io.sluice.protocol.kafka.session.KafkaApiHandler;
import io.sluice.protocol.kafka.session.KafkaErrors;
import io.sluice.protocol.kafka.session.KafkaNode;
import io.sluice.protocol.kafka.session.KafkaRequestContext;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** SyncGroup (v0-5): the leader's assignment is handed to every member. */
public final class KafkaSyncGroupHandler implements KafkaApiHandler<SyncGroupRequest> {

    private final KafkaNode node;

    public KafkaSyncGroupHandler(KafkaNode node) {
        this.node = node;
    }

    @Override
    public CompletionStage<SyncGroupResponse> handle(KafkaRequestContext ctx, SyncGroupRequest req) {
        return node.groups().sync(req, ctx.version());
    }
}
