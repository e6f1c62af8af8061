package io.sluice.core.stream;

import java.util.List;
import java.util.Map;

/**
 * What to create: a stream's name, partition count, configuration and (for NATS JetStream) the subjects it
 * captures.
 *
 * @param name       stream name within the caller's scope (Kafka topic, Redis stream key, JetStream stream name)
 * @param partitions number of partitions, at least 1
 * @param config     settings by Kafka's topic config names where one exists ({@link StreamConfig} lists the keys);
 *                   unknown keys are kept and reported back (so Kafka admin tools round-trip them)
 * @param subjects   subjects (NATS wildcards allowed) whose core publishes are appended to partition 0 of this stream;
 *                   empty for none
 */
public record StreamSpec(String name, int partitions, Map<String, String> config, List<String> subjects) {
    public StreamSpec {
        config = config == null ? Map.of() : Map.copyOf(config);
        subjects = subjects == null ? List.of() : List.copyOf(subjects);
        if (partitions < 1) {
            throw new IllegalArgumentException("a stream needs at least one partition, got " + partitions);
        }
    }

    public static StreamSpec of(String name, int partitions) {
        return new StreamSpec(name, partitions, Map.of(), List.of());
    }
}
