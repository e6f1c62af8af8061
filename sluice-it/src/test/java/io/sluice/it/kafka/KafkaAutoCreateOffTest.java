package io.sluice.it.kafka;

import io.sluice.testkit.SluiceExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** With {@code kafka.auto.create.topics=false}, unknown topics stay unknown. */
@Tag("it")
class KafkaAutoCreateOffTest {

    @RegisterExtension
    static final SluiceExtension sluice = new SluiceExtension(KafkaClients.fastGroups().set("kafka.auto.create.topics", "false"));

    @Test
    void producingToAnUnknownTopicFailsAndCreatesNothing() throws Exception {
        try (KafkaProducer<String, String> p = KafkaClients.producer(sluice.kafkaBootstrap(),
                Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1500))) {
            assertThatThrownBy(() -> p.send(new ProducerRecord<>("nowhere", "x")).get())
                    .hasCauseInstanceOf(TimeoutException.class);
        }
        try (Admin admin = KafkaClients.admin(sluice.kafkaBootstrap())) {
            assertThat(admin.listTopics().names().get()).doesNotContain("nowhere");
            assertThatThrownBy(() -> admin.describeTopics(List.of("nowhere")).allTopicNames().get())
                    .hasCauseInstanceOf(UnknownTopicOrPartitionException.class);
        }
    }
}
