package io.sluice.protocol.kafka.api;

import io.sluice.core.stream.StreamInfo;
import io.sluice.protocol.kafka.message.DescribeTopicPartitionsRequest;
import io.sluice.protocol.kafka.message.DescribeTopicPartitionsResponse;
import io.sluice.protocol.kafka.session.KafkaApiHandler;
import io.sluice.protocol.kafka.session.KafkaErrors;
import io.sluice.protocol.kafka.session.KafkaNode;
import io.sluice.protocol.kafka.session.KafkaRequestContext;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** DescribeTopicPartitions (v0): every partition led by this node; all topics in one page (no cursor is returned). */
public final class KafkaDescribeTopicPartitionsHandler implements KafkaApiHandler<DescribeTopicPartitionsRequest> {

    private final KafkaNode node;

    public KafkaDescribeTopicPartitionsHandler(KafkaNode node) {
        this.node = node;
    }

    @Override
    public CompletionStage<DescribeTopicPartitionsResponse> handle(KafkaRequestContext ctx, DescribeTopicPartitionsRequest req) {
        DescribeTopicPartitionsResponse resp = new DescribeTopicPartitionsResponse().setNextCursor(null);
        List<StreamInfo> topics = new ArrayList<>();
        if (req.topics.isEmpty()) {
            topics.addAll(node.topics().list(ctx.call()));
            topics.sort((a, b) -> a.name().compareTo(b.name()));
        } else {
            for (DescribeTopicPartitionsRequest.TopicRequest t : req.topics) {
                Optional<StreamInfo> info = node.topics().describe(ctx.call(), t.name);
                if (info.isPresent()) {
                    topics.add(info.get());
                } else {
                    resp.topics.add(new DescribeTopicPartitionsResponse.DescribeTopicPartitionsResponseTopic().setName(t.name)
                            .setErrorCode(KafkaErrors.UNKNOWN_TOPIC_OR_PARTITION));
                }
            }
        }
        for (StreamInfo s : topics) {
            DescribeTopicPartitionsResponse.DescribeTopicPartitionsResponseTopic t =
                    new DescribeTopicPartitionsResponse.DescribeTopicPartitionsResponseTopic().setName(s.name()).setTopicId(s.id());
            for (int p = 0; p < s.partitions(); p++) {
                t.partitions.add(new DescribeTopicPartitionsResponse.DescribeTopicPartitionsResponsePartition()
                        .setPartitionIndex(p).setLeaderId(node.nodeId()).setLeaderEpoch(0)
                        .setReplicaNodes(new ArrayList<>(List.of(node.nodeId())))
                        .setIsrNodes(new ArrayList<>(List.of(node.nodeId())))
                        .setEligibleLeaderReplicas(new ArrayList<>()).setLastKnownElr(new ArrayList<>()));
            }
            resp.topics.add(t);
        }
        return CompletableFuture.completedFuture(resp);
    }
}
