package io.sluice.protocol.kafka.message;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Message;
import org.apache.kafka.common.protocol.MessageUtil;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two KIP-848 APIs with the content real clients send and brokers answer, compared with kafka-clients' own
 * message classes in both directions: their bytes decode into our fields and re-encode identically, and ours decode
 * in kafka-clients into the values we set. (Random content at every version is covered by KafkaClientsOracleTest.)
 */
class KafkaConsumerGroupMessagesTest {

    private static final Uuid TOPIC = Uuid.fromString("AAAAAAAAAAEAAAAAAAAAAQ");
    private static final UUID OUR_TOPIC = new UUID(TOPIC.getMostSignificantBits(), TOPIC.getLeastSignificantBits());

    private static byte[] theirBytes(Message m, short version) {
        return MessageUtil.byteBufferToArray(MessageUtil.toByteBufferAccessor(m, version).buffer());
    }

    @ParameterizedTest
    @ValueSource(shorts = {0, 1})
    void heartbeatRequestFromKafkaClients(short version) {
        ConsumerGroupHeartbeatRequestData theirs = new ConsumerGroupHeartbeatRequestData().setGroupId("g")
                .setMemberId("m-1").setMemberEpoch(3).setInstanceId("i-1").setRackId("r1").setRebalanceTimeoutMs(300_000)
                .setSubscribedTopicNames(List.of("a", "b")).setServerAssignor("range")
                .setTopicPartitions(List.of(new ConsumerGroupHeartbeatRequestData.TopicPartitions()
                        .setTopicId(TOPIC).setPartitions(List.of(0, 2))));
        if (version >= 1) {
            theirs.setSubscribedTopicRegex("orders-.*");
        }
        byte[] bytes = theirBytes(theirs, version);
        ConsumerGroupHeartbeatRequest ours = new ConsumerGroupHeartbeatRequest(ByteBuffer.wrap(bytes), version);
        assertThat(ours.groupId).isEqualTo("g");
        assertThat(ours.memberId).isEqualTo("m-1");
        assertThat(ours.memberEpoch).isEqualTo(3);
        assertThat(ours.instanceId).isEqualTo("i-1");
        assertThat(ours.rackId).isEqualTo("r1");
        assertThat(ours.rebalanceTimeoutMs).isEqualTo(300_000);
        assertThat(ours.subscribedTopicNames).containsExactly("a", "b");
        assertThat(ours.subscribedTopicRegex).isEqualTo(version >= 1 ? "orders-.*" : null);
        assertThat(ours.serverAssignor).isEqualTo("range");
        assertThat(ours.topicPartitions).singleElement().satisfies(tp -> {
            assertThat(tp.topicId).isEqualTo(OUR_TOPIC);
            assertThat(tp.partitions).containsExactly(0, 2);
        });
        assertThat(RandomMessages.encode(ours, version)).isEqualTo(bytes);

        // A steady-state heartbeat: every "unchanged" field null or -1.
        byte[] minimal = theirBytes(new ConsumerGroupHeartbeatRequestData().setGroupId("g").setMemberId("m-1")
                .setMemberEpoch(3), version);
        ConsumerGroupHeartbeatRequest beat = new ConsumerGroupHeartbeatRequest(ByteBuffer.wrap(minimal), version);
        assertThat(beat.subscribedTopicNames).isNull();
        assertThat(beat.topicPartitions).isNull();
        assertThat(beat.rebalanceTimeoutMs).isEqualTo(-1);
        assertThat(RandomMessages.encode(beat, version)).isEqualTo(minimal);
    }

    @ParameterizedTest
    @ValueSource(shorts = {0, 1})
    void heartbeatResponseReadByKafkaClients(short version) {
        ConsumerGroupHeartbeatResponse ours = new ConsumerGroupHeartbeatResponse().setMemberId("m-1").setMemberEpoch(4)
                .setHeartbeatIntervalMs(5000).setAssignment(new ConsumerGroupHeartbeatResponse.Assignment()
                        .setTopicPartitions(new ArrayList<>(List.of(new ConsumerGroupHeartbeatResponse.TopicPartitions()
                                .setTopicId(OUR_TOPIC).setPartitions(new ArrayList<>(List.of(1, 5)))))));
        byte[] bytes = RandomMessages.encode(ours, version);
        ConsumerGroupHeartbeatResponseData theirs = new ConsumerGroupHeartbeatResponseData(
                new ByteBufferAccessor(ByteBuffer.wrap(bytes)), version);
        assertThat(theirs.memberId()).isEqualTo("m-1");
        assertThat(theirs.memberEpoch()).isEqualTo(4);
        assertThat(theirs.heartbeatIntervalMs()).isEqualTo(5000);
        assertThat(theirs.assignment().topicPartitions()).singleElement().satisfies(tp -> {
            assertThat(tp.topicId()).isEqualTo(TOPIC);
            assertThat(tp.partitions()).containsExactly(1, 5);
        });
        assertThat(theirBytes(theirs, version)).isEqualTo(bytes);

        byte[] error = RandomMessages.encode(new ConsumerGroupHeartbeatResponse().setErrorCode((short) 110)
                .setErrorMessage("fenced").setMemberEpoch(-1), version);
        ConsumerGroupHeartbeatResponseData fenced = new ConsumerGroupHeartbeatResponseData(
                new ByteBufferAccessor(ByteBuffer.wrap(error)), version);
        assertThat(fenced.errorCode()).isEqualTo((short) 110);
        assertThat(fenced.errorMessage()).isEqualTo("fenced");
        assertThat(fenced.assignment()).isNull();
    }

    @ParameterizedTest
    @ValueSource(shorts = {0, 1})
    void describeRequestAndResponseAgreeWithKafkaClients(short version) {
        byte[] req = theirBytes(new ConsumerGroupDescribeRequestData().setGroupIds(List.of("g1", "g2"))
                .setIncludeAuthorizedOperations(true), version);
        ConsumerGroupDescribeRequest ourReq = new ConsumerGroupDescribeRequest(ByteBuffer.wrap(req), version);
        assertThat(ourReq.groupIds).containsExactly("g1", "g2");
        assertThat(ourReq.includeAuthorizedOperations).isTrue();
        assertThat(RandomMessages.encode(ourReq, version)).isEqualTo(req);

        ConsumerGroupDescribeResponse.Assignment assignment = new ConsumerGroupDescribeResponse.Assignment()
                .setTopicPartitions(new ArrayList<>(List.of(new ConsumerGroupDescribeResponse.TopicPartitions()
                        .setTopicId(OUR_TOPIC).setTopicName("orders").setPartitions(new ArrayList<>(List.of(0, 1))))));
        ConsumerGroupDescribeResponse ours = new ConsumerGroupDescribeResponse();
        ours.groups.add(new ConsumerGroupDescribeResponse.DescribedGroup().setGroupId("g1").setGroupState("Stable")
                .setGroupEpoch(7).setAssignmentEpoch(7).setAssignorName("uniform")
                .setMembers(new ArrayList<>(List.of(new ConsumerGroupDescribeResponse.Member().setMemberId("m-1")
                        .setInstanceId(null).setMemberEpoch(7).setClientId("c").setClientHost("/127.0.0.1")
                        .setSubscribedTopicNames(new ArrayList<>(List.of("orders"))).setAssignment(assignment)
                        .setTargetAssignment(assignment).setMemberType((byte) 1)))));
        ours.groups.add(new ConsumerGroupDescribeResponse.DescribedGroup().setGroupId("g2").setErrorCode((short) 69)
                .setErrorMessage("Group g2 is not a consumer group."));
        byte[] bytes = RandomMessages.encode(ours, version);
        ConsumerGroupDescribeResponseData theirs = new ConsumerGroupDescribeResponseData(
                new ByteBufferAccessor(ByteBuffer.wrap(bytes)), version);
        assertThat(theirs.groups()).hasSize(2);
        ConsumerGroupDescribeResponseData.DescribedGroup g1 = theirs.groups().get(0);
        assertThat(g1.groupState()).isEqualTo("Stable");
        assertThat(g1.assignorName()).isEqualTo("uniform");
        assertThat(g1.members()).singleElement().satisfies(m -> {
            assertThat(m.memberEpoch()).isEqualTo(7);
            assertThat(m.assignment().topicPartitions()).singleElement().satisfies(tp -> {
                assertThat(tp.topicName()).isEqualTo("orders");
                assertThat(tp.topicId()).isEqualTo(TOPIC);
            });
            assertThat(m.memberType()).isEqualTo(version >= 1 ? (byte) 1 : (byte) -1);
        });
        assertThat(theirs.groups().get(1).errorCode()).isEqualTo((short) 69);
        assertThat(theirBytes(theirs, version)).isEqualTo(bytes);
    }
}
