package io.sluice.protocol.kafka.codec;

import java.nio.ByteBuffer;

/**
 * A Kafka message or struct that knows its own encoding at every version its schema defines. Implemented by the
 * classes generated from Apache Kafka's schemas into {@code io.sluice.protocol.kafka.message}.
 *
 * <p>Instances are mutable and not thread-safe. {@link #read} overwrites every field, resetting fields absent from
 * the version to their defaults; {@link #write} omits fields absent from the version.
 */
public interface KafkaMessage {

    /** Decodes from the buffer's position, leaving it after the message. Bytes fields are copied; records are not. */
    void read(ByteBuffer buffer, short version);

    /** Encodes exactly {@link #size(short)} bytes. */
    void write(KafkaWritable out, short version);

    /** The encoded size at {@code version}. */
    int size(short version);

    short lowestSupportedVersion();

    short highestSupportedVersion();
}
