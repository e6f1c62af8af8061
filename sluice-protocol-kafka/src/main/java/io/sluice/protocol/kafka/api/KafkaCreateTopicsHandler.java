package io.sluice.protocol.kafka.api;

import io.sluice.core.stream.StreamConfig;
import io.sluice.core.stream.StreamSpec;
import io.sluice.protocol.kafka.message.CreateTopicsRequest;
import io.sluice.protocol.kafka.message.CreateTopicsResponse;
import io.sluice.protocol.kafka.session.KafkaTopics;
import io.sluice.protocol.kafka.session.KafkaApiHandler;
import io.sluice.protocol.kafka.session.KafkaErrors;
import io.sluice.protocol.kafka.session.KafkaNode;
import io.sluice.protocol.kafka.session.KafkaRequestContext;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CreateTopics (v2-7): one core stream per topic. A single node can hold one replica, so a replication factor above
 * 1 is refused (INVALID_REPLICATION_FACTOR) and -1 means 1. Configs are validated by the core's stream config rules.
 */
public final class KafkaCreateTopicsHandler implements KafkaApiHandler<CreateTopicsRequest> {

    private final KafkaNode node;

    public KafkaCreateTopicsHandler(KafkaNode node) {
        this.node = node;
    }

    @Override
    public CompletionStage<CreateTopicsResponse> handle(KafkaRequestContext ctx, CreateTopicsRequest req) {
        CreateTopicsResponse resp = new CreateTopicsResponse();
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (CreateTopicsRequest.CreatableTopic t : req.topics) {
            CreateTopicsResponse.CreatableTopicResult r = new CreateTopicsResponse.CreatableTopicResult().setName(t.name)
                    .setNumPartitions(-1).setReplicationFactor((short) -1).setConfigs(null);
            resp.topics.add(r);
            int partitions = !t.assignments.isEmpty() ? t.assignments.size()
                    : t.numPartitions == -1 ? node.topics().defaultPartitions() : t.numPartitions;
            Map<String, String> config = new HashMap<>();
            for (CreateTopicsRequest.CreatableTopicConfig c : t.configs) {
                if (c.value != null) {
                    config.put(c.name, c.value);
                }
            }
            if (!KafkaTopics.isValidName(t.name)) {
                fail(r, KafkaErrors.INVALID_TOPIC_EXCEPTION, "Topic name '" + t.name + "' is illegal");
                continue;
            }
            if (partitions <= 0) {
                fail(r, KafkaErrors.INVALID_PARTITIONS, "Number of partitions must be larger than 0.");
                continue;
            }
            if (t.replicationFactor > 1 || t.replicationFactor == 0 || t.replicationFactor < -1) {
                fail(r, KafkaErrors.INVALID_REPLICATION_FACTOR, "Replication factor must be 1 on a single node.");
                continue;
            }
            try {
                StreamConfig.validate(config);
            } catch (IllegalArgumentException e) {
                fail(r, KafkaErrors.INVALID_CONFIG, e.getMessage());
                continue;
            }
            if (node.topics().describe(ctx.call(), t.name).isPresent()) {
                fail(r, KafkaErrors.TOPIC_ALREADY_EXISTS, "Topic '" + t.name + "' already exists.");
                continue;
            }
            if (req.validateOnly) {
                r.setNumPartitions(partitions).setReplicationFactor((short) 1);
                continue;
            }
            pending.add(node.topics().streams().create(ctx.call(), new StreamSpec(t.name, partitions, config, List.of()))
                    .handle((info, err) -> {
                        if (err != null) {
                            fail(r, KafkaErrors.fromCore(err), KafkaErrors.message(err));
                        } else {
                            r.setTopicId(info.id()).setNumPartitions(info.partitions()).setReplicationFactor((short) 1)
                                    .setConfigs(new ArrayList<>());
                            info.config().forEach((k, v) -> r.configs.add(new CreateTopicsResponse.CreatableTopicConfigs()
                                    .setName(k).setValue(v).setConfigSource((byte) 1)));
                        }
                        return null;
                    }));
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).thenApply(v -> resp);
    }

    private static void fail(CreateTopicsResponse.CreatableTopicResult r, short code, String message) {
        r.setErrorCode(code).setErrorMessage(message);
    }
}
