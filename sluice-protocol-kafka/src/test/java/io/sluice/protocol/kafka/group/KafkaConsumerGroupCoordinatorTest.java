package io.sluice.protocol.kafka.group;

import io.sluice.protocol.kafka.message.ConsumerGroupHeartbeatRequest;
import io.sluice.protocol.kafka.message.ConsumerGroupHeartbeatResponse;
import io.sluice.protocol.kafka.session.KafkaErrors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;

/** The KIP-848 group state machine driven heartbeat by heartbeat with a manual clock, as a client would drive it. */
class KafkaConsumerGroupCoordinatorTest {

    private static final int SESSION_MS = 10_000;
    private static final KafkaTopicView.Topic T = new KafkaTopicView.Topic("t", new UUID(1, 1), 6);

    private final KafkaGroupCoordinatorTest.TestClock clock = new KafkaGroupCoordinatorTest.TestClock();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private boolean classicHasMembers;
    private final KafkaConsumerGroupCoordinator groups = new KafkaConsumerGroupCoordinator(clock, timer,
            new KafkaTopicView() {
                @Override
                public Optional<Topic> byName(String name) {
                    return name.equals(T.name()) ? Optional.of(T) : Optional.empty();
                }

                @Override
                public List<Topic> all() {
                    return List.of(T);
                }
            }, SESSION_MS, 500, List.of("uniform", "range"), id -> !classicHasMembers);

    @AfterEach
    void stop() {
        groups.close();
        timer.shutdownNow();
    }

    private static ConsumerGroupHeartbeatRequest join(String memberId) {
        return new ConsumerGroupHeartbeatRequest().setGroupId("g").setMemberId(memberId).setMemberEpoch(0)
                .setRebalanceTimeoutMs(60_000).setSubscribedTopicNames(new ArrayList<>(List.of("t")))
                .setTopicPartitions(new ArrayList<>());
    }

    private static ConsumerGroupHeartbeatRequest beat(String memberId, int epoch, Set<Integer> owned) {
        ConsumerGroupHeartbeatRequest r = new ConsumerGroupHeartbeatRequest().setGroupId("g").setMemberId(memberId)
                .setMemberEpoch(epoch);
        if (owned != null) {
            r.setTopicPartitions(new ArrayList<>(List.of(new ConsumerGroupHeartbeatRequest.TopicPartitions()
                    .setTopicId(T.id()).setPartitions(new ArrayList<>(new TreeSet<>(owned))))));
        }
        return r;
    }

    private ConsumerGroupHeartbeatResponse send(ConsumerGroupHeartbeatRequest r) {
        return groups.heartbeat(r, (short) 1, "client", "/127.0.0.1");
    }

    private static Set<Integer> partitions(ConsumerGroupHeartbeatResponse r) {
        assertThat(r.errorCode).as("error %s", r.errorMessage).isEqualTo(KafkaErrors.NONE);
        assertThat(r.assignment).as("assignment in the response").isNotNull();
        Set<Integer> out = new TreeSet<>();
        r.assignment.topicPartitions.forEach(tp -> out.addAll(tp.partitions));
        return out;
    }

    @Test
    void aPartitionMovesOnlyAfterItsPreviousOwnerRevokedIt() {
        ConsumerGroupHeartbeatResponse a = send(join("a"));
        assertThat(partitions(a)).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(a.memberEpoch).isEqualTo(1);

        ConsumerGroupHeartbeatResponse b = send(join("b"));
        assertThat(b.memberEpoch).as("b is at the new target epoch").isEqualTo(2);
        assertThat(partitions(b)).as("everything b should get is still owned by a").isEmpty();

        ConsumerGroupHeartbeatResponse revoke = send(beat("a", 1, Set.of(0, 1, 2, 3, 4, 5)));
        Set<Integer> kept = partitions(revoke);
        assertThat(kept).hasSize(3);
        assertThat(revoke.memberEpoch).as("epoch stays until the revocation is acknowledged").isEqualTo(1);
        assertThat(send(beat("b", 2, Set.of())).assignment).as("nothing released yet").isNull();
        assertThat(groups.describe("g").orElseThrow().groupState).isEqualTo("Reconciling");

        ConsumerGroupHeartbeatResponse acked = send(beat("a", 1, kept));
        assertThat(acked.memberEpoch).isEqualTo(2);
        ConsumerGroupHeartbeatResponse granted = send(beat("b", 2, Set.of()));
        Set<Integer> moved = partitions(granted);
        assertThat(moved).hasSize(3).doesNotContainAnyElementsOf(kept);
        send(beat("b", 2, moved));
        assertThat(groups.describe("g").orElseThrow().groupState).isEqualTo("Stable");
    }

    @Test
    void stalEpochsAreFencedInHeartbeatsCommitsAndFetches() {
        send(join("a"));
        assertThat(send(beat("a", 7, null)).errorCode).isEqualTo(KafkaErrors.FENCED_MEMBER_EPOCH);
        assertThat(send(beat("nobody", 1, null)).errorCode).isEqualTo(KafkaErrors.UNKNOWN_MEMBER_ID);
        assertThat(groups.validateCommit("g", "a", 1, (short) 9, false)).isEqualTo(KafkaErrors.NONE);
        assertThat(groups.validateCommit("g", "a", 0, (short) 9, false)).isEqualTo(KafkaErrors.STALE_MEMBER_EPOCH);
        assertThat(groups.validateCommit("g", "a", 1, (short) 8, false)).isEqualTo(KafkaErrors.UNSUPPORTED_VERSION);
        assertThat(groups.validateCommit("g", "a", 1, (short) 3, true)).isEqualTo(KafkaErrors.NONE);
        assertThat(groups.validateCommit("g", "x", 1, (short) 9, false)).isEqualTo(KafkaErrors.UNKNOWN_MEMBER_ID);
        assertThat(groups.validateCommit("g", "", -1, (short) 9, false)).as("simple commit into a live group")
                .isEqualTo(KafkaErrors.UNKNOWN_MEMBER_ID);
        assertThat(groups.validateFetch("g", "a", 2)).isEqualTo(KafkaErrors.STALE_MEMBER_EPOCH);
        assertThat(groups.validateFetch("g", null, -1)).isEqualTo(KafkaErrors.NONE);
        assertThat(groups.validateCommit("other", "a", 1, (short) 9, false)).as("not a consumer group").isNull();

        assertThat(send(beat("a", -1, null)).memberEpoch).isEqualTo(-1);
        assertThat(groups.validateCommit("g", "", -1, (short) 9, false)).as("simple commit into an empty group")
                .isEqualTo(KafkaErrors.NONE);
    }

    @Test
    void aMemberWithoutHeartbeatsIsExpelledAndItsPartitionsMove() {
        send(join("a"));
        send(join("b"));
        Set<Integer> kept = partitions(send(beat("a", 1, Set.of(0, 1, 2, 3, 4, 5))));
        send(beat("a", 1, kept));
        Set<Integer> bs = partitions(send(beat("b", 2, Set.of())));
        send(beat("b", 2, bs));

        clock.now += SESSION_MS / 2;
        send(beat("b", 2, null)); // only b keeps heartbeating
        clock.now += SESSION_MS / 2 + 1;
        groups.sweep();
        assertThat(groups.describe("g").orElseThrow().members).extracting(m -> m.memberId).containsExactly("b");
        ConsumerGroupHeartbeatResponse all = send(beat("b", 2, null));
        assertThat(partitions(all)).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(all.memberEpoch).isEqualTo(3);
    }

    @Test
    void aMemberThatDoesNotRevokeWithinItsRebalanceTimeoutIsExpelled() {
        send(join("a").setRebalanceTimeoutMs(1000));
        send(join("b"));
        send(beat("a", 1, Set.of(0, 1, 2, 3, 4, 5))); // told to revoke three partitions
        clock.now += 1001;
        send(beat("b", 2, Set.of()));
        groups.sweep();
        assertThat(groups.describe("g").orElseThrow().members).extracting(m -> m.memberId).containsExactly("b");
    }

    @Test
    void aStaticMemberRestartingUnderANewMemberIdKeepsItsPartitions() {
        Set<Integer> mine = partitions(send(join("a1").setInstanceId("i1")));
        int groupEpoch = groups.describe("g").orElseThrow().groupEpoch;
        assertThat(send(beat("a1", -2, null).setInstanceId("i1")).memberEpoch).isEqualTo(-2);

        ConsumerGroupHeartbeatResponse again = send(join("a2").setInstanceId("i1"));
        assertThat(partitions(again)).isEqualTo(mine);
        assertThat(again.memberEpoch).isEqualTo(1);
        assertThat(groups.describe("g").orElseThrow().groupEpoch).as("no rebalance").isEqualTo(groupEpoch);

        assertThat(send(join("a3").setInstanceId("i1")).errorCode).as("the instance is held by a2")
                .isEqualTo(KafkaErrors.UNRELEASED_INSTANCE_ID);
    }

    @Test
    void requestsAreValidatedAsKafkaDoes() {
        assertThat(send(join("a").setSubscribedTopicNames(null).setSubscribedTopicRegex("t[")).errorCode)
                .isEqualTo(KafkaErrors.INVALID_REGULAR_EXPRESSION);
        assertThat(send(join("a").setServerAssignor("sticky")).errorCode).isEqualTo(KafkaErrors.UNSUPPORTED_ASSIGNOR);
        assertThat(send(join("a").setRebalanceTimeoutMs(-1)).errorCode).isEqualTo(KafkaErrors.INVALID_REQUEST);
        assertThat(send(join("")).errorCode).isEqualTo(KafkaErrors.INVALID_REQUEST);
        classicHasMembers = true;
        assertThat(send(join("a")).errorCode).as("a classic group with members holds the id")
                .isEqualTo(KafkaErrors.GROUP_ID_NOT_FOUND);
    }

    @Test
    void regexSubscriptionsAreResolvedAgainstTopicNames() {
        ConsumerGroupHeartbeatResponse r = send(join("a").setSubscribedTopicNames(null).setSubscribedTopicRegex("t|u.*"));
        assertThat(partitions(r)).hasSize(6);
        assertThat(send(join("b").setSubscribedTopicNames(null).setSubscribedTopicRegex("x.*")).errorCode)
                .isEqualTo(KafkaErrors.NONE);
        assertThat(groups.describe("g").orElseThrow().members).filteredOn(m -> m.memberId.equals("b"))
                .singleElement().satisfies(m -> assertThat(m.targetAssignment.topicPartitions).isEmpty());
    }

    @Test
    void uniformIsBalancedAndStickyRangeIsContiguous() {
        UUID u = new UUID(2, 2);
        Map<UUID, KafkaTopicView.Topic> topics = Map.of(T.id(), T, u, new KafkaTopicView.Topic("u", u, 3));
        Set<UUID> both = Set.of(T.id(), u);
        List<KafkaAssignor.Member> two = List.of(new KafkaAssignor.Member("m1", both), new KafkaAssignor.Member("m2", both));
        List<KafkaAssignor.Member> three = new ArrayList<>(two);
        three.add(new KafkaAssignor.Member("m3", both));

        KafkaUniformAssignor uniform = new KafkaUniformAssignor();
        Map<String, Set<KafkaTopicPartition>> before = uniform.assign(two, topics, Map.of());
        assertThat(before.values()).extracting(Set::size).containsExactlyInAnyOrder(5, 4);
        Map<String, Set<KafkaTopicPartition>> after = uniform.assign(three, topics, before);
        assertThat(after.values()).extracting(Set::size).containsExactly(3, 3, 3);
        for (String m : List.of("m1", "m2")) {
            assertThat(before.get(m)).as("%s keeps what it keeps, loses only to the newcomer", m).containsAll(after.get(m));
        }
        Set<KafkaTopicPartition> union = new HashSet<>();
        after.values().forEach(union::addAll);
        assertThat(union).hasSize(9);

        Map<String, Set<KafkaTopicPartition>> range = new KafkaRangeAssignor().assign(two, topics, Map.of());
        assertThat(range.get("m1")).extracting(KafkaTopicPartition::partition).containsExactlyInAnyOrder(0, 1, 2, 0, 1);
        assertThat(range.get("m2")).extracting(KafkaTopicPartition::partition).containsExactlyInAnyOrder(3, 4, 5, 2);
    }
}
