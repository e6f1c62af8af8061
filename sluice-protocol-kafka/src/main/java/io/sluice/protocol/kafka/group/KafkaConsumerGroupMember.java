package io.sluice.protocol.kafka.group;

import com.google.re2j.Pattern;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One member of a KIP-848 consumer group: its subscription, its epochs and its current assignment on the way to the
 * group's target assignment. Guarded by its group's monitor.
 *
 * <p>The current assignment moves toward the target in steps (Kafka's reconciliation): partitions leaving the member
 * first sit in {@link #pendingRevocation} while the epoch stays put ({@link State#UNREVOKED_PARTITIONS}); once the
 * member reports in a heartbeat that it no longer owns them they are released, the member takes the new epoch and
 * gets every target partition nobody else owns any more; partitions still owned elsewhere are granted on later
 * heartbeats ({@link State#UNRELEASED_PARTITIONS}).
 */
final class KafkaConsumerGroupMember {

    /** Reconciliation state; the names are Kafka's (ConsumerGroupDescribe does not expose them, logs do). */
    enum State { STABLE, UNREVOKED_PARTITIONS, UNRELEASED_PARTITIONS }

    /** Epoch of a static member that left temporarily (heartbeat with epoch -2) and keeps its assignment. */
    static final int STATIC_LEFT_EPOCH = -2;

    final String memberId;
    String instanceId;
    String rackId;
    String clientId = "";
    String clientHost = "";
    int rebalanceTimeoutMs;
    List<String> subscribedTopicNames = List.of();
    String subscribedTopicRegex;
    Pattern regex;
    String serverAssignor;
    int memberEpoch;
    int previousMemberEpoch;
    /** The epoch before a static member's temporary leave, restored when its instance rejoins. */
    int epochBeforeStaticLeave;
    State state = State.STABLE;
    final Set<KafkaTopicPartition> assigned = new TreeSet<>();
    final Set<KafkaTopicPartition> pendingRevocation = new TreeSet<>();
    long sessionDeadline;
    long revocationDeadline;

    KafkaConsumerGroupMember(String memberId) {
        this.memberId = memberId;
    }

    boolean reconciledTo(int targetEpoch) {
        return state == State.STABLE && memberEpoch == targetEpoch;
    }

    boolean subscribes(String topicName) {
        return subscribedTopicNames.contains(topicName) || (regex != null && regex.matches(topicName));
    }
}
