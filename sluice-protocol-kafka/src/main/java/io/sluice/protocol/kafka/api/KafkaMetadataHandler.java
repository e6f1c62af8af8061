package io.sluice.protocol.kafka.api;

import io.sluice.core.stream.StreamInfo;
import io.sluice.protocol.kafka.message.MetadataRequest;
import io.sluice.protocol.kafka.message.MetadataResponse;
import io.sluice.protocol.kafka.session.KafkaApiHandler;
import io.sluice.protocol.kafka.session.KafkaErrors;
import io.sluice.protocol.kafka.session.KafkaNode;
import io.sluice.protocol.kafka.session.KafkaRequestContext;
import io.sluice.protocol.kafka.session.KafkaTopics;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Metadata: this node as the only broker and controller, and every requested topic with this node leading each
 * partition. Unknown topics are created when {@code auto.create.topics} is on and the client allows it (v4+); unlike
 * Kafka, the creation is awaited, so the first answer already carries the partitions instead of LEADER_NOT_AVAILABLE.
 */
public final class KafkaMetadataHandler implements KafkaApiHandler<MetadataRequest> {

    private final KafkaNode node;

    public KafkaMetadataHandler(KafkaNode node) {
        this.node = node;
    }

    @Override
    public CompletionStage<MetadataResponse> handle(KafkaRequestContext ctx, MetadataRequest req) {
        KafkaTopics topics = node.topics();
        boolean all = req.topics == null || (ctx.version() == 0 && req.topics.isEmpty());
        List<CompletableFuture<MetadataResponse.MetadataResponseTopic>> answers = new ArrayList<>();
        if (all) {
            for (StreamInfo s : topics.list(ctx.call())) {
                answers.add(CompletableFuture.completedFuture(topic(s)));
            }
        } else {
            for (MetadataRequest.MetadataRequestTopic t : req.topics) {
                answers.add(lookup(ctx, t, req.allowAutoTopicCreation));
            }
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(v -> {
            MetadataResponse resp = new MetadataResponse();
            resp.brokers.add(new MetadataResponse.MetadataResponseBroker().setNodeId(node.nodeId())
                    .setHost(node.host()).setPort(node.port()).setRack(null));
            resp.clusterId = node.broker().clusterId();
            resp.controllerId = node.nodeId();
            for (var f : answers) {
                resp.topics.add(f.join());
            }
            return resp;
        });
    }

    private CompletableFuture<MetadataResponse.MetadataResponseTopic> lookup(KafkaRequestContext ctx,
                                                                           MetadataRequest.MetadataRequestTopic t,
                                                                           boolean allowAutoCreate) {
        KafkaTopics topics = node.topics();
        // Topics asked for by id (v10+) come with an empty or null name: the kafka-clients schema defaults the name
        // to "", and the KIP-848 consumer looks its assigned topic ids up this way.
        boolean byId = (t.name == null || t.name.isEmpty()) && t.topicId != null
                && (t.topicId.getMostSignificantBits() != 0 || t.topicId.getLeastSignificantBits() != 0);
        Optional<StreamInfo> found = byId ? topics.byId(ctx.call(), t.topicId) : topics.describe(ctx.call(), t.name);
        if (found.isPresent()) {
            return CompletableFuture.completedFuture(topic(found.get()));
        }
        if (byId || t.name == null) {
            return CompletableFuture.completedFuture(new MetadataResponse.MetadataResponseTopic()
                    .setErrorCode(KafkaErrors.UNKNOWN_TOPIC_ID).setTopicId(t.topicId).setName(null));
        }
        if (!KafkaTopics.isValidName(t.name)) {
            return CompletableFuture.completedFuture(error(t.name, KafkaErrors.INVALID_TOPIC_EXCEPTION));
        }
        if (!(node.config().autoCreateTopics() && allowAutoCreate)) {
            return CompletableFuture.completedFuture(error(t.name, KafkaErrors.UNKNOWN_TOPIC_OR_PARTITION));
        }
        return topics.autoCreate(ctx.call(), t.name).thenApply(created -> created.map(this::topic)
                .orElseGet(() -> error(t.name, KafkaErrors.UNKNOWN_TOPIC_OR_PARTITION)));
    }

    private static MetadataResponse.MetadataResponseTopic error(String name, short code) {
        return new MetadataResponse.MetadataResponseTopic().setName(name).setErrorCode(code);
    }

    private MetadataResponse.MetadataResponseTopic topic(StreamInfo s) {
        MetadataResponse.MetadataResponseTopic t = new MetadataResponse.MetadataResponseTopic()
                .setName(s.name()).setTopicId(s.id()).setIsInternal(false);
        for (int p = 0; p < s.partitions(); p++) {
            t.partitions.add(new MetadataResponse.MetadataResponsePartition().setPartitionIndex(p)
                    .setLeaderId(node.nodeId()).setLeaderEpoch(0)
                    .setReplicaNodes(new ArrayList<>(List.of(node.nodeId())))
                    .setIsrNodes(new ArrayList<>(List.of(node.nodeId()))));
        }
        return t;
    }
}
