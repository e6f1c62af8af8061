package io.sluice.it.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acknowledged stream writes survive SIGKILL of the broker, through each streaming protocol's official client at
 * once: a Kafka producer with {@code acks=all} (idempotent, the client default), JetStream publishes acknowledged by
 * a PubAck, and Redis {@code XADD} replies. A separate JVM ({@link CrashServer}, fsync mode) is killed under that
 * load, restarted on the same folder, and each stream is read back through the protocol that wrote it. Several rounds,
 * each on top of the data the previous ones left.
 *
 * <p>After each restart: every acknowledged message is there; nothing is there that was never sent; nothing is there
 * twice. Sends in flight at the kill may or may not have been stored (counted, not asserted).
 */
@Tag("crash")
class StreamCrashTest {

    private static final int ROUNDS = 3;
    private static final int WINDOW = 200;
    private static final String TOPIC = "crash-kafka";
    private static final String STREAM = "CRASH";
    private static final String SUBJECT = "crash.js";
    private static final String KEY = "crash-redis";

    /** What was sent and what was acknowledged, per protocol, across rounds. */
    private static final class Ledger {
        final Set<String> sent = ConcurrentHashMap.newKeySet();
        final Set<String> acked = ConcurrentHashMap.newKeySet();
        final Set<String> failed = ConcurrentHashMap.newKeySet();
    }

    /** One protocol's publisher: sends {@code body} and calls back once the broker acknowledged it. */
    private interface Sender extends AutoCloseable {
        void send(String body, Runnable onAck, Runnable onFailure) throws Exception;
    }

    @Test
    void acknowledgedWritesOfEveryStreamingProtocolSurviveSigkill(@TempDir Path dir) throws Exception {
        Ledger kafka = new Ledger();
        Ledger jetstream = new Ledger();
        Ledger redis = new Ledger();
        CrashBroker broker = CrashBroker.start(dir);
        try {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(broker)))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(60, TimeUnit.SECONDS);
            }
            try (Connection nc = nats(broker)) {
                nc.jetStreamManagement(jsOptions()).addStream(StreamConfiguration.builder().name(STREAM)
                        .subjects(SUBJECT).storageType(StorageType.File).build());
            }
            List<String> report = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                load(broker, round, kafka, jetstream, redis, 700 + 300L * round);
                broker = CrashBroker.start(dir);
                report.add(verify("round " + round + " kafka", kafka, readKafka(broker)));
                report.add(verify("round " + round + " jetstream", jetstream, readJetStream(broker)));
                report.add(verify("round " + round + " redis", redis, readRedis(broker)));
            }
            report.forEach(System.out::println);
            assertThat(kafka.acked).as("acknowledged Kafka sends").hasSizeGreaterThan(100);
            assertThat(jetstream.acked).as("acknowledged JetStream publishes").hasSizeGreaterThan(100);
            assertThat(redis.acked).as("acknowledged XADDs").hasSizeGreaterThan(100);
        } finally {
            broker.kill();
        }
    }

    /** Publishes through all three protocols at once for {@code runMillis}, then kills the broker under that load. */
    private void load(CrashBroker broker, int round, Ledger kafka, Ledger jetstream, Ledger redis, long runMillis)
            throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        List<Sender> senders = List.of(kafkaSender(broker), jetStreamSender(broker), redisSender(broker));
        List<Ledger> ledgers = List.of(kafka, jetstream, redis);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < senders.size(); p++) {
            Sender sender = senders.get(p);
            Ledger l = ledgers.get(p);
            String prefix = List.of("k", "j", "r").get(p) + round + "-";
            Thread t = new Thread(() -> {
                Semaphore window = new Semaphore(WINDOW);
                try {
                    for (long i = 0; !stop.get(); i++) {
                        if (!window.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                            continue;
                        }
                        String body = prefix + i;
                        l.sent.add(body);
                        sender.send(body, () -> {
                            l.acked.add(body);
                            window.release();
                        }, () -> {
                            l.failed.add(body);
                            window.release();
                        });
                    }
                } catch (Exception expected) {
                    // the broker was killed under the publisher
                }
            }, "crash-publisher-" + prefix);
            t.start();
            threads.add(t);
        }
        Thread.sleep(runMillis);
        broker.kill();
        stop.set(true);
        for (Thread t : threads) {
            t.join(10_000);
        }
        for (Sender s : senders) {
            try {
                s.close();
            } catch (Exception ignored) {
                // closing a client whose broker is gone
            }
        }
    }

    private static String verify(String what, Ledger l, List<String> stored) {
        Set<String> seen = new HashSet<>();
        List<String> twice = new ArrayList<>();
        List<String> invented = new ArrayList<>();
        for (String s : stored) {
            if (!seen.add(s)) {
                twice.add(s);
            }
            if (!l.sent.contains(s)) {
                invented.add(s);
            }
        }
        List<String> lost = l.acked.stream().filter(a -> !seen.contains(a)).sorted().toList();
        long unacked = seen.stream().filter(s -> !l.acked.contains(s)).count();
        assertThat(lost).as("%s: acknowledged, then lost", what).isEmpty();
        assertThat(invented).as("%s: stored but never sent", what).isEmpty();
        assertThat(twice).as("%s: stored twice", what).isEmpty();
        return String.format("%s: sent %d, acknowledged %d, failed %d, stored %d (of which unacknowledged %d)", what,
                l.sent.size(), l.acked.size(), l.failed.size(), stored.size(), unacked);
    }

    // ------------------------------------------------------------------ Kafka

    private static String bootstrap(CrashBroker broker) {
        return "127.0.0.1:" + broker.port("kafka");
    }

    private static Sender kafkaSender(CrashBroker broker) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(broker));
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 5_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 4_000);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        return new Sender() {
            @Override
            public void send(String body, Runnable onAck, Runnable onFailure) {
                producer.send(new ProducerRecord<>(TOPIC, 0, null, body), (md, e) -> (e == null ? onAck : onFailure).run());
            }

            @Override
            public void close() {
                producer.close(Duration.ZERO);
            }
        };
    }

    private static List<String> readKafka(CrashBroker broker) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(broker));
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (c.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                    out.add(r.value());
                }
            }
            assertThat(c.position(tp)).as("kafka read up to the end offset").isGreaterThanOrEqualTo(end);
        }
        return out;
    }

    // ------------------------------------------------------------------ JetStream

    private static JetStreamOptions jsOptions() {
        return JetStreamOptions.builder().requestTimeout(Duration.ofSeconds(20)).build();
    }

    private static Connection nats(CrashBroker broker) throws Exception {
        return Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + broker.port("nats")).noReconnect()
                .connectionTimeout(Duration.ofSeconds(20)).build());
    }

    private static Sender jetStreamSender(CrashBroker broker) throws Exception {
        Connection nc = nats(broker);
        JetStream js = nc.jetStream(jsOptions());
        return new Sender() {
            @Override
            public void send(String body, Runnable onAck, Runnable onFailure) {
                js.publishAsync(SUBJECT, body.getBytes(StandardCharsets.UTF_8))
                        .whenComplete((ack, e) -> (e == null && !ack.isDuplicate() ? onAck : onFailure).run());
            }

            @Override
            public void close() throws InterruptedException {
                nc.close();
            }
        };
    }

    private static List<String> readJetStream(CrashBroker broker) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection nc = nats(broker)) {
            JetStreamManagement jsm = nc.jetStreamManagement(jsOptions());
            StreamInfo info = jsm.getStreamInfo(STREAM);
            long first = info.getStreamState().getFirstSequence();
            long last = info.getStreamState().getLastSequence();
            for (long seq = first; seq <= last && last > 0; seq++) {
                MessageInfo m = jsm.getMessage(STREAM, seq);
                out.add(new String(m.getData(), StandardCharsets.UTF_8));
            }
            assertThat((long) out.size()).as("jetstream message count").isEqualTo(info.getStreamState().getMsgCount());
        }
        return out;
    }

    // ------------------------------------------------------------------ Redis

    private static RedisURI redisUri(CrashBroker broker) {
        return RedisURI.builder().withHost("127.0.0.1").withPort(broker.port("resp")).withTimeout(Duration.ofSeconds(20))
                .build();
    }

    private static Sender redisSender(CrashBroker broker) {
        RedisClient client = RedisClient.create(redisUri(broker));
        StatefulRedisConnection<String, String> conn = client.connect();
        return new Sender() {
            @Override
            public void send(String body, Runnable onAck, Runnable onFailure) {
                conn.async().xadd(KEY, "m", body).whenComplete((id, e) -> (e == null ? onAck : onFailure).run());
            }

            @Override
            public void close() {
                conn.closeAsync();
                client.shutdownAsync(0, 0, TimeUnit.MILLISECONDS);
            }
        };
    }

    private static List<String> readRedis(CrashBroker broker) {
        RedisClient client = RedisClient.create(redisUri(broker));
        try (StatefulRedisConnection<String, String> conn = client.connect()) {
            List<String> out = new ArrayList<>();
            for (StreamMessage<String, String> m : conn.sync().xrange(KEY, Range.create("-", "+"))) {
                out.add(m.getBody().get("m"));
            }
            return out;
        } finally {
            client.shutdown(0, 0, TimeUnit.MILLISECONDS);
        }
    }
}
