package io.sluice.protocol.kafka.api;

import io.sluice.protocol.kafka.message.HeartbeatRequest;
import io.sluice.protocol.kafka.message.HeartbeatResponse;
import io.sluice.protocol.kafka.session.KafkaApiHandler;
import io.sluice.protocol.kafka.session.KafkaErrors;
import io.sluice.protocol.kafka.session.KafkaNode;
import io.sluice.protocol.kafka.session.KafkaRequestContext;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Heartbeat (v0-4): keeps the session alive and tells members when to rejoin. */
public final class KafkaHeartbeatHandler implements KafkaApiHandler<HeartbeatRequest> {

    private final KafkaNode node;

    public KafkaHeartbeatHandler(KafkaNode node) {
        this.node = node;
    }

    @Override
    public CompletionStage<HeartbeatResponse> handle(KafkaRequestContext ctx, HeartbeatRequest req) {
        return CompletableFuture.completedFuture(new HeartbeatResponse().setErrorCode(node.groups().heartbeat(req, ctx.version())));
    }
}
