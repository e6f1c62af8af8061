package io.sluice.protocol.kafka.group;

import io.sluice.protocol.kafka.message.JoinGroupResponse;
import io.sluice.protocol.kafka.message.SyncGroupResponse;

import java.util.LinkedHashMap;
import java.util.concurrent.CompletableFuture;

/** One member of a classic group. Guarded by its group's monitor. */
final class KafkaGroupMember {

    final String memberId;
    final String groupInstanceId;
    String clientId;
    String clientHost;
    int sessionTimeoutMs;
    int rebalanceTimeoutMs;
    /** Protocol name to subscription metadata, in the member's preference order. */
    LinkedHashMap<String, byte[]> protocols = new LinkedHashMap<>();
    byte[] assignment = new byte[0];
    CompletableFuture<JoinGroupResponse> pendingJoin;
    short joinVersion;
    CompletableFuture<SyncGroupResponse> pendingSync;
    long heartbeatDeadline;

    KafkaGroupMember(String memberId, String groupInstanceId) {
        this.memberId = memberId;
        this.groupInstanceId = groupInstanceId;
    }
}
