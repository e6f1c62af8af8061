package io.sluice.protocol.kafka.group;

import io.sluice.protocol.kafka.message.HeartbeatRequest;
import io.sluice.protocol.kafka.message.JoinGroupRequest;
import io.sluice.protocol.kafka.message.JoinGroupResponse;
import io.sluice.protocol.kafka.message.LeaveGroupRequest;
import io.sluice.protocol.kafka.message.SyncGroupRequest;
import io.sluice.protocol.kafka.message.SyncGroupResponse;
import io.sluice.protocol.kafka.session.KafkaErrors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;

/** The classic group state machine, driven step by step with a manual clock. */
class KafkaGroupCoordinatorTest {

    /** A clock that moves only when told to. */
    static final class TestClock extends Clock {
        volatile long now = 1_000_000;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now);
        }

        @Override
        public long millis() {
            return now;
        }
    }

    private final TestClock clock = new TestClock();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final KafkaGroupCoordinator groups = new KafkaGroupCoordinator(clock, timer, 1000, 6000, 300_000);

    @AfterEach
    void stop() {
        groups.close();
        timer.shutdownNow();
    }

    private void advance(long ms) {
        clock.now += ms;
        groups.sweep();
    }

    private static JoinGroupRequest join(String memberId, String instanceId) {
        JoinGroupRequest r = new JoinGroupRequest().setGroupId("g").setSessionTimeoutMs(10_000).setRebalanceTimeoutMs(20_000)
                .setMemberId(memberId).setGroupInstanceId(instanceId).setProtocolType("consumer");
        r.protocols.add(new JoinGroupRequest.JoinGroupRequestProtocol().setName("range").setMetadata(new byte[] {1}));
        return r;
    }

    private static SyncGroupRequest sync(JoinGroupResponse j, boolean leader) {
        SyncGroupRequest s = new SyncGroupRequest().setGroupId("g").setGenerationId(j.generationId).setMemberId(j.memberId);
        if (leader) {
            for (JoinGroupResponse.JoinGroupResponseMember m : j.members) {
                s.assignments.add(new SyncGroupRequest.SyncGroupRequestAssignment().setMemberId(m.memberId)
                        .setAssignment(m.memberId.getBytes()));
            }
        }
        return s;
    }

    private short heartbeat(JoinGroupResponse j) {
        return groups.heartbeat(new HeartbeatRequest().setGroupId("g").setGenerationId(j.generationId).setMemberId(j.memberId), (short) 4);
    }

    @Test
    void oldVersionsJoinWithoutAMemberIdAndNewOnesAreAskedForOne() {
        CompletableFuture<JoinGroupResponse> v0 = groups.join(join("", null), (short) 0, "old", "/h");
        assertThat(v0).isNotDone(); // waits out the initial rebalance delay
        advance(1001);
        assertThat(v0.join().errorCode).isEqualTo(KafkaErrors.NONE);
        assertThat(v0.join().memberId).startsWith("old-");

        JoinGroupResponse first = groups.join(join("", null), (short) 9, "new", "/h").join();
        assertThat(first.errorCode).isEqualTo(KafkaErrors.MEMBER_ID_REQUIRED);
        assertThat(first.memberId).startsWith("new-");
    }

    @Test
    void twoMembersRebalanceSyncAndHeartbeat() {
        String a = groups.join(join("", null), (short) 9, "a", "/h").join().memberId;
        String b = groups.join(join("", null), (short) 9, "b", "/h").join().memberId;
        CompletableFuture<JoinGroupResponse> ja = groups.join(join(a, null), (short) 9, "a", "/h");
        CompletableFuture<JoinGroupResponse> jb = groups.join(join(b, null), (short) 9, "b", "/h");
        advance(1001);
        assertThat(ja.join().generationId).isEqualTo(1).isEqualTo(jb.join().generationId);
        JoinGroupResponse leader = ja.join().leader.equals(a) ? ja.join() : jb.join();
        JoinGroupResponse follower = leader == ja.join() ? jb.join() : ja.join();
        assertThat(leader.members).hasSize(2);
        assertThat(follower.members).isEmpty();

        CompletableFuture<SyncGroupResponse> fs = groups.sync(sync(follower, false), (short) 5);
        assertThat(fs).isNotDone();
        SyncGroupResponse ls = groups.sync(sync(leader, true), (short) 5).join();
        assertThat(new String(ls.assignment)).isEqualTo(leader.memberId);
        assertThat(new String(fs.join().assignment)).isEqualTo(follower.memberId);
        assertThat(heartbeat(leader)).isEqualTo(KafkaErrors.NONE);

        // the follower goes silent: after its session timeout the leader is told to rejoin
        for (int i = 0; i < 12; i++) {
            advance(1000);
            heartbeat(leader);
        }
        assertThat(heartbeat(leader)).isEqualTo(KafkaErrors.REBALANCE_IN_PROGRESS);
        assertThat(heartbeat(follower)).isEqualTo(KafkaErrors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void commitsAreAcceptedWhilePreparingButNotWhileCompleting() {
        String a = groups.join(join("", null), (short) 9, "a", "/h").join().memberId;
        CompletableFuture<JoinGroupResponse> ja = groups.join(join(a, null), (short) 9, "a", "/h");
        advance(1001);
        JoinGroupResponse j = ja.join();
        assertThat(groups.validateCommit("g", j.generationId, a, null)).isEqualTo(KafkaErrors.REBALANCE_IN_PROGRESS);
        groups.sync(sync(j, true), (short) 5).join();
        assertThat(groups.validateCommit("g", j.generationId, a, null)).isEqualTo(KafkaErrors.NONE);
        assertThat(groups.validateCommit("g", j.generationId + 1, a, null)).isEqualTo(KafkaErrors.ILLEGAL_GENERATION);
        assertThat(groups.validateCommit("g", j.generationId, "nobody", null)).isEqualTo(KafkaErrors.UNKNOWN_MEMBER_ID);
        assertThat(groups.validateCommit("g", -1, "", null)).as("simple commit into a live group")
                .isEqualTo(KafkaErrors.ILLEGAL_GENERATION);

        String b = groups.join(join("", null), (short) 9, "b", "/h").join().memberId;
        groups.join(join(b, null), (short) 9, "b", "/h");
        assertThat(groups.validateCommit("g", j.generationId, a, null)).as("old generation during PreparingRebalance")
                .isEqualTo(KafkaErrors.NONE);
    }

    @Test
    void aStaticMemberRejoiningTakesOverAndFencesItsOldId() {
        CompletableFuture<JoinGroupResponse> first = groups.join(join("", "instance-1"), (short) 9, "s", "/h");
        advance(1001);
        JoinGroupResponse j1 = first.join();
        groups.sync(sync(j1, true), (short) 5).join();

        CompletableFuture<JoinGroupResponse> again = groups.join(join("", "instance-1"), (short) 9, "s", "/h");
        advance(1);
        JoinGroupResponse j2 = again.join();
        assertThat(j2.memberId).isNotEqualTo(j1.memberId);
        assertThat(groups.heartbeat(new HeartbeatRequest().setGroupId("g").setGenerationId(j1.generationId)
                .setMemberId(j1.memberId).setGroupInstanceId("instance-1"), (short) 4)).isEqualTo(KafkaErrors.FENCED_INSTANCE_ID);
    }

    @Test
    void theLastMemberLeavingEmptiesTheGroup() {
        String a = groups.join(join("", null), (short) 9, "a", "/h").join().memberId;
        CompletableFuture<JoinGroupResponse> ja = groups.join(join(a, null), (short) 9, "a", "/h");
        advance(1001);
        groups.sync(sync(ja.join(), true), (short) 5).join();
        LeaveGroupRequest leave = new LeaveGroupRequest().setGroupId("g");
        leave.members.add(new LeaveGroupRequest.MemberIdentity().setMemberId(a));
        assertThat(groups.leave(leave, (short) 5).members).singleElement()
                .satisfies(m -> assertThat(m.errorCode).isEqualTo(KafkaErrors.NONE));
        assertThat(groups.describe("g", false).groupState).isEqualTo("Empty");
        assertThat(groups.delete("g")).isEqualTo(KafkaErrors.NONE);
        assertThat(groups.describe("g", false).groupState).isEqualTo("Dead");
    }
}
