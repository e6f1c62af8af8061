package io.sluice.core.stream;

import io.sluice.core.Scope;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A stream as the metadata log knows it.
 *
 * @param scope      tenant and namespace
 * @param name       stream name
 * @param id         stable id (Kafka topic id)
 * @param partitions partition count
 * @param config     effective configuration (explicit settings only; defaults come from {@link StreamConfig})
 * @param subjects   captured subjects (NATS JetStream)
 * @param kind       whether it is a user stream, the log of a queue, or internal
 * @param createdAt  creation time, ms since the epoch
 */
public record StreamInfo(Scope scope, String name, UUID id, int partitions, Map<String, String> config,
                         List<String> subjects, Kind kind, long createdAt) {

    public enum Kind {
        /** A stream created by a user or a protocol (Kafka topic, Redis stream, JetStream stream). */
        STREAM,
        /** The message log of a queue (AMQP classic queue); not listed as a Kafka topic. */
        QUEUE
    }
}
