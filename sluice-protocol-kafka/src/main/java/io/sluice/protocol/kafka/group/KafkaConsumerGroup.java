package io.sluice.protocol.kafka.group;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The state of one KIP-848 consumer group: members (sorted by id, which assignors rely on), the group epoch, the
 * target assignment and its epoch, and which member currently owns each partition. A plain data holder guarded by
 * its own monitor; {@link KafkaConsumerGroupCoordinator} holds the transitions.
 *
 * <p>Epochs: any change of membership, subscriptions or subscribed topics' partition counts bumps the group epoch;
 * the next heartbeat then computes a new target assignment and sets the target assignment epoch to the group epoch;
 * each member reaches the target epoch after revoking what it must give up. The group state is derived:
 * Empty (no members), Assigning (group epoch ahead of the target), Reconciling (some member not yet at the target),
 * Stable.
 */
final class KafkaConsumerGroup {

    enum State {
        EMPTY("Empty"), ASSIGNING("Assigning"), RECONCILING("Reconciling"), STABLE("Stable"), DEAD("Dead");

        final String kafkaName;

        State(String kafkaName) {
            this.kafkaName = kafkaName;
        }
    }

    final String groupId;
    int groupEpoch;
    int targetAssignmentEpoch;
    final TreeMap<String, KafkaConsumerGroupMember> members = new TreeMap<>();
    /** group.instance.id to member id, for static members. */
    final Map<String, String> staticMembers = new HashMap<>();
    /** Member id to its target partitions, as of {@link #targetAssignmentEpoch}. */
    Map<String, Set<KafkaTopicPartition>> targetAssignment = new HashMap<>();
    /** Partition to the member that owns it: in its current assignment or still revoking it. */
    final Map<KafkaTopicPartition, String> owners = new HashMap<>();
    /** The subscribed topics (id to name and partition count) the target assignment was computed from. */
    Map<UUID, KafkaTopicView.Topic> subscribedTopics = Map.of();
    String assignorName = "";
    boolean dead;

    KafkaConsumerGroup(String groupId) {
        this.groupId = groupId;
    }

    State state() {
        if (dead) {
            return State.DEAD;
        }
        if (members.isEmpty()) {
            return State.EMPTY;
        }
        if (groupEpoch > targetAssignmentEpoch) {
            return State.ASSIGNING;
        }
        for (KafkaConsumerGroupMember m : members.values()) {
            if (m.memberEpoch != KafkaConsumerGroupMember.STATIC_LEFT_EPOCH && !m.reconciledTo(targetAssignmentEpoch)) {
                return State.RECONCILING;
            }
        }
        return State.STABLE;
    }
}
