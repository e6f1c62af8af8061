package io.sluice.protocol.kafka.group;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The state of one classic consumer group: members, generation, chosen protocol and leader. A plain data holder
 * guarded by its own monitor; {@link KafkaGroupCoordinator} holds the transitions.
 *
 * <pre>
 *   EMPTY --join--> PREPARING_REBALANCE --all joined / timeout--> COMPLETING_REBALANCE --leader sync--> STABLE
 *     ^                  ^    |(no members left)                        |                                  |
 *     +------------------+----+        member joins, leaves or expires: +----------------------------------+
 * </pre>
 */
final class KafkaGroup {

    enum State {
        EMPTY("Empty"), PREPARING_REBALANCE("PreparingRebalance"), COMPLETING_REBALANCE("CompletingRebalance"),
        STABLE("Stable"), DEAD("Dead");

        final String kafkaName;

        State(String kafkaName) {
            this.kafkaName = kafkaName;
        }
    }

    final String groupId;
    State state = State.EMPTY;
    int generation;
    String protocolType;
    String protocolName;
    String leaderId;
    final LinkedHashMap<String, KafkaGroupMember> members = new LinkedHashMap<>();
    /** group.instance.id to member id, for static members. */
    final Map<String, String> staticMembers = new HashMap<>();
    /** Member ids handed out with MEMBER_ID_REQUIRED, to their expiry time. */
    final Map<String, Long> pendingMembers = new HashMap<>();
    long rebalanceDeadline;
    long initialDelayUntil;
    long syncDeadline;

    KafkaGroup(String groupId) {
        this.groupId = groupId;
    }

    boolean allMembersJoined() {
        for (KafkaGroupMember m : members.values()) {
            if (m.pendingJoin == null) {
                return false;
            }
        }
        return true;
    }

    int maxRebalanceTimeout() {
        int max = 0;
        for (KafkaGroupMember m : members.values()) {
            max = Math.max(max, m.rebalanceTimeoutMs);
        }
        return max;
    }
}
