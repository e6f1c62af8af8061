package io.sluice.protocol.kafka.api;

import io.sluice.core.stream.StreamInfo;
import io.sluice.protocol.kafka.message.CreatePartitionsRequest;
import io.sluice.protocol.kafka.message.CreatePartitionsResponse;
import io.sluice.protocol.kafka.session.KafkaApiHandler;
import io.sluice.protocol.kafka.session.KafkaErrors;
import io.sluice.protocol.kafka.session.KafkaNode;
import io.sluice.protocol.kafka.session.KafkaRequestContext;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** CreatePartitions (v0-3): grows a topic; shrinking or keeping the count is INVALID_PARTITIONS, as in Kafka. */
public final class KafkaCreatePartitionsHandler implements KafkaApiHandler<CreatePartitionsRequest> {

    private final KafkaNode node;

    public KafkaCreatePartitionsHandler(KafkaNode node) {
        this.node = node;
    }

    @Override
    public CompletionStage<CreatePartitionsResponse> handle(KafkaRequestContext ctx, CreatePartitionsRequest req) {
        CreatePartitionsResponse resp = new CreatePartitionsResponse();
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (CreatePartitionsRequest.CreatePartitionsTopic t : req.topics) {
            CreatePartitionsResponse.CreatePartitionsTopicResult r =
                    new CreatePartitionsResponse.CreatePartitionsTopicResult().setName(t.name).setErrorMessage(null);
            resp.results.add(r);
            Optional<StreamInfo> info = node.topics().describe(ctx.call(), t.name);
            if (info.isEmpty()) {
                r.setErrorCode(KafkaErrors.UNKNOWN_TOPIC_OR_PARTITION).setErrorMessage("Topic '" + t.name + "' does not exist.");
                continue;
            }
            if (t.count <= info.get().partitions()) {
                r.setErrorCode(KafkaErrors.INVALID_PARTITIONS).setErrorMessage("Topic currently has "
                        + info.get().partitions() + " partitions, which is higher than or equal to the requested " + t.count + ".");
                continue;
            }
            if (req.validateOnly) {
                continue;
            }
            pending.add(node.topics().streams().createPartitions(ctx.call(), t.name, t.count).handle((v, err) -> {
                if (err != null) {
                    r.setErrorCode(KafkaErrors.fromCore(err)).setErrorMessage(KafkaErrors.message(err));
                }
                return null;
            }));
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).thenApply(v -> resp);
    }
}
