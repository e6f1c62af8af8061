package io.sluice.protocol.kafka.api;

import io.sluice.protocol.kafka.message.InitProducerIdRequest;
import io.sluice.protocol.kafka.message.InitProducerIdResponse;
import io.sluice.protocol.kafka.session.KafkaApiHandler;
import io.sluice.protocol.kafka.session.KafkaErrors;
import io.sluice.protocol.kafka.session.KafkaNode;
import io.sluice.protocol.kafka.session.KafkaRequestContext;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * InitProducerId: a fresh producer id (epoch 0) for an idempotent producer, from the core's durable id sequence; for
 * a transactional id, the transaction coordinator bumps the epoch (fencing the previous instance and aborting its
 * open transaction).
 */
public final class KafkaInitProducerIdHandler implements KafkaApiHandler<InitProducerIdRequest> {

    private final KafkaNode node;

    public KafkaInitProducerIdHandler(KafkaNode node) {
        this.node = node;
    }

    @Override
    public CompletionStage<InitProducerIdResponse> handle(KafkaRequestContext ctx, InitProducerIdRequest req) {
        if (req.transactionalId == null) {
            return node.broker().nextProducerId().handle((id, err) -> err != null
                    ? new InitProducerIdResponse().setErrorCode(KafkaErrors.fromCore(err)).setProducerId(-1).setProducerEpoch((short) -1)
                    : new InitProducerIdResponse().setProducerId(id).setProducerEpoch((short) 0));
        }
        if (req.transactionalId.isEmpty()) {
            return CompletableFuture.completedFuture(new InitProducerIdResponse()
                    .setErrorCode(KafkaErrors.INVALID_REQUEST).setProducerId(-1).setProducerEpoch((short) -1));
        }
        return node.transactions().initProducerId(ctx.call(), req.transactionalId, req.transactionTimeoutMs,
                req.producerId, req.producerEpoch);
    }
}
