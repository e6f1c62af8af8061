package io.sluice.it.kafka;

import io.sluice.testkit.SluiceExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three consumers of one classic group join and leave while a producer writes. Every record whose offset a consumer
 * managed to commit counts as processed; at the end each produced record must have been processed exactly once:
 * nothing lost, nothing processed twice under committed offsets.
 */
@Tag("it")
class KafkaConsumerGroupTest {

    @RegisterExtension
    static final SluiceExtension sluice = new SluiceExtension(KafkaClients.fastGroups());

    private static final int RECORDS = 3000;

    @ParameterizedTest
    @ValueSource(strings = {"range", "cooperative-sticky"})
    void rebalancingGroupLosesAndDuplicatesNothing(String assignor) throws Exception {
        String topic = "group-" + assignor;
        String group = "g-" + assignor;
        try (Admin admin = KafkaClients.admin(sluice.kafkaBootstrap())) {
            admin.createTopics(List.of(new NewTopic(topic, 6, (short) 1))).all().get();
        }
        Map<String, AtomicInteger> processed = new ConcurrentHashMap<>();
        AtomicBoolean stopAll = new AtomicBoolean();
        List<Thread> members = new ArrayList<>();
        List<AtomicBoolean> stops = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            AtomicBoolean stop = new AtomicBoolean();
            stops.add(stop);
            members.add(new Thread(() -> consume(topic, group, assignor, processed, stop, stopAll), "member-" + i));
        }
        members.get(0).start();
        members.get(1).start();
        try (KafkaProducer<String, String> p = KafkaClients.producer(sluice.kafkaBootstrap(), Map.of())) {
            for (int i = 0; i < RECORDS; i++) {
                p.send(new ProducerRecord<>(topic, "k" + i, Integer.toString(i)));
                if (i == RECORDS / 3) {
                    members.get(2).start();
                }
                if (i == 2 * RECORDS / 3) {
                    stops.get(0).set(true);
                }
                if (i % 100 == 0) {
                    Thread.sleep(10);
                }
            }
            p.flush();
        }
        try {
            await().atMost(60, TimeUnit.SECONDS).until(() -> processed.size() >= RECORDS);
        } finally {
            stopAll.set(true);
            for (Thread t : members) {
                t.join(30_000);
            }
        }
        assertThat(processed).hasSize(RECORDS);
        assertThat(processed.entrySet()).allSatisfy(e -> assertThat(e.getValue().get()).as("record %s", e.getKey()).isEqualTo(1));
    }

    private static void consume(String topic, String group, String assignor, Map<String, AtomicInteger> processed,
                                AtomicBoolean stop, AtomicBoolean stopAll) {
        String strategy = assignor.equals("range") ? "org.apache.kafka.clients.consumer.RangeAssignor"
                : "org.apache.kafka.clients.consumer.CooperativeStickyAssignor";
        try (KafkaConsumer<String, String> c = KafkaClients.consumer(sluice.kafkaBootstrap(), group, Map.of(
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, strategy,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 300,
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6000,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200))) {
            c.subscribe(Set.of(topic));
            while (!stop.get() && !stopAll.get()) {
                List<ConsumerRecord<String, String>> batch = new ArrayList<>();
                c.poll(Duration.ofMillis(100)).forEach(batch::add);
                if (batch.isEmpty()) {
                    continue;
                }
                try {
                    c.commitSync();
                } catch (KafkaException rebalanced) {
                    // Not committed. Partitions this member keeps (cooperative rebalancing keeps most) are rewound
                    // so the records are processed again; revoked ones restart from the committed offset elsewhere.
                    Map<TopicPartition, Long> first = new HashMap<>();
                    for (ConsumerRecord<String, String> r : batch) {
                        first.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::min);
                    }
                    first.forEach((tp, off) -> {
                        if (c.assignment().contains(tp)) {
                            c.seek(tp, off);
                        }
                    });
                    continue;
                }
                for (ConsumerRecord<String, String> r : batch) {
                    processed.computeIfAbsent(r.value(), k -> new AtomicInteger()).incrementAndGet();
                }
            }
        }
    }
}
