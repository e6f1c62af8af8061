package io.sluice.protocol.kafka.group;

import io.sluice.protocol.kafka.message.DescribeGroupsResponse;
import io.sluice.protocol.kafka.message.HeartbeatRequest;
import io.sluice.protocol.kafka.message.JoinGroupRequest;
import io.sluice.protocol.kafka.message.JoinGroupResponse;
import io.sluice.protocol.kafka.message.LeaveGroupRequest;
import io.sluice.protocol.kafka.message.LeaveGroupResponse;
import io.sluice.protocol.kafka.message.SyncGroupRequest;
import io.sluice.protocol.kafka.message.SyncGroupResponse;
import io.sluice.protocol.kafka.session.KafkaErrors;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The classic group protocol (JoinGroup, SyncGroup, Heartbeat, LeaveGroup) as an in-memory state machine per group.
 * Assignors run in the clients (the leader computes the assignment and hands it over in SyncGroup), so eager and
 * cooperative rebalancing both work; the coordinator only sequences generations. Membership is not durable: after a
 * restart members rejoin, as they do when a Kafka coordinator moves. Committed offsets are durable, in the core.
 *
 * <p>Follows Kafka's behaviour where clients depend on it: MEMBER_ID_REQUIRED on a first v4+ join without a member
 * id (v0-3 joins are accepted directly), static membership by group.instance.id (a rejoining instance takes over its
 * old member and fences the old id), commits accepted during PreparingRebalance with the old generation, an initial
 * rebalance delay for empty groups.
 *
 * <p><b>Threading.</b> Each group is guarded by its own monitor; no call holds two. Responses are completed under
 * the monitor (their continuations only hop to an event loop). A timer thread sweeps every group each 100 ms for
 * expired sessions and rebalance deadlines.
 */
public final class KafkaGroupCoordinator implements AutoCloseable {

    private static final long SWEEP_MS = 100;

    private final ConcurrentHashMap<String, KafkaGroup> groups = new ConcurrentHashMap<>();
    private final Clock clock;
    private final int initialRebalanceDelayMs;
    private final int minSessionTimeoutMs;
    private final int maxSessionTimeoutMs;
    private final ScheduledFuture<?> sweeper;

    public KafkaGroupCoordinator(Clock clock, ScheduledExecutorService scheduler, int initialRebalanceDelayMs,
                                 int minSessionTimeoutMs, int maxSessionTimeoutMs) {
        this.clock = clock;
        this.initialRebalanceDelayMs = initialRebalanceDelayMs;
        this.minSessionTimeoutMs = minSessionTimeoutMs;
        this.maxSessionTimeoutMs = maxSessionTimeoutMs;
        this.sweeper = scheduler.scheduleWithFixedDelay(this::sweep, SWEEP_MS, SWEEP_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        sweeper.cancel(false);
    }

    // ---------------------------------------------------------------- join

    public CompletableFuture<JoinGroupResponse> join(JoinGroupRequest req, short version, String clientId, String clientHost) {
        if (req.groupId == null || req.groupId.isEmpty()) {
            return CompletableFuture.completedFuture(joinError(version, KafkaErrors.INVALID_GROUP_ID, req.memberId));
        }
        if (req.sessionTimeoutMs < minSessionTimeoutMs || req.sessionTimeoutMs > maxSessionTimeoutMs) {
            return CompletableFuture.completedFuture(joinError(version, KafkaErrors.INVALID_SESSION_TIMEOUT, req.memberId));
        }
        while (true) {
            KafkaGroup g = groups.computeIfAbsent(req.groupId, KafkaGroup::new);
            synchronized (g) {
                if (g.state == KafkaGroup.State.DEAD) {
                    continue; // deleted concurrently; a fresh group replaces it
                }
                return joinLocked(g, req, version, clientId, clientHost);
            }
        }
    }

    private CompletableFuture<JoinGroupResponse> joinLocked(KafkaGroup g, JoinGroupRequest req, short version,
                                                          String clientId, String clientHost) {
        long now = clock.millis();
        if (!g.members.isEmpty() && !compatible(g, req)) {
            return CompletableFuture.completedFuture(joinError(version, KafkaErrors.INCONSISTENT_GROUP_PROTOCOL, req.memberId));
        }
        String instanceId = version >= 5 ? req.groupInstanceId : null;
        String memberId = req.memberId == null ? "" : req.memberId;
        boolean isNew = false;
        KafkaGroupMember member;
        if (memberId.isEmpty()) {
            String fresh = (clientId == null || clientId.isEmpty() ? "member" : clientId) + "-" + UUID.randomUUID();
            if (instanceId != null) {
                String old = g.staticMembers.get(instanceId);
                KafkaGroupMember previous = old == null ? null : g.members.remove(old);
                member = new KafkaGroupMember(fresh, instanceId);
                if (previous != null) {
                    member.assignment = previous.assignment;
                    if (previous.pendingJoin != null) {
                        previous.pendingJoin.complete(joinError(previous.joinVersion, KafkaErrors.FENCED_INSTANCE_ID, old));
                    }
                    if (previous.pendingSync != null) {
                        previous.pendingSync.complete(new SyncGroupResponse().setErrorCode(KafkaErrors.FENCED_INSTANCE_ID));
                    }
                    if (old.equals(g.leaderId)) {
                        g.leaderId = fresh;
                    }
                }
                g.staticMembers.put(instanceId, fresh);
                g.members.put(fresh, member);
                isNew = previous == null;
            } else if (version >= 4) {
                g.pendingMembers.put(fresh, now + req.sessionTimeoutMs);
                return CompletableFuture.completedFuture(joinError(version, KafkaErrors.MEMBER_ID_REQUIRED, fresh));
            } else {
                member = new KafkaGroupMember(fresh, null);
                g.members.put(fresh, member);
                isNew = true;
            }
        } else if (g.pendingMembers.remove(memberId) != null) {
            member = new KafkaGroupMember(memberId, instanceId);
            g.members.put(memberId, member);
            if (instanceId != null) {
                g.staticMembers.put(instanceId, memberId);
            }
            isNew = true;
        } else {
            member = g.members.get(memberId);
            if (member == null) {
                return CompletableFuture.completedFuture(joinError(version, KafkaErrors.UNKNOWN_MEMBER_ID, memberId));
            }
            if (instanceId != null && !memberId.equals(g.staticMembers.get(instanceId))) {
                return CompletableFuture.completedFuture(joinError(version, KafkaErrors.FENCED_INSTANCE_ID, memberId));
            }
        }
        LinkedHashMap<String, byte[]> protocols = new LinkedHashMap<>();
        for (JoinGroupRequest.JoinGroupRequestProtocol p : req.protocols) {
            protocols.put(p.name, p.metadata);
        }
        boolean sameMetadata = !isNew && sameProtocols(member.protocols, protocols);
        member.protocols = protocols;
        member.clientId = clientId;
        member.clientHost = clientHost;
        member.sessionTimeoutMs = req.sessionTimeoutMs;
        member.rebalanceTimeoutMs = version >= 1 && req.rebalanceTimeoutMs > 0 ? req.rebalanceTimeoutMs : req.sessionTimeoutMs;
        member.heartbeatDeadline = now + member.sessionTimeoutMs;
        if (g.members.size() == 1 || g.protocolType == null) {
            g.protocolType = req.protocolType;
        }
        CompletableFuture<JoinGroupResponse> f = new CompletableFuture<>();
        if (member.pendingJoin != null) {
            member.pendingJoin.complete(joinError(member.joinVersion, KafkaErrors.UNKNOWN_MEMBER_ID, member.memberId));
        }
        member.pendingJoin = f;
        member.joinVersion = version;

        if (g.state == KafkaGroup.State.STABLE && sameMetadata && !member.memberId.equals(g.leaderId)) {
            // A follower rejoining with unchanged metadata gets the current generation back without a rebalance.
            member.pendingJoin = null;
            f.complete(joinResponse(g, member, version, false));
            return f;
        }
        if (g.state != KafkaGroup.State.PREPARING_REBALANCE) {
            prepareRebalance(g, now);
        } else if (isNew && now < g.initialDelayUntil) {
            g.initialDelayUntil = Math.min(now + initialRebalanceDelayMs, g.rebalanceDeadline);
        }
        g.rebalanceDeadline = Math.max(g.rebalanceDeadline, now + member.rebalanceTimeoutMs);
        maybeCompleteJoin(g, now);
        return f;
    }

    private static boolean sameProtocols(Map<String, byte[]> a, Map<String, byte[]> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<String, byte[]> e : a.entrySet()) {
            if (!java.util.Arrays.equals(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean compatible(KafkaGroup g, JoinGroupRequest req) {
        if (g.protocolType != null && !g.protocolType.equals(req.protocolType)) {
            return false;
        }
        for (JoinGroupRequest.JoinGroupRequestProtocol p : req.protocols) {
            boolean all = true;
            for (KafkaGroupMember m : g.members.values()) {
                if (!m.memberId.equals(req.memberId) && !m.protocols.containsKey(p.name)) {
                    all = false;
                    break;
                }
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    private void prepareRebalance(KafkaGroup g, long now) {
        if (g.state == KafkaGroup.State.COMPLETING_REBALANCE) {
            for (KafkaGroupMember m : g.members.values()) {
                if (m.pendingSync != null) {
                    m.pendingSync.complete(new SyncGroupResponse().setErrorCode(KafkaErrors.REBALANCE_IN_PROGRESS));
                    m.pendingSync = null;
                }
            }
        }
        boolean wasEmpty = g.state == KafkaGroup.State.EMPTY;
        g.state = KafkaGroup.State.PREPARING_REBALANCE;
        g.rebalanceDeadline = now + g.maxRebalanceTimeout();
        g.initialDelayUntil = wasEmpty ? Math.min(now + initialRebalanceDelayMs, g.rebalanceDeadline) : now;
    }

    private void maybeCompleteJoin(KafkaGroup g, long now) {
        if (g.state != KafkaGroup.State.PREPARING_REBALANCE) {
            return;
        }
        if ((g.allMembersJoined() && now >= g.initialDelayUntil) || now >= g.rebalanceDeadline) {
            completeJoin(g, now);
        }
    }

    private void completeJoin(KafkaGroup g, long now) {
        for (Iterator<KafkaGroupMember> it = g.members.values().iterator(); it.hasNext(); ) {
            KafkaGroupMember m = it.next();
            if (m.pendingJoin == null) {
                it.remove();
                if (m.groupInstanceId != null) {
                    g.staticMembers.remove(m.groupInstanceId, m.memberId);
                }
            }
        }
        g.generation++;
        if (g.members.isEmpty()) {
            g.state = KafkaGroup.State.EMPTY;
            g.protocolName = null;
            g.leaderId = null;
            return;
        }
        g.protocolName = chooseProtocol(g);
        if (g.leaderId == null || !g.members.containsKey(g.leaderId)) {
            g.leaderId = g.members.keySet().iterator().next();
        }
        g.state = KafkaGroup.State.COMPLETING_REBALANCE;
        g.syncDeadline = now + g.maxRebalanceTimeout();
        for (KafkaGroupMember m : g.members.values()) {
            m.assignment = new byte[0];
            m.heartbeatDeadline = now + m.sessionTimeoutMs;
            CompletableFuture<JoinGroupResponse> f = m.pendingJoin;
            m.pendingJoin = null;
            f.complete(joinResponse(g, m, m.joinVersion, true));
        }
    }

    /** The first protocol of the leader-candidate's preference list that every member supports. */
    private static String chooseProtocol(KafkaGroup g) {
        KafkaGroupMember first = g.members.values().iterator().next();
        for (String p : first.protocols.keySet()) {
            boolean all = true;
            for (KafkaGroupMember m : g.members.values()) {
                all &= m.protocols.containsKey(p);
            }
            if (all) {
                return p;
            }
        }
        return first.protocols.keySet().iterator().next();
    }

    private static JoinGroupResponse joinResponse(KafkaGroup g, KafkaGroupMember m, short version, boolean withMembers) {
        JoinGroupResponse r = new JoinGroupResponse().setGenerationId(g.generation).setProtocolType(g.protocolType)
                .setProtocolName(g.protocolName).setLeader(g.leaderId).setMemberId(m.memberId);
        if (withMembers && m.memberId.equals(g.leaderId)) {
            for (KafkaGroupMember x : g.members.values()) {
                r.members.add(new JoinGroupResponse.JoinGroupResponseMember().setMemberId(x.memberId)
                        .setGroupInstanceId(x.groupInstanceId).setMetadata(x.protocols.get(g.protocolName)));
            }
        }
        return r;
    }

    private static JoinGroupResponse joinError(short version, short error, String memberId) {
        return new JoinGroupResponse().setErrorCode(error).setGenerationId(-1).setProtocolType(null)
                .setProtocolName(version >= 7 ? null : "").setLeader("").setMemberId(memberId == null ? "" : memberId);
    }

    // ---------------------------------------------------------------- sync, heartbeat, leave

    public CompletableFuture<SyncGroupResponse> sync(SyncGroupRequest req, short version) {
        KafkaGroup g = groups.get(req.groupId);
        if (g == null) {
            return CompletableFuture.completedFuture(new SyncGroupResponse().setErrorCode(KafkaErrors.UNKNOWN_MEMBER_ID));
        }
        synchronized (g) {
            KafkaGroupMember m = g.members.get(req.memberId);
            short err = validateMember(g, m, req.generationId, version >= 3 ? req.groupInstanceId : null);
            if (err == KafkaErrors.NONE && version >= 5 && ((req.protocolType != null && !req.protocolType.equals(g.protocolType))
                    || (req.protocolName != null && !req.protocolName.equals(g.protocolName)))) {
                err = KafkaErrors.INCONSISTENT_GROUP_PROTOCOL;
            }
            if (err != KafkaErrors.NONE) {
                return CompletableFuture.completedFuture(new SyncGroupResponse().setErrorCode(err));
            }
            long now = clock.millis();
            m.heartbeatDeadline = now + m.sessionTimeoutMs;
            switch (g.state) {
                case PREPARING_REBALANCE -> {
                    return CompletableFuture.completedFuture(new SyncGroupResponse().setErrorCode(KafkaErrors.REBALANCE_IN_PROGRESS));
                }
                case STABLE -> {
                    return CompletableFuture.completedFuture(syncResponse(g, m));
                }
                case COMPLETING_REBALANCE -> {
                    CompletableFuture<SyncGroupResponse> f = new CompletableFuture<>();
                    if (m.pendingSync != null) {
                        m.pendingSync.complete(new SyncGroupResponse().setErrorCode(KafkaErrors.REBALANCE_IN_PROGRESS));
                    }
                    m.pendingSync = f;
                    if (m.memberId.equals(g.leaderId)) {
                        for (SyncGroupRequest.SyncGroupRequestAssignment a : req.assignments) {
                            KafkaGroupMember target = g.members.get(a.memberId);
                            if (target != null) {
                                target.assignment = a.assignment;
                            }
                        }
                        g.state = KafkaGroup.State.STABLE;
                        for (KafkaGroupMember x : g.members.values()) {
                            if (x.pendingSync != null) {
                                x.pendingSync.complete(syncResponse(g, x));
                                x.pendingSync = null;
                            }
                        }
                    }
                    return f;
                }
                default -> {
                    return CompletableFuture.completedFuture(new SyncGroupResponse().setErrorCode(KafkaErrors.UNKNOWN_MEMBER_ID));
                }
            }
        }
    }

    private static SyncGroupResponse syncResponse(KafkaGroup g, KafkaGroupMember m) {
        return new SyncGroupResponse().setProtocolType(g.protocolType).setProtocolName(g.protocolName)
                .setAssignment(m.assignment);
    }

    private static short validateMember(KafkaGroup g, KafkaGroupMember m, int generation, String instanceId) {
        if (instanceId != null && g.staticMembers.containsKey(instanceId)
                && (m == null || !m.memberId.equals(g.staticMembers.get(instanceId)))) {
            return KafkaErrors.FENCED_INSTANCE_ID;
        }
        if (m == null) {
            return KafkaErrors.UNKNOWN_MEMBER_ID;
        }
        if (instanceId != null && !m.memberId.equals(g.staticMembers.get(instanceId))) {
            return KafkaErrors.FENCED_INSTANCE_ID;
        }
        if (generation != g.generation) {
            return KafkaErrors.ILLEGAL_GENERATION;
        }
        return KafkaErrors.NONE;
    }

    public short heartbeat(HeartbeatRequest req, short version) {
        KafkaGroup g = groups.get(req.groupId);
        if (g == null) {
            return KafkaErrors.UNKNOWN_MEMBER_ID;
        }
        synchronized (g) {
            KafkaGroupMember m = g.members.get(req.memberId);
            short err = validateMember(g, m, req.generationId, version >= 3 ? req.groupInstanceId : null);
            if (m != null && err != KafkaErrors.UNKNOWN_MEMBER_ID && err != KafkaErrors.FENCED_INSTANCE_ID) {
                m.heartbeatDeadline = clock.millis() + m.sessionTimeoutMs;
            }
            if (err != KafkaErrors.NONE) {
                return err;
            }
            return switch (g.state) {
                case PREPARING_REBALANCE -> KafkaErrors.REBALANCE_IN_PROGRESS;
                case STABLE, COMPLETING_REBALANCE -> KafkaErrors.NONE;
                default -> KafkaErrors.UNKNOWN_MEMBER_ID;
            };
        }
    }

    public LeaveGroupResponse leave(LeaveGroupRequest req, short version) {
        LeaveGroupResponse resp = new LeaveGroupResponse();
        List<LeaveGroupRequest.MemberIdentity> leaving = new ArrayList<>();
        if (version < 3) {
            leaving.add(new LeaveGroupRequest.MemberIdentity().setMemberId(req.memberId));
        } else {
            leaving.addAll(req.members);
        }
        KafkaGroup g = groups.get(req.groupId);
        if (g == null) {
            if (version < 3) {
                return resp.setErrorCode(KafkaErrors.UNKNOWN_MEMBER_ID);
            }
            for (LeaveGroupRequest.MemberIdentity id : leaving) {
                resp.members.add(new LeaveGroupResponse.MemberResponse().setMemberId(id.memberId)
                        .setGroupInstanceId(id.groupInstanceId).setErrorCode(KafkaErrors.UNKNOWN_MEMBER_ID));
            }
            return resp;
        }
        synchronized (g) {
            long now = clock.millis();
            boolean removedAny = false;
            for (LeaveGroupRequest.MemberIdentity id : leaving) {
                String memberId = id.memberId;
                if ((memberId == null || memberId.isEmpty()) && id.groupInstanceId != null) {
                    memberId = g.staticMembers.get(id.groupInstanceId);
                }
                KafkaGroupMember m = memberId == null ? null : g.members.get(memberId);
                short err = KafkaErrors.NONE;
                if (m == null) {
                    err = g.pendingMembers.remove(memberId) != null ? KafkaErrors.NONE : KafkaErrors.UNKNOWN_MEMBER_ID;
                } else if (id.groupInstanceId != null && !m.memberId.equals(g.staticMembers.get(id.groupInstanceId))) {
                    err = KafkaErrors.FENCED_INSTANCE_ID;
                } else {
                    removeMember(g, m);
                    removedAny = true;
                }
                if (version < 3) {
                    resp.errorCode = err;
                } else {
                    resp.members.add(new LeaveGroupResponse.MemberResponse().setMemberId(id.memberId)
                            .setGroupInstanceId(id.groupInstanceId).setErrorCode(err));
                }
            }
            if (removedAny) {
                membershipChanged(g, now);
            }
        }
        return resp;
    }

    private static void removeMember(KafkaGroup g, KafkaGroupMember m) {
        g.members.remove(m.memberId);
        if (m.groupInstanceId != null) {
            g.staticMembers.remove(m.groupInstanceId, m.memberId);
        }
        if (m.pendingJoin != null) {
            m.pendingJoin.complete(joinError(m.joinVersion, KafkaErrors.UNKNOWN_MEMBER_ID, m.memberId));
            m.pendingJoin = null;
        }
        if (m.pendingSync != null) {
            m.pendingSync.complete(new SyncGroupResponse().setErrorCode(KafkaErrors.UNKNOWN_MEMBER_ID));
            m.pendingSync = null;
        }
    }

    private void membershipChanged(KafkaGroup g, long now) {
        switch (g.state) {
            case STABLE, COMPLETING_REBALANCE -> prepareRebalance(g, now);
            case EMPTY, DEAD -> {
                return;
            }
            default -> {
            }
        }
        if (g.members.isEmpty()) {
            completeJoin(g, now);
        } else {
            maybeCompleteJoin(g, now);
        }
    }

    // ---------------------------------------------------------------- timers

    void sweep() {
        long now = clock.millis();
        for (KafkaGroup g : groups.values()) {
            synchronized (g) {
                g.pendingMembers.values().removeIf(deadline -> deadline < now);
                boolean changed = false;
                for (KafkaGroupMember m : new ArrayList<>(g.members.values())) {
                    if (m.pendingJoin == null && m.heartbeatDeadline < now) {
                        removeMember(g, m);
                        changed = true;
                    }
                }
                if (changed) {
                    membershipChanged(g, now);
                }
                if (g.state == KafkaGroup.State.COMPLETING_REBALANCE && now > g.syncDeadline) {
                    prepareRebalance(g, now);
                }
                maybeCompleteJoin(g, now);
            }
        }
    }

    // ---------------------------------------------------------------- offsets and admin

    /**
     * Whether a commit from this member may proceed: simple commits (generation -1, no member id) only when the
     * group has no members; otherwise the member must be known and its generation current. Commits during
     * PreparingRebalance are allowed (eager consumers commit before rejoining), not during CompletingRebalance.
     */
    public short validateCommit(String groupId, int generation, String memberId, String instanceId) {
        KafkaGroup g = groups.get(groupId);
        if (g == null) {
            return generation < 0 ? KafkaErrors.NONE : KafkaErrors.ILLEGAL_GENERATION;
        }
        synchronized (g) {
            if (generation < 0 && (memberId == null || memberId.isEmpty())) {
                return g.members.isEmpty() ? KafkaErrors.NONE : KafkaErrors.ILLEGAL_GENERATION;
            }
            if (g.state == KafkaGroup.State.COMPLETING_REBALANCE) {
                return KafkaErrors.REBALANCE_IN_PROGRESS;
            }
            KafkaGroupMember m = g.members.get(memberId);
            short err = validateMember(g, m, generation, instanceId);
            if (err == KafkaErrors.NONE) {
                m.heartbeatDeadline = Math.max(m.heartbeatDeadline, clock.millis() + m.sessionTimeoutMs);
            }
            return err;
        }
    }

    /** A DescribeGroups entry; {@code knownByOffsets} groups without members are reported Empty, others Dead. */
    public DescribeGroupsResponse.DescribedGroup describe(String groupId, boolean knownByOffsets) {
        DescribeGroupsResponse.DescribedGroup d = new DescribeGroupsResponse.DescribedGroup().setGroupId(groupId)
                .setProtocolType("").setProtocolData("");
        KafkaGroup g = groups.get(groupId);
        if (g == null) {
            return d.setGroupState(knownByOffsets ? KafkaGroup.State.EMPTY.kafkaName : KafkaGroup.State.DEAD.kafkaName);
        }
        synchronized (g) {
            d.setGroupState(g.state.kafkaName).setProtocolType(g.protocolType == null ? "" : g.protocolType)
                    .setProtocolData(g.state == KafkaGroup.State.STABLE && g.protocolName != null ? g.protocolName : "");
            for (KafkaGroupMember m : g.members.values()) {
                d.members.add(new DescribeGroupsResponse.DescribedGroupMember().setMemberId(m.memberId)
                        .setGroupInstanceId(m.groupInstanceId).setClientId(m.clientId == null ? "" : m.clientId)
                        .setClientHost(m.clientHost == null ? "" : m.clientHost)
                        .setMemberMetadata(g.protocolName == null || m.protocols.get(g.protocolName) == null ? new byte[0]
                                : m.protocols.get(g.protocolName))
                        .setMemberAssignment(m.assignment));
            }
        }
        return d;
    }

    /** Live groups: id to (state, protocol type). */
    public Map<String, String[]> list() {
        Map<String, String[]> out = new LinkedHashMap<>();
        for (KafkaGroup g : groups.values()) {
            synchronized (g) {
                if (g.state != KafkaGroup.State.DEAD) {
                    out.put(g.groupId, new String[] {g.state.kafkaName, g.protocolType == null ? "" : g.protocolType});
                }
            }
        }
        return out;
    }

    public boolean exists(String groupId) {
        return groups.containsKey(groupId);
    }

    /** Removes an empty group's state; NON_EMPTY_GROUP if it has members. */
    public short delete(String groupId) {
        KafkaGroup g = groups.get(groupId);
        if (g == null) {
            return KafkaErrors.NONE;
        }
        synchronized (g) {
            if (!g.members.isEmpty()) {
                return KafkaErrors.NON_EMPTY_GROUP;
            }
            g.state = KafkaGroup.State.DEAD;
            groups.remove(groupId, g);
            return KafkaErrors.NONE;
        }
    }
}
