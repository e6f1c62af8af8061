package io.sluice.protocol.kafka.group;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What the consumer-group coordinator needs to know about topics: their ids and partition counts, by name, and the
 * whole list for regex subscriptions. Implementations must be thread-safe; the coordinator calls them under a
 * group's monitor, so they must not call back into it.
 */
public interface KafkaTopicView {

    /** One topic as assignors see it. */
    record Topic(String name, UUID id, int partitions) {
    }

    Optional<Topic> byName(String name);

    List<Topic> all();
}
