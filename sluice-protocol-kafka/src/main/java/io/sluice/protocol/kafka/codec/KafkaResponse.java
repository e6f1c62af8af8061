package io.sluice.protocol.kafka.codec;

import io.sluice.protocol.kafka.message.KafkaApiKey;

/**
 * A response ready to encode: the body with the version and correlation id of its request.
 *
 * @param apiKey        the request's api (decides the response header version)
 * @param version       the request's version, which the response uses too
 * @param correlationId copied from the request
 * @param body          the response message
 */
public record KafkaResponse(KafkaApiKey apiKey, short version, int correlationId, KafkaApiMessage body) {

    public short headerVersion() {
        return apiKey.responseHeaderVersion(version);
    }
}
