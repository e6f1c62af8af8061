package io.sluice.protocol.kafka.api;

import io.sluice.protocol.kafka.message.ConsumerGroupDescribeRequest;
import io.sluice.protocol.kafka.message.ConsumerGroupDescribeResponse;
import io.sluice.protocol.kafka.session.KafkaApiHandler;
import io.sluice.protocol.kafka.session.KafkaErrors;
import io.sluice.protocol.kafka.session.KafkaNode;
import io.sluice.protocol.kafka.session.KafkaRequestContext;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * ConsumerGroupDescribe (v0-1, KIP-848): members, epochs and current and target assignments of consumer groups. As
 * in Kafka, a classic group (or one known only by its committed offsets) answers GROUP_ID_NOT_FOUND "is not a
 * consumer group", which makes the Admin client fall back to DescribeGroups, and an unknown id "not found".
 */
public final class KafkaConsumerGroupDescribeHandler implements KafkaApiHandler<ConsumerGroupDescribeRequest> {

    private final KafkaNode node;

    public KafkaConsumerGroupDescribeHandler(KafkaNode node) {
        this.node = node;
    }

    @Override
    public CompletionStage<ConsumerGroupDescribeResponse> handle(KafkaRequestContext ctx, ConsumerGroupDescribeRequest req) {
        ConsumerGroupDescribeResponse resp = new ConsumerGroupDescribeResponse();
        Set<String> withOffsets = null;
        for (String groupId : req.groupIds) {
            var described = node.consumerGroups().describe(groupId);
            if (described.isPresent()) {
                resp.groups.add(described.get());
                continue;
            }
            if (withOffsets == null) {
                withOffsets = node.broker().offsets().groups(ctx.call());
            }
            boolean otherType = node.groups().exists(groupId) || withOffsets.contains(groupId);
            resp.groups.add(new ConsumerGroupDescribeResponse.DescribedGroup().setGroupId(groupId)
                    .setErrorCode(KafkaErrors.GROUP_ID_NOT_FOUND)
                    .setErrorMessage("Group " + groupId + (otherType ? " is not a consumer group." : " not found.")));
        }
        return CompletableFuture.completedFuture(resp);
    }
}
