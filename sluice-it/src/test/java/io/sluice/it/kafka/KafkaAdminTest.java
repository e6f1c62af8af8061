package io.sluice.it.kafka;

import io.sluice.testkit.SluiceExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Admin client: topics, partitions, configs, records, cluster and consumer groups. */
@Tag("it")
class KafkaAdminTest {

    @RegisterExtension
    static final SluiceExtension sluice = new SluiceExtension(KafkaClients.fastGroups());

    @Test
    void topicsCreateDescribeGrowAlterAndDelete() throws Exception {
        try (Admin admin = KafkaClients.admin(sluice.kafkaBootstrap())) {
            admin.createTopics(List.of(new NewTopic("adm", 2, (short) 1).configs(Map.of("retention.ms", "3600000")))).all().get();
            assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("adm", 1, (short) 1))).all().get())
                    .hasCauseInstanceOf(TopicExistsException.class);
            assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("adm-rf", 1, (short) 3))).all().get())
                    .hasCauseInstanceOf(InvalidReplicationFactorException.class);

            TopicDescription d = admin.describeTopics(List.of("adm")).allTopicNames().get().get("adm");
            assertThat(d.partitions()).hasSize(2);
            assertThat(d.topicId()).isNotNull();
            assertThat(d.partitions().get(0).leader().id()).isEqualTo(sluice.node().broker().nodeId());

            admin.createPartitions(Map.of("adm", NewPartitions.increaseTo(4))).all().get();
            assertThat(admin.describeTopics(List.of("adm")).allTopicNames().get().get("adm").partitions()).hasSize(4);
            assertThatThrownBy(() -> admin.createPartitions(Map.of("adm", NewPartitions.increaseTo(3))).all().get())
                    .hasCauseInstanceOf(InvalidPartitionsException.class);

            ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, "adm");
            Config c = admin.describeConfigs(List.of(res)).all().get().get(res);
            assertThat(c.get("retention.ms").value()).isEqualTo("3600000");
            assertThat(c.get("retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
            assertThat(c.get("cleanup.policy").value()).isEqualTo("delete");

            admin.incrementalAlterConfigs(Map.of(res, List.of(
                    new AlterConfigOp(new ConfigEntry("retention.ms", "7200000"), AlterConfigOp.OpType.SET),
                    new AlterConfigOp(new ConfigEntry("max.message.bytes", "2000000"), AlterConfigOp.OpType.SET)))).all().get();
            c = admin.describeConfigs(List.of(res)).all().get().get(res);
            assertThat(c.get("retention.ms").value()).isEqualTo("7200000");
            assertThat(c.get("max.message.bytes").value()).isEqualTo("2000000");
            admin.incrementalAlterConfigs(Map.of(res, List.of(
                    new AlterConfigOp(new ConfigEntry("retention.ms", null), AlterConfigOp.OpType.DELETE)))).all().get();
            assertThat(admin.describeConfigs(List.of(res)).all().get().get(res).get("retention.ms").source())
                    .isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);

            admin.deleteTopics(List.of("adm")).all().get();
            assertThat(admin.listTopics().names().get()).doesNotContain("adm");
            assertThatThrownBy(() -> admin.deleteTopics(List.of("adm")).all().get())
                    .hasCauseInstanceOf(UnknownTopicOrPartitionException.class);
        }
    }

    @Test
    void clusterAndDeleteRecords() throws Exception {
        try (Admin admin = KafkaClients.admin(sluice.kafkaBootstrap());
             KafkaProducer<String, String> p = KafkaClients.producer(sluice.kafkaBootstrap(), Map.of())) {
            assertThat(admin.describeCluster().clusterId().get()).isEqualTo(sluice.node().broker().clusterId());
            assertThat(admin.describeCluster().nodes().get()).hasSize(1);
            for (int i = 0; i < 10; i++) {
                p.send(new ProducerRecord<>("trim", "r" + i)).get();
            }
            TopicPartition tp = new TopicPartition("trim", 0);
            long low = admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(4))).lowWatermarks().get(tp).get().lowWatermark();
            assertThat(low).isEqualTo(4);
            try (KafkaConsumer<String, String> c = KafkaClients.consumer(sluice.kafkaBootstrap(), null, Map.of())) {
                assertThat(c.beginningOffsets(List.of(tp))).containsEntry(tp, 4L);
            }
        }
    }

    @Test
    void consumerGroupsListDescribeAndDelete() throws Exception {
        try (KafkaProducer<String, String> p = KafkaClients.producer(sluice.kafkaBootstrap(), Map.of())) {
            p.send(new ProducerRecord<>("grp-topic", "x")).get();
        }
        try (Admin admin = KafkaClients.admin(sluice.kafkaBootstrap())) {
            try (KafkaConsumer<String, String> c = KafkaClients.consumer(sluice.kafkaBootstrap(), "adm-group", Map.of())) {
                c.subscribe(Set.of("grp-topic"));
                List<ConsumerRecord<String, String>> got = KafkaClients.pollUntil(c, 1, Duration.ofSeconds(20));
                assertThat(got).hasSize(1);
                c.commitSync();
                ConsumerGroupDescription d = admin.describeConsumerGroups(List.of("adm-group")).all().get().get("adm-group");
                assertThat(d.groupState()).isEqualTo(GroupState.STABLE);
                assertThat(d.members()).singleElement().satisfies(m ->
                        assertThat(m.assignment().topicPartitions()).containsExactly(new TopicPartition("grp-topic", 0)));
                assertThatThrownBy(() -> admin.deleteConsumerGroups(List.of("adm-group")).all().get())
                        .isInstanceOf(ExecutionException.class);
            }
            assertThat(admin.listGroups().all().get()).anySatisfy(g -> assertThat(g.groupId()).isEqualTo("adm-group"));
            assertThat(admin.listConsumerGroupOffsets("adm-group").partitionsToOffsetAndMetadata().get()
                    .get(new TopicPartition("grp-topic", 0)).offset()).isEqualTo(1);
            admin.deleteConsumerGroups(List.of("adm-group")).all().get();
            assertThat(admin.listConsumerGroupOffsets("adm-group").partitionsToOffsetAndMetadata().get()).isEmpty();
        }
    }
}
