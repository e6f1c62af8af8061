package io.sluice.protocol.kafka.api;

import io.sluice.protocol.kafka.message.AddOffsetsToTxnRequest;
import io.sluice.protocol.kafka.message.AddOffsetsToTxnResponse;
import io.sluice.protocol.kafka.session.KafkaApiHandler;
import io.sluice.protocol.kafka.session.KafkaErrors;
import io.sluice.protocol.kafka.session.KafkaNode;
import io.sluice.protocol.kafka.session.KafkaRequestContext;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** AddOffsetsToTxn (v0-4): the transaction will carry offset commits of this group. */
public final class KafkaAddOffsetsToTxnHandler implements KafkaApiHandler<AddOffsetsToTxnRequest> {

    private final KafkaNode node;

    public KafkaAddOffsetsToTxnHandler(KafkaNode node) {
        this.node = node;
    }

    @Override
    public CompletionStage<AddOffsetsToTxnResponse> handle(KafkaRequestContext ctx, AddOffsetsToTxnRequest req) {
        return node.transactions().addOffsets(req.transactionalId, req.producerId, req.producerEpoch, req.groupId)
                .thenApply(err -> new AddOffsetsToTxnResponse().setErrorCode(err));
    }
}
