package io.sluice.protocol.kafka.api;

import io.sluice.core.stream.StreamInfo;
import io.sluice.protocol.kafka.message.DeleteTopicsRequest;
import io.sluice.protocol.kafka.message.DeleteTopicsResponse;
import io.sluice.protocol.kafka.session.KafkaApiHandler;
import io.sluice.protocol.kafka.session.KafkaErrors;
import io.sluice.protocol.kafka.session.KafkaNode;
import io.sluice.protocol.kafka.session.KafkaRequestContext;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** DeleteTopics (v1-6, by name or, from v6, by id): deletes the core stream and its data. */
public final class KafkaDeleteTopicsHandler implements KafkaApiHandler<DeleteTopicsRequest> {

    private final KafkaNode node;

    public KafkaDeleteTopicsHandler(KafkaNode node) {
        this.node = node;
    }

    @Override
    public CompletionStage<DeleteTopicsResponse> handle(KafkaRequestContext ctx, DeleteTopicsRequest req) {
        DeleteTopicsResponse resp = new DeleteTopicsResponse();
        List<CompletableFuture<?>> pending = new ArrayList<>();
        List<DeleteTopicsRequest.DeleteTopicState> wanted = new ArrayList<>();
        if (ctx.version() < 6) {
            req.topicNames.forEach(n -> wanted.add(new DeleteTopicsRequest.DeleteTopicState().setName(n)));
        } else {
            wanted.addAll(req.topics);
        }
        for (DeleteTopicsRequest.DeleteTopicState t : wanted) {
            Optional<StreamInfo> info = t.name != null ? node.topics().describe(ctx.call(), t.name)
                    : node.topics().byId(ctx.call(), t.topicId);
            DeleteTopicsResponse.DeletableTopicResult r = new DeleteTopicsResponse.DeletableTopicResult()
                    .setName(t.name).setTopicId(t.topicId);
            resp.responses.add(r);
            if (info.isEmpty()) {
                r.errorCode = t.name == null ? KafkaErrors.UNKNOWN_TOPIC_ID : KafkaErrors.UNKNOWN_TOPIC_OR_PARTITION;
                continue;
            }
            r.setName(info.get().name()).setTopicId(info.get().id());
            pending.add(node.topics().streams().delete(ctx.call(), info.get().name()).handle((v, err) -> {
                if (err != null) {
                    r.setErrorCode(KafkaErrors.fromCore(err)).setErrorMessage(KafkaErrors.message(err));
                }
                return null;
            }));
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).thenApply(v -> resp);
    }
}
