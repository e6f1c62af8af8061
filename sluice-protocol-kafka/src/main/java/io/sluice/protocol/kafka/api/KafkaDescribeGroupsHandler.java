package io.sluice.protocol.kafka.api;

import io.sluice.protocol.kafka.message.DescribeGroupsRequest;
import io.sluice.protocol.kafka.message.DescribeGroupsResponse;
import io.sluice.protocol.kafka.session.KafkaApiHandler;
import io.sluice.protocol.kafka.session.KafkaErrors;
import io.sluice.protocol.kafka.session.KafkaNode;
import io.sluice.protocol.kafka.session.KafkaRequestContext;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import java.util.Set;

/** DescribeGroups (v0-6): live membership from the coordinator; groups known only by their offsets are Empty. */
public final class KafkaDescribeGroupsHandler implements KafkaApiHandler<DescribeGroupsRequest> {

    private final KafkaNode node;

    public KafkaDescribeGroupsHandler(KafkaNode node) {
        this.node = node;
    }

    @Override
    public CompletionStage<DescribeGroupsResponse> handle(KafkaRequestContext ctx, DescribeGroupsRequest req) {
        DescribeGroupsResponse resp = new DescribeGroupsResponse();
        Set<String> withOffsets = node.broker().offsets().groups(ctx.call());
        for (String g : req.groups) {
            DescribeGroupsResponse.DescribedGroup d = node.groups().describe(g, withOffsets.contains(g));
            if (ctx.version() >= 6 && "Dead".equals(d.groupState)) {
                d.errorCode = KafkaErrors.GROUP_ID_NOT_FOUND;
                d.errorMessage = "Group " + g + " not found.";
            }
            resp.groups.add(d);
        }
        return CompletableFuture.completedFuture(resp);
    }
}
