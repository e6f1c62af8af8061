package io.sluice.protocol.kafka;

import io.sluice.transport.ProtocolContext;
import io.sluice.transport.ProtocolHandlers;
import io.sluice.transport.ProtocolPlugin;

/** The Kafka wire protocol, for unmodified Kafka clients (kafka-clients 4.x, librdkafka). Default port 9092. */
public final class KafkaProtocolPlugin implements ProtocolPlugin {

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public int defaultPort() {
        return 9092;
    }

    @Override
    public ProtocolHandlers create(ProtocolContext context) {
        return new KafkaListener(context);
    }
}
