package io.sluice.it.resp;

import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import io.sluice.testkit.SluiceExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Redis stream is a one-partition Kafka topic: entries added with XADD are read by a Kafka consumer in the same
 * order, with the id in the {@code redis.id} header, the id's milliseconds as timestamp and the fields as a JSON
 * object (several fields) or the value itself (one field); records a Kafka producer writes show up in XRANGE. Skipped while the Kafka listener is not available.
 */
@Tag("it")
class RespKafkaInteropTest {

    @RegisterExtension
    static final SluiceExtension sluice = new SluiceExtension();
    static LettuceSupport lettuce;

    @BeforeAll
    static void start() {
        lettuce = new LettuceSupport(sluice.redisUri());
    }

    @AfterAll
    static void stop() {
        if (lettuce != null) {
            lettuce.close();
        }
    }

    @Test
    void redisEntriesAreKafkaRecordsAndBack() throws Exception {
        String key = "interop-events";
        List<String> ids = new ArrayList<>();
        try (StatefulRedisConnection<String, String> conn = lettuce.connect(ProtocolVersion.RESP3)) {
            RedisCommands<String, String> r = conn.sync();
            for (int i = 0; i < 5; i++) {
                Map<String, String> f = new LinkedHashMap<>();
                f.put("n", Integer.toString(i));
                f.put("text", "é" + i);
                ids.add(r.xadd(key, new XAddArgs().id("1700000000000-" + i), f));
            }
        }
        Properties p = new Properties();
        p.put("bootstrap.servers", sluice.kafkaBootstrap());
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        p.put("enable.auto.commit", "false");
        List<ConsumerRecord<String, String>> got = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            TopicPartition tp = new TopicPartition(key, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (got.size() < 5 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(got::add);
            }
        }
        assertThat(got).hasSize(5);
        for (int i = 0; i < 5; i++) {
            ConsumerRecord<String, String> rec = got.get(i);
            assertThat(rec.offset()).isEqualTo(i);
            assertThat(rec.timestamp()).isEqualTo(1700000000000L);
            assertThat(rec.key()).isNull();
            assertThat(rec.value()).isEqualTo("{\"n\":\"" + i + "\",\"text\":\"é" + i + "\"}");
            assertThat(new String(rec.headers().lastHeader("redis.id").value(), StandardCharsets.US_ASCII))
                    .isEqualTo(ids.get(i));
        }

        Properties pp = new Properties();
        pp.put("bootstrap.servers", sluice.kafkaBootstrap());
        pp.put("key.serializer", StringSerializer.class.getName());
        pp.put("value.serializer", StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(pp)) {
            producer.send(new ProducerRecord<>(key, 0, 1800000000000L, null, "{\"from\":\"kafka\"}")).get(30, TimeUnit.SECONDS);
        }
        try (StatefulRedisConnection<String, String> conn = lettuce.connect(ProtocolVersion.RESP2)) {
            List<StreamMessage<String, String>> all = conn.sync().xrange(key, Range.create("-", "+"));
            assertThat(all).hasSize(6);
            assertThat(all.get(5).getId()).isEqualTo("1800000000000-5");
            assertThat(all.get(5).getBody()).containsEntry("from", "kafka");
        }
    }

    /** A one-field entry's value is the Kafka record's value byte for byte, binary or not; the name is a header. */
    @Test
    void oneFieldBinaryEntryIsTheKafkaValueItself() throws Exception {
        String key = "interop-payload";
        byte[] payload = new byte[300];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 7 + 0x80);
        }
        String id;
        try (StatefulRedisConnection<byte[], byte[]> conn = lettuce.client(ProtocolVersion.RESP2)
                .connect(io.lettuce.core.codec.ByteArrayCodec.INSTANCE)) {
            id = conn.sync().xadd(key.getBytes(StandardCharsets.UTF_8), Map.of("body".getBytes(StandardCharsets.UTF_8),
                    payload));
            List<StreamMessage<byte[], byte[]>> back = conn.sync().xrange(key.getBytes(StandardCharsets.UTF_8),
                    Range.create("-", "+"));
            assertThat(back).hasSize(1);
            assertThat(back.get(0).getBody().values()).singleElement().isEqualTo(payload);
        }
        Properties p = new Properties();
        p.put("bootstrap.servers", sluice.kafkaBootstrap());
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        p.put("enable.auto.commit", "false");
        List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            TopicPartition tp = new TopicPartition(key, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (got.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(got::add);
            }
        }
        assertThat(got).hasSize(1);
        assertThat(got.get(0).value()).isEqualTo(payload);
        assertThat(got.get(0).headers().lastHeader("redis.field").value()).isEqualTo("body".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(got.get(0).headers().lastHeader("redis.id").value(), StandardCharsets.US_ASCII))
                .isEqualTo(id);
    }
}
