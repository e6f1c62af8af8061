package io.sluice.protocol.kafka.group;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A server-side partition assignor of KIP-848 consumer groups, chosen by name ({@code group.remote.assignor} on the
 * client). Assignors are pure functions of their input: deterministic, stateless and thread-safe.
 */
interface KafkaAssignor {

    /** One member as the assignor sees it: its id and the topics (resolved to ids) it subscribes to. */
    record Member(String memberId, Set<java.util.UUID> topicIds) {
    }

    String name();

    /**
     * The target assignment of every member.
     *
     * @param members  members, sorted by member id
     * @param topics   every subscribed topic that exists, by id
     * @param previous the previous target assignment (for stickiness); members absent from it are new
     * @return member id to its partitions; every member appears, possibly with an empty set
     */
    Map<String, Set<KafkaTopicPartition>> assign(List<Member> members, Map<java.util.UUID, KafkaTopicView.Topic> topics,
                                                 Map<String, ? extends Collection<KafkaTopicPartition>> previous);
}
