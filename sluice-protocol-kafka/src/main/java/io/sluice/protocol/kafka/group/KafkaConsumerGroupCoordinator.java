package io.sluice.protocol.kafka.group;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.sluice.protocol.kafka.message.ConsumerGroupDescribeResponse;
import io.sluice.protocol.kafka.message.ConsumerGroupHeartbeatRequest;
import io.sluice.protocol.kafka.message.ConsumerGroupHeartbeatResponse;
import io.sluice.protocol.kafka.session.KafkaErrors;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The KIP-848 consumer group protocol (ConsumerGroupHeartbeat): membership by heartbeat, server-side assignment with
 * the {@code uniform} (default) or {@code range} assignor, and incremental reconciliation per member, as Apache
 * Kafka's group coordinator does it.
 *
 * <p>Rules kept from Kafka because clients depend on them: a partition is given to a new member only after its
 * previous owner reported in a heartbeat that it revoked it; a member that does not finish revoking within its
 * rebalance timeout, or does not heartbeat within the session timeout, is expelled; a member sending an epoch other
 * than its current (or, with a subset of its partitions, its previous) one is fenced with FENCED_MEMBER_EPOCH and
 * rejoins; offset commits and fetches must carry the member's current epoch (STALE_MEMBER_EPOCH otherwise); a static
 * member (instance id) leaving with epoch -2 keeps its partitions until its session times out, and a new member
 * with the same instance id takes them over; the group epoch changes when members, subscriptions or the partition
 * counts of subscribed topics change. Regex subscriptions use RE2/J syntax and are matched in full against topic
 * names, re-resolved on every heartbeat.
 *
 * <p><b>Durability.</b> Membership and assignments are in memory only (committed offsets are durable, in the core).
 * After a restart a member's heartbeat gets UNKNOWN_MEMBER_ID, and the client rejoins with epoch 0 under its own
 * member id, resuming from the committed offsets; Kafka allows exactly this after a member is fenced.
 *
 * <p><b>Classic groups.</b> A group id is either classic or consumer: a heartbeat for a classic group that has
 * members fails with GROUP_ID_NOT_FOUND, as Kafka does when online migration is disabled; an empty classic group is
 * taken over. The classic coordinator is consulted through a predicate so that neither coordinator holds the
 * other's monitors; the price is that the very first joins of both protocols racing on an unused group id can
 * both succeed (each then sees the other's group once it has members).
 *
 * <p><b>Threading.</b> Each group is guarded by its own monitor; no call holds two. A timer thread sweeps every group
 * each 100 ms for expired sessions and revocation deadlines.
 */
public final class KafkaConsumerGroupCoordinator implements AutoCloseable {

    private static final long SWEEP_MS = 100;

    private final ConcurrentHashMap<String, KafkaConsumerGroup> groups = new ConcurrentHashMap<>();
    private final Clock clock;
    private final KafkaTopicView topics;
    private final int sessionTimeoutMs;
    private final int heartbeatIntervalMs;
    private final Map<String, KafkaAssignor> assignors = new LinkedHashMap<>();
    private final String defaultAssignor;
    private final Predicate<String> classicTakeover;
    private final ScheduledFuture<?> sweeper;

    /**
     * @param assignorNames    the enabled assignors, by name ({@code uniform}, {@code range}); the first is the default
     * @param classicTakeover  for a group id: true if no classic group with members uses it (an empty classic group
     *                         is removed), false if a classic group with members does
     */
    public KafkaConsumerGroupCoordinator(Clock clock, ScheduledExecutorService scheduler, KafkaTopicView topics,
                                         int sessionTimeoutMs, int heartbeatIntervalMs, List<String> assignorNames,
                                         Predicate<String> classicTakeover) {
        this.clock = clock;
        this.topics = topics;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.heartbeatIntervalMs = heartbeatIntervalMs;
        this.classicTakeover = classicTakeover;
        for (String name : assignorNames) {
            KafkaAssignor a = switch (name.trim()) {
                case KafkaUniformAssignor.NAME -> new KafkaUniformAssignor();
                case KafkaRangeAssignor.NAME -> new KafkaRangeAssignor();
                default -> throw new IllegalArgumentException("unknown consumer group assignor '" + name
                        + "' (supported: uniform, range)");
            };
            assignors.put(a.name(), a);
        }
        if (assignors.isEmpty()) {
            throw new IllegalArgumentException("at least one consumer group assignor must be enabled");
        }
        this.defaultAssignor = assignors.keySet().iterator().next();
        this.sweeper = scheduler.scheduleWithFixedDelay(this::sweep, SWEEP_MS, SWEEP_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        sweeper.cancel(false);
    }

    // ---------------------------------------------------------------- heartbeat

    public ConsumerGroupHeartbeatResponse heartbeat(ConsumerGroupHeartbeatRequest req, short version, String clientId,
                                                    String clientHost) {
        ConsumerGroupHeartbeatResponse invalid = validate(req, version);
        if (invalid != null) {
            return invalid;
        }
        String groupId = req.groupId;
        boolean joining = req.memberEpoch == 0;
        while (true) {
            KafkaConsumerGroup g = groups.get(groupId);
            if (g == null) {
                if (!classicTakeover.test(groupId)) {
                    return error(KafkaErrors.GROUP_ID_NOT_FOUND, joining
                            ? "Cannot upgrade classic group " + groupId + " to consumer group because online upgrade is disabled."
                            : "Group " + groupId + " is not a consumer group.");
                }
                if (!joining) {
                    return error(KafkaErrors.UNKNOWN_MEMBER_ID, "Member " + req.memberId + " is not a member of group "
                            + groupId + ".");
                }
                g = groups.computeIfAbsent(groupId, KafkaConsumerGroup::new);
            }
            synchronized (g) {
                if (g.dead) {
                    continue; // deleted concurrently
                }
                return heartbeatLocked(g, req, version, clientId, clientHost, clock.millis());
            }
        }
    }

    private ConsumerGroupHeartbeatResponse validate(ConsumerGroupHeartbeatRequest req, short version) {
        if (req.groupId == null || req.groupId.isEmpty()) {
            return error(KafkaErrors.INVALID_REQUEST, "GroupId can't be empty.");
        }
        if ((version >= 1 || req.memberEpoch != 0) && (req.memberId == null || req.memberId.isEmpty())) {
            return error(KafkaErrors.INVALID_REQUEST, "MemberId can't be empty.");
        }
        if (req.memberEpoch < KafkaConsumerGroupMember.STATIC_LEFT_EPOCH) {
            return error(KafkaErrors.INVALID_REQUEST, "MemberEpoch is invalid.");
        }
        if (req.memberEpoch == KafkaConsumerGroupMember.STATIC_LEFT_EPOCH && req.instanceId == null) {
            return error(KafkaErrors.INVALID_REQUEST, "InstanceId can't be null.");
        }
        if (req.memberEpoch == 0) {
            if (req.rebalanceTimeoutMs == -1) {
                return error(KafkaErrors.INVALID_REQUEST, "RebalanceTimeoutMs must be provided in first request.");
            }
            if (req.topicPartitions == null || !req.topicPartitions.isEmpty()) {
                return error(KafkaErrors.INVALID_REQUEST, "TopicPartitions must be empty when (re-)joining.");
            }
            if (req.subscribedTopicNames == null && (req.subscribedTopicRegex == null || req.subscribedTopicRegex.isEmpty())) {
                return error(KafkaErrors.INVALID_REQUEST,
                        "SubscribedTopicNames or SubscribedTopicRegex must be set in first request.");
            }
        }
        if (req.subscribedTopicRegex != null && !req.subscribedTopicRegex.isEmpty()) {
            try {
                Pattern.compile(req.subscribedTopicRegex);
            } catch (PatternSyntaxException e) {
                return error(KafkaErrors.INVALID_REGULAR_EXPRESSION, "SubscribedTopicRegex `" + req.subscribedTopicRegex
                        + "` is not a valid regular expression: " + e.getMessage() + ".");
            }
        }
        if (req.serverAssignor != null && !assignors.containsKey(req.serverAssignor)) {
            return error(KafkaErrors.UNSUPPORTED_ASSIGNOR, "ServerAssignor " + req.serverAssignor
                    + " is not supported. Supported assignors: " + String.join(", ", assignors.keySet()) + ".");
        }
        return null;
    }

    private ConsumerGroupHeartbeatResponse heartbeatLocked(KafkaConsumerGroup g, ConsumerGroupHeartbeatRequest req,
                                                           short version, String clientId, String clientHost, long now) {
        String memberId = req.memberId == null || req.memberId.isEmpty() ? UUID.randomUUID().toString() : req.memberId;
        KafkaConsumerGroupMember m = g.members.get(memberId);
        if (req.memberEpoch < 0) {
            if (m == null) {
                return error(KafkaErrors.UNKNOWN_MEMBER_ID, "Member " + memberId + " is not a member of group " + g.groupId + ".");
            }
            if (req.memberEpoch == KafkaConsumerGroupMember.STATIC_LEFT_EPOCH && m.instanceId != null) {
                if (m.memberEpoch != KafkaConsumerGroupMember.STATIC_LEFT_EPOCH) {
                    m.epochBeforeStaticLeave = m.memberEpoch;
                    m.memberEpoch = KafkaConsumerGroupMember.STATIC_LEFT_EPOCH;
                }
            } else {
                removeMember(g, m);
            }
            return new ConsumerGroupHeartbeatResponse().setMemberId(memberId).setMemberEpoch(req.memberEpoch)
                    .setHeartbeatIntervalMs(0);
        }
        boolean bump = false;
        if (req.memberEpoch == 0) {
            boolean tookOver = false;
            if (req.instanceId != null) {
                String holder = g.staticMembers.get(req.instanceId);
                if (holder != null && !holder.equals(memberId)) {
                    KafkaConsumerGroupMember old = g.members.get(holder);
                    if (old != null && old.memberEpoch != KafkaConsumerGroupMember.STATIC_LEFT_EPOCH) {
                        return error(KafkaErrors.UNRELEASED_INSTANCE_ID, "Static member " + holder + " with instance id "
                                + req.instanceId + " is not released yet.");
                    }
                    if (old != null) {
                        m = takeOver(g, old, memberId);
                        tookOver = true;
                    }
                }
            }
            if (tookOver) {
                // the new instance carries on where the old one left off
            } else if (m == null) {
                m = new KafkaConsumerGroupMember(memberId);
                g.members.put(memberId, m);
                bump = true;
            } else if (m.memberEpoch == KafkaConsumerGroupMember.STATIC_LEFT_EPOCH) {
                m.memberEpoch = m.epochBeforeStaticLeave;
            } else {
                // A known member rejoining (after being fenced, or a restart on its side) has given up its partitions.
                release(g, m, m.assigned);
                release(g, m, m.pendingRevocation);
                m.assigned.clear();
                m.pendingRevocation.clear();
                m.state = KafkaConsumerGroupMember.State.STABLE;
                m.previousMemberEpoch = 0;
                m.memberEpoch = 0;
            }
            if (req.instanceId != null) {
                m.instanceId = req.instanceId;
                g.staticMembers.put(req.instanceId, memberId);
            }
        } else {
            if (m == null) {
                return error(KafkaErrors.UNKNOWN_MEMBER_ID, "Member " + memberId + " is not a member of group " + g.groupId + ".");
            }
            Set<KafkaTopicPartition> owned = owned(req);
            if (req.memberEpoch > m.memberEpoch || (req.memberEpoch < m.memberEpoch
                    && (req.memberEpoch != m.previousMemberEpoch || (owned != null && !m.assigned.containsAll(owned))))) {
                return error(KafkaErrors.FENCED_MEMBER_EPOCH, "The member epoch " + req.memberEpoch
                        + " does not match the expected epoch " + m.memberEpoch
                        + ". The member must abandon all its partitions and rejoin.");
            }
            if (req.instanceId != null && m.instanceId != null && !req.instanceId.equals(m.instanceId)) {
                return error(KafkaErrors.FENCED_INSTANCE_ID, "Instance id " + req.instanceId + " does not match member "
                        + memberId + ".");
            }
        }
        bump |= update(m, req, clientId, clientHost);
        m.sessionDeadline = now + sessionTimeoutMs;

        Map<UUID, KafkaTopicView.Topic> subscribed = resolveSubscribedTopics(g);
        if (!subscribed.equals(g.subscribedTopics)) {
            g.subscribedTopics = subscribed;
            bump = true;
        }
        if (bump) {
            g.groupEpoch++;
        }
        if (g.groupEpoch > g.targetAssignmentEpoch) {
            computeTargetAssignment(g);
        }
        Set<KafkaTopicPartition> before = new TreeSet<>(m.assigned);
        reconcile(g, m, owned(req), now);

        ConsumerGroupHeartbeatResponse resp = new ConsumerGroupHeartbeatResponse().setMemberId(memberId)
                .setMemberEpoch(m.memberEpoch).setHeartbeatIntervalMs(heartbeatIntervalMs);
        boolean fullRequest = req.rebalanceTimeoutMs != -1 && req.topicPartitions != null
                && (req.subscribedTopicNames != null || req.subscribedTopicRegex != null);
        if (req.memberEpoch == 0 || fullRequest || !before.equals(m.assigned)) {
            resp.setAssignment(new ConsumerGroupHeartbeatResponse.Assignment().setTopicPartitions(
                    KafkaTopicPartition.byTopic(m.assigned, (id, ps) -> new ConsumerGroupHeartbeatResponse.TopicPartitions()
                            .setTopicId(id).setPartitions(ps))));
        }
        return resp;
    }

    /** A new member id for a static instance that left with epoch -2: it inherits the old member's state. */
    private static KafkaConsumerGroupMember takeOver(KafkaConsumerGroup g, KafkaConsumerGroupMember old, String memberId) {
        KafkaConsumerGroupMember m = new KafkaConsumerGroupMember(memberId);
        m.instanceId = old.instanceId;
        m.rackId = old.rackId;
        m.rebalanceTimeoutMs = old.rebalanceTimeoutMs;
        m.subscribedTopicNames = old.subscribedTopicNames;
        m.subscribedTopicRegex = old.subscribedTopicRegex;
        m.regex = old.regex;
        m.serverAssignor = old.serverAssignor;
        m.memberEpoch = old.memberEpoch == KafkaConsumerGroupMember.STATIC_LEFT_EPOCH ? old.epochBeforeStaticLeave : old.memberEpoch;
        m.previousMemberEpoch = old.previousMemberEpoch;
        m.state = old.state;
        m.assigned.addAll(old.assigned);
        m.pendingRevocation.addAll(old.pendingRevocation);
        m.revocationDeadline = old.revocationDeadline;
        g.members.remove(old.memberId);
        g.members.put(memberId, m);
        Set<KafkaTopicPartition> target = g.targetAssignment.remove(old.memberId);
        if (target != null) {
            g.targetAssignment.put(memberId, target);
        }
        g.owners.replaceAll((tp, owner) -> owner.equals(old.memberId) ? memberId : owner);
        return m;
    }

    /** Applies the fields a heartbeat carries when they changed; true if the subscription changed. */
    private static boolean update(KafkaConsumerGroupMember m, ConsumerGroupHeartbeatRequest req, String clientId,
                                  String clientHost) {
        m.clientId = clientId == null ? "" : clientId;
        m.clientHost = clientHost == null ? "" : clientHost;
        if (req.rackId != null) {
            m.rackId = req.rackId;
        }
        if (req.rebalanceTimeoutMs != -1) {
            m.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
        }
        boolean changed = false;
        if (req.subscribedTopicNames != null) {
            List<String> names = List.copyOf(new TreeSet<>(req.subscribedTopicNames));
            changed |= !names.equals(m.subscribedTopicNames);
            m.subscribedTopicNames = names;
        }
        if (req.subscribedTopicRegex != null) {
            String regex = req.subscribedTopicRegex.isEmpty() ? null : req.subscribedTopicRegex;
            if (!Objects.equals(regex, m.subscribedTopicRegex)) {
                changed = true;
                m.subscribedTopicRegex = regex;
                m.regex = regex == null ? null : Pattern.compile(regex);
            }
        }
        if (req.serverAssignor != null && !req.serverAssignor.equals(m.serverAssignor)) {
            m.serverAssignor = req.serverAssignor;
            changed = true;
        }
        return changed;
    }

    private static Set<KafkaTopicPartition> owned(ConsumerGroupHeartbeatRequest req) {
        if (req.topicPartitions == null) {
            return null;
        }
        Set<KafkaTopicPartition> owned = new HashSet<>();
        for (ConsumerGroupHeartbeatRequest.TopicPartitions t : req.topicPartitions) {
            for (int p : t.partitions) {
                owned.add(new KafkaTopicPartition(t.topicId, p));
            }
        }
        return owned;
    }

    /** Every existing topic some member subscribes to, by name or regex. */
    private Map<UUID, KafkaTopicView.Topic> resolveSubscribedTopics(KafkaConsumerGroup g) {
        Map<UUID, KafkaTopicView.Topic> out = new TreeMap<>();
        boolean anyRegex = false;
        Set<String> names = new TreeSet<>();
        for (KafkaConsumerGroupMember m : g.members.values()) {
            names.addAll(m.subscribedTopicNames);
            anyRegex |= m.regex != null;
        }
        if (anyRegex) {
            for (KafkaTopicView.Topic t : topics.all()) {
                if (names.contains(t.name()) || g.members.values().stream().anyMatch(m -> m.regex != null && m.regex.matches(t.name()))) {
                    out.put(t.id(), t);
                }
            }
        } else {
            for (String name : names) {
                topics.byName(name).ifPresent(t -> out.put(t.id(), t));
            }
        }
        return out;
    }

    /** The assignor most members asked for (ties broken by the configured order), else the default. */
    private KafkaAssignor chooseAssignor(KafkaConsumerGroup g) {
        Map<String, Integer> votes = new HashMap<>();
        for (KafkaConsumerGroupMember m : g.members.values()) {
            if (m.serverAssignor != null) {
                votes.merge(m.serverAssignor, 1, Integer::sum);
            }
        }
        String best = defaultAssignor;
        int bestVotes = 0;
        for (String name : assignors.keySet()) {
            int v = votes.getOrDefault(name, 0);
            if (v > bestVotes) {
                best = name;
                bestVotes = v;
            }
        }
        return assignors.get(best);
    }

    private void computeTargetAssignment(KafkaConsumerGroup g) {
        KafkaAssignor assignor = chooseAssignor(g);
        List<KafkaAssignor.Member> specs = new ArrayList<>();
        for (KafkaConsumerGroupMember m : g.members.values()) {
            Set<UUID> ids = new HashSet<>();
            for (KafkaTopicView.Topic t : g.subscribedTopics.values()) {
                if (m.subscribes(t.name())) {
                    ids.add(t.id());
                }
            }
            specs.add(new KafkaAssignor.Member(m.memberId, ids));
        }
        g.targetAssignment = new HashMap<>(assignor.assign(specs, g.subscribedTopics, g.targetAssignment));
        g.targetAssignmentEpoch = g.groupEpoch;
        g.assignorName = assignor.name();
    }

    /** Moves the member's current assignment one step toward its target (see {@link KafkaConsumerGroupMember}). */
    private static void reconcile(KafkaConsumerGroup g, KafkaConsumerGroupMember m, Set<KafkaTopicPartition> owned, long now) {
        if (m.state == KafkaConsumerGroupMember.State.UNREVOKED_PARTITIONS) {
            if (owned == null || m.pendingRevocation.stream().anyMatch(owned::contains)) {
                return; // still revoking
            }
            release(g, m, m.pendingRevocation);
            m.pendingRevocation.clear();
        } else if (m.reconciledTo(g.targetAssignmentEpoch)) {
            return;
        }
        Set<KafkaTopicPartition> target = g.targetAssignment.getOrDefault(m.memberId, Set.of());
        Set<KafkaTopicPartition> revoke = new TreeSet<>(m.assigned);
        revoke.removeAll(target);
        if (!revoke.isEmpty()) {
            m.assigned.removeAll(revoke);
            m.pendingRevocation.addAll(revoke);
            m.state = KafkaConsumerGroupMember.State.UNREVOKED_PARTITIONS;
            m.revocationDeadline = now + m.rebalanceTimeoutMs;
            return;
        }
        boolean unreleased = false;
        for (KafkaTopicPartition tp : target) {
            if (m.assigned.contains(tp)) {
                continue;
            }
            String owner = g.owners.get(tp);
            if (owner == null || owner.equals(m.memberId)) {
                m.assigned.add(tp);
                g.owners.put(tp, m.memberId);
            } else {
                unreleased = true;
            }
        }
        if (m.memberEpoch != g.targetAssignmentEpoch) {
            m.previousMemberEpoch = m.memberEpoch;
            m.memberEpoch = g.targetAssignmentEpoch;
        }
        m.state = unreleased ? KafkaConsumerGroupMember.State.UNRELEASED_PARTITIONS : KafkaConsumerGroupMember.State.STABLE;
    }

    private static void release(KafkaConsumerGroup g, KafkaConsumerGroupMember m, Collection<KafkaTopicPartition> partitions) {
        for (KafkaTopicPartition tp : partitions) {
            g.owners.remove(tp, m.memberId);
        }
    }

    private static void removeMember(KafkaConsumerGroup g, KafkaConsumerGroupMember m) {
        release(g, m, m.assigned);
        release(g, m, m.pendingRevocation);
        g.members.remove(m.memberId);
        g.targetAssignment.remove(m.memberId);
        if (m.instanceId != null) {
            g.staticMembers.remove(m.instanceId, m.memberId);
        }
        g.groupEpoch++;
    }

    private static ConsumerGroupHeartbeatResponse error(short code, String message) {
        return new ConsumerGroupHeartbeatResponse().setErrorCode(code).setErrorMessage(message).setMemberEpoch(-1);
    }

    // ---------------------------------------------------------------- timers

    void sweep() {
        long now = clock.millis();
        for (KafkaConsumerGroup g : groups.values()) {
            synchronized (g) {
                for (KafkaConsumerGroupMember m : new ArrayList<>(g.members.values())) {
                    boolean sessionExpired = now > m.sessionDeadline;
                    boolean revocationExpired = m.state == KafkaConsumerGroupMember.State.UNREVOKED_PARTITIONS
                            && now > m.revocationDeadline;
                    if (sessionExpired || revocationExpired) {
                        removeMember(g, m);
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- offsets and admin

    /**
     * Checks an OffsetCommit against a consumer group, or returns null if the group id is not a consumer group (the
     * classic coordinator decides then). As Kafka: commits with a negative epoch are accepted only while the group
     * is empty; members must commit with their current epoch, through OffsetCommit v9 or later (any TxnOffsetCommit
     * version, {@code transactional}).
     */
    public Short validateCommit(String groupId, String memberId, int memberEpoch, short version, boolean transactional) {
        KafkaConsumerGroup g = groups.get(groupId);
        if (g == null) {
            return null;
        }
        synchronized (g) {
            if (g.dead) {
                return null;
            }
            if (memberEpoch < 0 && g.members.isEmpty()) {
                return KafkaErrors.NONE;
            }
            KafkaConsumerGroupMember m = memberId == null ? null : g.members.get(memberId);
            if (m == null) {
                return KafkaErrors.UNKNOWN_MEMBER_ID;
            }
            if (version < 9 && !transactional) {
                return KafkaErrors.UNSUPPORTED_VERSION;
            }
            return memberEpoch == m.memberEpoch ? KafkaErrors.NONE : KafkaErrors.STALE_MEMBER_EPOCH;
        }
    }

    /** Checks an OffsetFetch (v9+) that names a member; null if the group id is not a consumer group. */
    public Short validateFetch(String groupId, String memberId, int memberEpoch) {
        KafkaConsumerGroup g = groups.get(groupId);
        if (g == null) {
            return null;
        }
        synchronized (g) {
            if (g.dead) {
                return null;
            }
            if (memberId == null && memberEpoch < 0) {
                return KafkaErrors.NONE;
            }
            KafkaConsumerGroupMember m = memberId == null ? null : g.members.get(memberId);
            if (m == null) {
                return KafkaErrors.UNKNOWN_MEMBER_ID;
            }
            return memberEpoch == m.memberEpoch ? KafkaErrors.NONE : KafkaErrors.STALE_MEMBER_EPOCH;
        }
    }

    /** The ConsumerGroupDescribe entry of a consumer group, or empty if the id is not one. */
    public Optional<ConsumerGroupDescribeResponse.DescribedGroup> describe(String groupId) {
        KafkaConsumerGroup g = groups.get(groupId);
        if (g == null) {
            return Optional.empty();
        }
        synchronized (g) {
            if (g.dead) {
                return Optional.empty();
            }
            ConsumerGroupDescribeResponse.DescribedGroup d = new ConsumerGroupDescribeResponse.DescribedGroup()
                    .setGroupId(groupId).setGroupState(g.state().kafkaName).setGroupEpoch(g.groupEpoch)
                    .setAssignmentEpoch(g.targetAssignmentEpoch)
                    .setAssignorName(g.assignorName.isEmpty() ? chooseAssignor(g).name() : g.assignorName);
            for (KafkaConsumerGroupMember m : g.members.values()) {
                d.members.add(new ConsumerGroupDescribeResponse.Member().setMemberId(m.memberId)
                        .setInstanceId(m.instanceId).setRackId(m.rackId).setMemberEpoch(m.memberEpoch)
                        .setClientId(m.clientId).setClientHost(m.clientHost)
                        .setSubscribedTopicNames(new ArrayList<>(m.subscribedTopicNames))
                        .setSubscribedTopicRegex(m.subscribedTopicRegex)
                        .setAssignment(describeAssignment(g, m.assigned))
                        .setTargetAssignment(describeAssignment(g, g.targetAssignment.getOrDefault(m.memberId, Set.of())))
                        .setMemberType((byte) 1));
            }
            return Optional.of(d);
        }
    }

    private ConsumerGroupDescribeResponse.Assignment describeAssignment(KafkaConsumerGroup g, Set<KafkaTopicPartition> tps) {
        return new ConsumerGroupDescribeResponse.Assignment().setTopicPartitions(KafkaTopicPartition.byTopic(tps,
                (id, ps) -> new ConsumerGroupDescribeResponse.TopicPartitions().setTopicId(id).setPartitions(ps)
                        .setTopicName(topicName(g, id))));
    }

    private String topicName(KafkaConsumerGroup g, UUID id) {
        KafkaTopicView.Topic t = g.subscribedTopics.get(id);
        if (t != null) {
            return t.name();
        }
        return topics.all().stream().filter(x -> x.id().equals(id)).map(KafkaTopicView.Topic::name).findFirst().orElse("");
    }

    /** Live consumer groups: id to Kafka state name. */
    public Map<String, String> list() {
        Map<String, String> out = new LinkedHashMap<>();
        for (KafkaConsumerGroup g : groups.values()) {
            synchronized (g) {
                if (!g.dead) {
                    out.put(g.groupId, g.state().kafkaName);
                }
            }
        }
        return out;
    }

    public boolean exists(String groupId) {
        return groups.containsKey(groupId);
    }

    /** True if a consumer group with members uses this id; an empty one is removed so a classic group can take it. */
    public boolean blocksClassic(String groupId) {
        KafkaConsumerGroup g = groups.get(groupId);
        if (g == null) {
            return false;
        }
        synchronized (g) {
            if (!g.members.isEmpty()) {
                return true;
            }
            g.dead = true;
            groups.remove(groupId, g);
            return false;
        }
    }

    /** Removes an empty group's state: NONE, NON_EMPTY_GROUP if it has members, or null if it is not a consumer group. */
    public Short delete(String groupId) {
        KafkaConsumerGroup g = groups.get(groupId);
        if (g == null) {
            return null;
        }
        synchronized (g) {
            if (!g.members.isEmpty()) {
                return KafkaErrors.NON_EMPTY_GROUP;
            }
            g.dead = true;
            groups.remove(groupId, g);
            return KafkaErrors.NONE;
        }
    }
}
