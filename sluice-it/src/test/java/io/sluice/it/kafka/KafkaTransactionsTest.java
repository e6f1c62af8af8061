package io.sluice.it.kafka;

import io.sluice.testkit.SluiceExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Transactions with kafka-clients: read-process-write with commit and abort, read_committed, fencing. */
@Tag("it")
class KafkaTransactionsTest {

    @RegisterExtension
    static final SluiceExtension sluice = new SluiceExtension(KafkaClients.fastGroups());

    private static KafkaProducer<String, String> transactional(String id) {
        return KafkaClients.producer(sluice.kafkaBootstrap(), Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id));
    }

    @Test
    void readProcessWriteCommitsOutputAndOffsetsTogetherAndAbortLeavesNothing() throws Exception {
        try (Admin admin = KafkaClients.admin(sluice.kafkaBootstrap())) {
            admin.createTopics(List.of(new NewTopic("tx-in", 1, (short) 1), new NewTopic("tx-out", 1, (short) 1))).all().get();
        }
        try (KafkaProducer<String, String> p = KafkaClients.producer(sluice.kafkaBootstrap(), Map.of())) {
            for (int i = 0; i < 20; i++) {
                p.send(new ProducerRecord<>("tx-in", "in" + i));
            }
            p.flush();
        }
        try (KafkaProducer<String, String> out = transactional("rpw");
             KafkaConsumer<String, String> in = KafkaClients.consumer(sluice.kafkaBootstrap(), "rpw-group",
                     Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
            out.initTransactions();
            in.subscribe(Set.of("tx-in"));
            List<ConsumerRecord<String, String>> first = KafkaClients.pollUntil(in, 20, Duration.ofSeconds(20));
            assertThat(first).hasSize(20);

            // First ten: processed and committed in one transaction.
            out.beginTransaction();
            for (ConsumerRecord<String, String> r : first.subList(0, 10)) {
                out.send(new ProducerRecord<>("tx-out", r.value().replace("in", "out")));
            }
            out.sendOffsetsToTransaction(Map.of(new TopicPartition("tx-in", 0), new OffsetAndMetadata(10)), in.groupMetadata());
            out.commitTransaction();

            // Next ten: processed, then aborted.
            out.beginTransaction();
            for (ConsumerRecord<String, String> r : first.subList(10, 20)) {
                out.send(new ProducerRecord<>("tx-out", "aborted-" + r.value()));
            }
            out.sendOffsetsToTransaction(Map.of(new TopicPartition("tx-in", 0), new OffsetAndMetadata(20)), in.groupMetadata());
            out.flush();
            out.abortTransaction();

            // A last committed transaction after the aborted one, so read_committed has to skip the middle.
            out.beginTransaction();
            out.send(new ProducerRecord<>("tx-out", "after-abort"));
            out.commitTransaction();
        }
        try (KafkaConsumer<String, String> committed = KafkaClients.consumer(sluice.kafkaBootstrap(), null,
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
             KafkaConsumer<String, String> uncommitted = KafkaClients.consumer(sluice.kafkaBootstrap(), null, Map.of())) {
            TopicPartition outTp = new TopicPartition("tx-out", 0);
            committed.assign(List.of(outTp));
            committed.seekToBeginning(List.of(outTp));
            List<String> seen = KafkaClients.pollUntil(committed, 11, Duration.ofSeconds(20)).stream().map(ConsumerRecord::value).toList();
            assertThat(seen).hasSize(11).doesNotHaveDuplicates().allMatch(v -> !v.startsWith("aborted-")).contains("after-abort");
            assertThat(committed.poll(Duration.ofMillis(300))).isEmpty();

            uncommitted.assign(List.of(outTp));
            uncommitted.seekToBeginning(List.of(outTp));
            assertThat(KafkaClients.pollUntil(uncommitted, 21, Duration.ofSeconds(20)))
                    .filteredOn(r -> r.value().startsWith("aborted-")).hasSize(10);
        }
        try (Admin admin = KafkaClients.admin(sluice.kafkaBootstrap())) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("rpw-group")
                    .partitionsToOffsetAndMetadata().get();
            assertThat(offsets.get(new TopicPartition("tx-in", 0)).offset()).isEqualTo(10);
        }
    }

    @Test
    void aNewInstanceFencesTheOldOneAndAbortsItsOpenTransaction() throws Exception {
        KafkaProducer<String, String> old = transactional("fenced");
        old.initTransactions();
        old.beginTransaction();
        old.send(new ProducerRecord<>("tx-fence", "from-old")).get();
        try (KafkaProducer<String, String> fresh = transactional("fenced")) {
            fresh.initTransactions();
            fresh.beginTransaction();
            fresh.send(new ProducerRecord<>("tx-fence", "from-new")).get();
            fresh.commitTransaction();
        }
        assertThatThrownBy(old::commitTransaction).isInstanceOf(ProducerFencedException.class);
        old.close(Duration.ZERO);
        try (KafkaConsumer<String, String> c = KafkaClients.consumer(sluice.kafkaBootstrap(), null,
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
            TopicPartition tp = new TopicPartition("tx-fence", 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            assertThat(KafkaClients.pollUntil(c, 1, Duration.ofSeconds(10))).extracting(ConsumerRecord::value)
                    .containsExactly("from-new");
            Map<TopicPartition, Long> end = c.endOffsets(List.of(tp));
            assertThat(end.get(tp)).isGreaterThan(1L);
        }
    }

    @Test
    void aTransactionOpenPastItsTimeoutIsAbortedAndItsProducerFenced() throws Exception {
        KafkaProducer<String, String> p = KafkaClients.producer(sluice.kafkaBootstrap(), Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "slow", ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 1500));
        try {
            p.initTransactions();
            p.beginTransaction();
            p.send(new ProducerRecord<>("tx-timeout", "never-committed")).get();
            try (KafkaConsumer<String, String> c = KafkaClients.consumer(sluice.kafkaBootstrap(), null,
                    Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
                TopicPartition tp = new TopicPartition("tx-timeout", 0);
                // The coordinator aborts the transaction, which writes a marker: the end offset moves past it.
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                        .until(() -> c.endOffsets(List.of(tp)).get(tp) >= 2);
                c.assign(List.of(tp));
                c.seekToBeginning(List.of(tp));
                assertThat(c.poll(Duration.ofMillis(500))).isEmpty();
            }
            assertThatThrownBy(p::commitTransaction).isInstanceOf(org.apache.kafka.common.KafkaException.class);
        } finally {
            p.close(Duration.ZERO);
        }
    }

    @Test
    void idempotentProducerWritesEachRecordOnce() throws Exception {
        Map<String, Object> cfg = new HashMap<>();
        cfg.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        cfg.put("max.in.flight.requests.per.connection", 5);
        cfg.put(ProducerConfig.BATCH_SIZE_CONFIG, 512);
        try (KafkaProducer<String, String> p = KafkaClients.producer(sluice.kafkaBootstrap(), cfg)) {
            for (int i = 0; i < 2000; i++) {
                p.send(new ProducerRecord<>("idem", Integer.toString(i)));
            }
            p.flush();
        }
        try (KafkaConsumer<String, String> c = KafkaClients.consumer(sluice.kafkaBootstrap(), null, Map.of())) {
            TopicPartition tp = new TopicPartition("idem", 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            List<String> got = KafkaClients.pollUntil(c, 2000, Duration.ofSeconds(20)).stream().map(ConsumerRecord::value).toList();
            assertThat(got).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 2000).mapToObj(Integer::toString).toList());
            assertThat(c.endOffsets(List.of(tp))).containsEntry(tp, 2000L);
        }
    }
}
