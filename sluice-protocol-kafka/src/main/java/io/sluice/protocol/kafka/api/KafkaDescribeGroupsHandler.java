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

/**
 * DescribeGroups (v0-6): live membership from the coordinator; groups known only by their offsets are Empty. A KIP-848
 * consumer group is not a classic group: as in Kafka it is reported Dead, with GROUP_ID_NOT_FOUND from v6 (which
 * is what the Admin client expects when it falls back here).
 */
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
            if (node.consumerGroups().exists(g)) {
                DescribeGroupsResponse.DescribedGroup d = new DescribeGroupsResponse.DescribedGroup().setGroupId(g)
                        .setGroupState("Dead").setProtocolType("").setProtocolData("");
                if (ctx.version() >= 6) {
                    d.errorCode = KafkaErrors.GROUP_ID_NOT_FOUND;
                    d.errorMessage = "Group " + g + " is not a classic group.";
                }
                resp.groups.add(d);
                continue;
            }
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
