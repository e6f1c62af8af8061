package io.sluice.protocol.kafka.api;

import io.sluice.protocol.kafka.message.ApiVersionsRequest;
import io.sluice.protocol.kafka.message.ApiVersionsResponse;
import io.sluice.protocol.kafka.session.KafkaApiHandler;
import io.sluice.protocol.kafka.session.KafkaDispatcher;
import io.sluice.protocol.kafka.session.KafkaErrors;
import io.sluice.protocol.kafka.session.KafkaNode;
import io.sluice.protocol.kafka.session.KafkaRequestContext;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * ApiVersions: the advertised version range of every api this broker serves. From v5 (KIP-1242) a client that names
 * another cluster or node is told to re-bootstrap.
 */
public final class KafkaApiVersionsHandler implements KafkaApiHandler<ApiVersionsRequest> {

    private final KafkaDispatcher dispatcher;
    private final KafkaNode node;

    public KafkaApiVersionsHandler(KafkaDispatcher dispatcher, KafkaNode node) {
        this.dispatcher = dispatcher;
        this.node = node;
    }

    @Override
    public CompletionStage<ApiVersionsResponse> handle(KafkaRequestContext ctx, ApiVersionsRequest req) {
        boolean wrongCluster = req.clusterId != null && !req.clusterId.equals(node.broker().clusterId());
        boolean wrongNode = req.nodeId >= 0 && req.nodeId != node.nodeId();
        if (ctx.version() >= 5 && (wrongCluster || wrongNode)) {
            return CompletableFuture.completedFuture(dispatcher.apiVersions(KafkaErrors.REBOOTSTRAP_REQUIRED));
        }
        return CompletableFuture.completedFuture(dispatcher.apiVersions(KafkaErrors.NONE));
    }
}
