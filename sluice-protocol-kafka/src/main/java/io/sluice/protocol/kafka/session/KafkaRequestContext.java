package io.sluice.protocol.kafka.session;

import io.sluice.core.CallContext;
import io.sluice.protocol.kafka.message.KafkaApiKey;

/**
 * What a handler knows about the request beyond its body.
 *
 * @param apiKey        the api
 * @param version       the request (and response) version
 * @param correlationId the client's correlation id
 * @param clientId      the client id from the header (may be null)
 * @param clientHost    the peer address, as Kafka reports it in group descriptions
 * @param call          the core call context of the connection
 */
public record KafkaRequestContext(KafkaApiKey apiKey, short version, int correlationId, String clientId,
                                  String clientHost, CallContext call) {
}
