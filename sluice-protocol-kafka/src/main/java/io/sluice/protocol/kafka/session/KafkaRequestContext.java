package io.sluice.protocol.kafka.session;

import io.sluice.core.CallContext;
import io.sluice.protocol.kafka.message.KafkaApiKey;

import java.util.concurrent.Executor;

/**
 * What a handler knows about the request beyond its body.
 *
 * @param apiKey        the api
 * @param version       the request (and response) version
 * @param correlationId the client's correlation id
 * @param clientId      the client id from the header (may be null)
 * @param clientHost    the peer address, as Kafka reports it in group descriptions
 * @param call          the core call context of the connection
 * @param executor      the connection's event loop: where a handler continues work that a storage thread woke up
 *                      (a parked fetch), so that thread goes back to its own work at once; null outside a
 *                      connection (tests), in which case such work runs on the waking thread
 */
public record KafkaRequestContext(KafkaApiKey apiKey, short version, int correlationId, String clientId,
                                  String clientHost, CallContext call, Executor executor) {

    public KafkaRequestContext(KafkaApiKey apiKey, short version, int correlationId, String clientId,
                               String clientHost, CallContext call) {
        this(apiKey, version, correlationId, clientId, clientHost, call, null);
    }
}
