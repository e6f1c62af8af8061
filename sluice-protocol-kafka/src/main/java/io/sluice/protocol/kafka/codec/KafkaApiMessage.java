package io.sluice.protocol.kafka.codec;

/** The body of a Kafka request or response (everything after the header). */
public interface KafkaApiMessage extends KafkaMessage {

    short apiKey();
}
