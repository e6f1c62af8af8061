package io.sluice.it.kafka;

import io.sluice.testkit.SluiceExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** kafka-clients producers and consumers against a whole node: every codec, every acks mode, headers, seeks. */
@Tag("it")
class KafkaProduceConsumeTest {

    @RegisterExtension
    static final SluiceExtension sluice = new SluiceExtension(KafkaClients.fastGroups());

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void everyCodecRoundTripsUntouched(String codec) throws Exception {
        String topic = "codec-" + codec;
        try (KafkaProducer<String, String> p = KafkaClients.producer(sluice.kafkaBootstrap(),
                Map.of(ProducerConfig.COMPRESSION_TYPE_CONFIG, codec))) {
            List<Future<?>> acks = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                ProducerRecord<String, String> r = new ProducerRecord<>(topic, "k" + i, "value-" + i + "-" + "x".repeat(i % 50));
                r.headers().add(new RecordHeader("h", ("hv" + i).getBytes(StandardCharsets.UTF_8)));
                acks.add(p.send(r));
            }
            for (Future<?> f : acks) {
                f.get();
            }
        }
        try (KafkaConsumer<String, String> c = KafkaClients.consumer(sluice.kafkaBootstrap(), null, Map.of())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            List<ConsumerRecord<String, String>> got = KafkaClients.pollUntil(c, 200, Duration.ofSeconds(20));
            assertThat(got).hasSize(200);
            for (int i = 0; i < 200; i++) {
                ConsumerRecord<String, String> r = got.get(i);
                assertThat(r.offset()).isEqualTo(i);
                assertThat(r.key()).isEqualTo("k" + i);
                assertThat(r.value()).isEqualTo("value-" + i + "-" + "x".repeat(i % 50));
                assertThat(new String(r.headers().lastHeader("h").value(), StandardCharsets.UTF_8)).isEqualTo("hv" + i);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1", "all"})
    void everyAcksModeDelivers(String acks) throws Exception {
        String topic = "acks-" + acks;
        try (KafkaProducer<String, String> p = KafkaClients.producer(sluice.kafkaBootstrap(),
                Map.of(ProducerConfig.ACKS_CONFIG, acks, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, acks.equals("all")))) {
            for (int i = 0; i < 50; i++) {
                p.send(new ProducerRecord<>(topic, "v" + i));
            }
            p.flush();
        }
        try (KafkaConsumer<String, String> c = KafkaClients.consumer(sluice.kafkaBootstrap(), "acks-" + acks, Map.of())) {
            c.subscribe(Set.of(topic));
            assertThat(KafkaClients.pollUntil(c, 50, Duration.ofSeconds(20))).extracting(ConsumerRecord::value)
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 50).mapToObj(i -> "v" + i).toList());
        }
    }

    @Test
    void smallFetchLimitsStillMakeProgressThroughEveryPartition() throws Exception {
        String topic = "limits";
        try (Admin admin = KafkaClients.admin(sluice.kafkaBootstrap())) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
        }
        try (KafkaProducer<String, String> p = KafkaClients.producer(sluice.kafkaBootstrap(),
                Map.of(ProducerConfig.BATCH_SIZE_CONFIG, 300))) {
            for (int i = 0; i < 300; i++) {
                p.send(new ProducerRecord<>(topic, i % 3, null, "payload-" + i + "-" + "y".repeat(40)));
            }
            p.flush();
        }
        try (KafkaConsumer<String, String> c = KafkaClients.consumer(sluice.kafkaBootstrap(), "limits", Map.of(
                "max.partition.fetch.bytes", 256, "fetch.max.bytes", 512))) {
            c.subscribe(Set.of(topic));
            List<ConsumerRecord<String, String>> got = KafkaClients.pollUntil(c, 300, Duration.ofSeconds(30));
            assertThat(got).extracting(ConsumerRecord::value).hasSize(300).doesNotHaveDuplicates();
        }
    }

    @Test
    void aBatchAboveTheTopicLimitIsRefused() throws Exception {
        try (Admin admin = KafkaClients.admin(sluice.kafkaBootstrap())) {
            admin.createTopics(List.of(new NewTopic("small", 1, (short) 1).configs(Map.of("max.message.bytes", "1000")))).all().get();
        }
        try (KafkaProducer<String, String> p = KafkaClients.producer(sluice.kafkaBootstrap(), Map.of())) {
            p.send(new ProducerRecord<>("small", "fits")).get();
            assertThatThrownBy(() -> p.send(new ProducerRecord<>("small", "z".repeat(5000))).get())
                    .hasCauseInstanceOf(RecordTooLargeException.class);
        }
    }

    @Test
    void seeksByTimestampAndEnds() throws Exception {
        String topic = "times";
        try (Admin admin = KafkaClients.admin(sluice.kafkaBootstrap())) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        try (KafkaProducer<String, String> p = KafkaClients.producer(sluice.kafkaBootstrap(), Map.of())) {
            for (int i = 0; i < 10; i++) {
                p.send(new ProducerRecord<>(topic, 0, 1_000_000L + i * 1000L, null, "t" + i)).get();
            }
        }
        try (KafkaConsumer<String, String> c = KafkaClients.consumer(sluice.kafkaBootstrap(), null, Map.of())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            assertThat(c.beginningOffsets(List.of(tp))).containsEntry(tp, 0L);
            assertThat(c.endOffsets(List.of(tp))).containsEntry(tp, 10L);
            var byTime = c.offsetsForTimes(Map.of(tp, 1_004_500L));
            assertThat(byTime.get(tp).offset()).isEqualTo(5L);
            assertThat(byTime.get(tp).timestamp()).isEqualTo(1_005_000L);
            assertThat(c.offsetsForTimes(Map.of(tp, 9_000_000L)).get(tp)).isNull();
            c.assign(List.of(tp));
            c.seek(tp, 7);
            assertThat(KafkaClients.pollUntil(c, 3, Duration.ofSeconds(10))).extracting(ConsumerRecord::value)
                    .containsExactly("t7", "t8", "t9");
        }
    }

    @Test
    void longPollReturnsAsSoonAsDataArrives() throws Exception {
        String topic = "long-poll";
        // The fetch may wait 5 s; the record must arrive well before, because the produce wakes the parked fetch.
        KafkaConsumer<String, String> c = KafkaClients.consumer(sluice.kafkaBootstrap(), null, Map.of("fetch.max.wait.ms", 5_000));
        try (KafkaProducer<String, String> p = KafkaClients.producer(sluice.kafkaBootstrap(), Map.of())) {
            p.send(new ProducerRecord<>(topic, "first")).get();
            TopicPartition tp = new TopicPartition(topic, 0);
            c.assign(List.of(tp));
            c.seekToEnd(List.of(tp));
            c.position(tp);
            Thread producer = new Thread(() -> {
                try {
                    Thread.sleep(300);
                    p.send(new ProducerRecord<>(topic, "second")).get();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            producer.start();
            List<ConsumerRecord<String, String>> got = KafkaClients.pollUntil(c, 1, Duration.ofSeconds(4));
            producer.join();
            assertThat(got).extracting(ConsumerRecord::value).containsExactly("second");
        } finally {
            c.close(Duration.ofMillis(100));
        }
    }

    private static double meter(String name) {
        var c = sluice.node().broker().meters().find(name).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void consumersFetchInIncrementalSessions() throws Exception {
        String topic = "fetch-sessions";
        try (Admin admin = KafkaClients.admin(sluice.kafkaBootstrap())) {
            admin.createTopics(List.of(new NewTopic(topic, 4, (short) 1))).all().get();
        }
        double created = meter("sluice.kafka.fetch.sessions.opened");
        double incremental = meter("sluice.kafka.fetch.sessions.incremental");
        try (KafkaProducer<String, String> p = KafkaClients.producer(sluice.kafkaBootstrap(), Map.of());
             KafkaConsumer<String, String> c = KafkaClients.consumer(sluice.kafkaBootstrap(), "sessions", Map.of())) {
            c.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> got = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 100; i++) {
                    p.send(new ProducerRecord<>(topic, i % 4, null, round + "-" + i));
                }
                p.flush();
                got.addAll(KafkaClients.pollUntil(c, 100, Duration.ofSeconds(20)));
            }
            assertThat(got).hasSize(300);
            for (int part = 0; part < 4; part++) {
                int q = part;
                List<Long> offsets = got.stream().filter(r -> r.partition() == q).map(ConsumerRecord::offset).toList();
                assertThat(offsets).as("partition %d in order, no gaps", q).hasSize(75).isSorted()
                        .doesNotHaveDuplicates();
            }
        }
        assertThat(meter("sluice.kafka.fetch.sessions.opened")).as("the consumer opened a session")
                .isGreaterThan(created);
        assertThat(meter("sluice.kafka.fetch.sessions.incremental")).as("and fetched incrementally in it")
                .isGreaterThan(incremental);
    }
}
