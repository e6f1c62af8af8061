package io.sluice.protocol.kafka.api;

import io.sluice.protocol.kafka.message.EndTxnRequest;
import io.sluice.protocol.kafka.message.EndTxnResponse;
import io.sluice.protocol.kafka.session.KafkaApiHandler;
import io.sluice.protocol.kafka.session.KafkaErrors;
import io.sluice.protocol.kafka.session.KafkaNode;
import io.sluice.protocol.kafka.session.KafkaRequestContext;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** EndTxn (v0-4): commits or aborts; answers once every marker is written and staged offsets are committed. */
public final class KafkaEndTxnHandler implements KafkaApiHandler<EndTxnRequest> {

    private final KafkaNode node;

    public KafkaEndTxnHandler(KafkaNode node) {
        this.node = node;
    }

    @Override
    public CompletionStage<EndTxnResponse> handle(KafkaRequestContext ctx, EndTxnRequest req) {
        return node.transactions().endTxn(req.transactionalId, req.producerId, req.producerEpoch, req.committed)
                .thenApply(err -> new EndTxnResponse().setErrorCode(err));
    }
}
