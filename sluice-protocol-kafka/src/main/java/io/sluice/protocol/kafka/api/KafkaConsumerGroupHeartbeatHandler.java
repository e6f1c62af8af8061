package io.sluice.protocol.kafka.api;

import io.sluice.protocol.kafka.message.ConsumerGroupHeartbeatRequest;
import io.sluice.protocol.kafka.message.ConsumerGroupHeartbeatResponse;
import io.sluice.protocol.kafka.session.KafkaApiHandler;
import io.sluice.protocol.kafka.session.KafkaNode;
import io.sluice.protocol.kafka.session.KafkaRequestContext;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * ConsumerGroupHeartbeat (v0-1, KIP-848): join, heartbeat, acknowledge revocations and leave, in one request,
 * answered at once by the consumer-group coordinator (no request is parked, unlike classic JoinGroup).
 */
public final class KafkaConsumerGroupHeartbeatHandler implements KafkaApiHandler<ConsumerGroupHeartbeatRequest> {

    private final KafkaNode node;

    public KafkaConsumerGroupHeartbeatHandler(KafkaNode node) {
        this.node = node;
    }

    @Override
    public CompletionStage<ConsumerGroupHeartbeatResponse> handle(KafkaRequestContext ctx, ConsumerGroupHeartbeatRequest req) {
        return CompletableFuture.completedFuture(node.consumerGroups().heartbeat(req, ctx.version(), ctx.clientId(),
                ctx.clientHost()));
    }
}
