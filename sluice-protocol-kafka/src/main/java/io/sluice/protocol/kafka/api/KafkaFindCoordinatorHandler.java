package io.sluice.protocol.kafka.api;

import io.sluice.protocol.kafka.message.FindCoordinatorRequest;
import io.sluice.protocol.kafka.message.FindCoordinatorResponse;
import io.sluice.protocol.kafka.session.KafkaApiHandler;
import io.sluice.protocol.kafka.session.KafkaErrors;
import io.sluice.protocol.kafka.session.KafkaNode;
import io.sluice.protocol.kafka.session.KafkaRequestContext;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** FindCoordinator: this node coordinates every group and transactional id (v4+ answers per key). */
public final class KafkaFindCoordinatorHandler implements KafkaApiHandler<FindCoordinatorRequest> {

    private final KafkaNode node;

    public KafkaFindCoordinatorHandler(KafkaNode node) {
        this.node = node;
    }

    @Override
    public CompletionStage<FindCoordinatorResponse> handle(KafkaRequestContext ctx, FindCoordinatorRequest req) {
        FindCoordinatorResponse resp = new FindCoordinatorResponse();
        if (ctx.version() < 4) {
            resp.setErrorCode(KafkaErrors.NONE).setNodeId(node.nodeId()).setHost(node.host()).setPort(node.port());
        } else {
            for (String key : req.coordinatorKeys) {
                resp.coordinators.add(new FindCoordinatorResponse.Coordinator().setKey(key).setNodeId(node.nodeId())
                        .setHost(node.host()).setPort(node.port()).setErrorCode(KafkaErrors.NONE));
            }
        }
        return CompletableFuture.completedFuture(resp);
    }
}
