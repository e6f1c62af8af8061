package io.sluice.protocol.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** kafka-clients 4.x against the plugin over a real socket: the first smoke test of the session layer. */
class KafkaClientsEndToEndTest {

    @TempDir
    static Path dir;
    static KafkaTestBroker broker;

    @BeforeAll
    static void start() {
        broker = new KafkaTestBroker(dir, Map.of());
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static Properties common() {
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrap());
        return p;
    }

    @Test
    void produceThenConsumeWithAGroup() throws Exception {
        try (Admin admin = Admin.create(common())) {
            admin.createTopics(List.of(new NewTopic("e2e", 2, (short) 1))).all().get();
            assertThat(admin.listTopics().names().get()).contains("e2e");
        }
        long t0 = System.nanoTime();
        Properties pp = common();
        pp.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        pp.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        pp.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        List<RecordMetadata> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(pp)) {
            for (int i = 0; i < 100; i++) {
                sent.add(producer.send(new ProducerRecord<>("e2e", "k" + i, "v" + i)).get());
            }
        }
        assertThat(sent).extracting(m -> m.partition() + ":" + m.offset()).doesNotHaveDuplicates().hasSize(100);

        System.out.println("TIMING produce " + (System.nanoTime() - t0) / 1_000_000);
        t0 = System.nanoTime();
        Properties cp = common();
        cp.put(ConsumerConfig.GROUP_ID_CONFIG, "g1");
        cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        cp.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        cp.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<String> got = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(cp)) {
            consumer.subscribe(Set.of("e2e"));
            long deadline = System.currentTimeMillis() + 30_000;
            while (got.size() < 100 && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    got.add(r.value());
                }
            }
            System.out.println("TIMING consume " + (System.nanoTime() - t0) / 1_000_000);
            consumer.commitSync();
        }
        assertThat(got).hasSize(100).doesNotHaveDuplicates();
    }
}
