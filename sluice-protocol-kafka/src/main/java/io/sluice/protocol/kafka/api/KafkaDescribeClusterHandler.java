package io.sluice.protocol.kafka.api;

import io.sluice.protocol.kafka.message.DescribeClusterRequest;
import io.sluice.protocol.kafka.message.DescribeClusterResponse;
import io.sluice.protocol.kafka.session.KafkaApiHandler;
import io.sluice.protocol.kafka.session.KafkaErrors;
import io.sluice.protocol.kafka.session.KafkaNode;
import io.sluice.protocol.kafka.session.KafkaRequestContext;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** DescribeCluster (v0-2): this node, as broker and controller. */
public final class KafkaDescribeClusterHandler implements KafkaApiHandler<DescribeClusterRequest> {

    private final KafkaNode node;

    public KafkaDescribeClusterHandler(KafkaNode node) {
        this.node = node;
    }

    @Override
    public CompletionStage<DescribeClusterResponse> handle(KafkaRequestContext ctx, DescribeClusterRequest req) {
        DescribeClusterResponse resp = new DescribeClusterResponse().setErrorMessage(null).setClusterId(node.broker().clusterId())
                .setControllerId(node.nodeId()).setEndpointType(req.endpointType);
        resp.brokers.add(new DescribeClusterResponse.DescribeClusterBroker().setBrokerId(node.nodeId())
                .setHost(node.host()).setPort(node.port()).setRack(null));
        return CompletableFuture.completedFuture(resp.setErrorCode(KafkaErrors.NONE));
    }
}
