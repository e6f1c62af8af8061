package io.sluice.protocol.kafka.session;

import io.sluice.protocol.kafka.codec.KafkaApiMessage;

import java.util.concurrent.CompletionStage;

/**
 * Serves one Kafka api: turns a decoded request into a response. Called on the connection's event loop; may complete
 * on any thread. Completing with {@code null} sends no response (produce with acks=0). Failing the stage closes the
 * connection, so handlers report expected failures as error codes inside the response.
 *
 * @param <Q> the request message type
 */
@FunctionalInterface
public interface KafkaApiHandler<Q extends KafkaApiMessage> {

    CompletionStage<? extends KafkaApiMessage> handle(KafkaRequestContext ctx, Q request);
}
