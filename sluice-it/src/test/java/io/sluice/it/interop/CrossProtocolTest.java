package io.sluice.it.interop;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.lettuce.core.RedisClient;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.sluice.testkit.EmbeddedSluice;
import io.sluice.testkit.SluiceExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The product's promise, with the official Java clients: a message written through one protocol is read through
 * another, with the same bodies in the same order and, where the mapping of docs/COMPATIBILITY.md defines one, the
 * same headers, keys and subjects. Each test writes through one protocol and reads through one or two others.
 */
@Tag("it")
class CrossProtocolTest {

    @RegisterExtension
    static final SluiceExtension SLUICE = new SluiceExtension(EmbeddedSluice.builder().set("log.durability", "os-cache"));

    private static final Duration WAIT = Duration.ofSeconds(30);

    // ---- Kafka ------------------------------------------------------------------------------------------------

    private static KafkaProducer<String, String> kafkaProducer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SLUICE.kafkaBootstrap());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return new KafkaProducer<>(p);
    }

    /** Reads partition 0 of {@code topic} from the beginning until {@code count} records arrived. */
    private static List<ConsumerRecord<String, String>> kafkaRead(String topic, int count) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SLUICE.kafkaBootstrap());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (var c = new KafkaConsumer<String, String>(p)) {
            TopicPartition tp = new TopicPartition(topic, 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (out.size() < count && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(500)).forEach(out::add);
            }
        }
        assertThat(out).as("records read from %s", topic).hasSize(count);
        return out;
    }

    private static Map<String, String> headers(ConsumerRecord<String, String> r) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Header h : r.headers()) {
            m.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
        }
        return m;
    }

    // ---- AMQP -------------------------------------------------------------------------------------------------

    private static Connection amqp() throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setUri(SLUICE.amqpUri());
        f.setAutomaticRecoveryEnabled(false);
        return f.newConnection();
    }

    private static void declareStreamQueue(Channel ch, String name) throws Exception {
        ch.queueDeclare(name, true, false, false, Map.of("x-queue-type", "stream"));
    }

    /** One delivery of a stream queue consumer. */
    private record Delivered(String body, String routingKey, Map<String, Object> headers) {
    }

    /** Reads {@code count} messages of a stream queue from its first offset, acknowledging each. */
    private static List<Delivered> amqpReadStream(Channel ch, String queue, int count) throws Exception {
        BlockingQueue<Delivered> got = new LinkedBlockingQueue<>();
        ch.basicQos(100);
        String tag = ch.basicConsume(queue, false, Map.of("x-stream-offset", "first"), new DefaultConsumer(ch) {
            @Override
            public void handleDelivery(String consumerTag, Envelope env, AMQP.BasicProperties props, byte[] body)
                    throws java.io.IOException {
                Map<String, Object> h = props.getHeaders() == null ? Map.of() : props.getHeaders();
                got.add(new Delivered(new String(body, StandardCharsets.UTF_8), env.getRoutingKey(), h));
                getChannel().basicAck(env.getDeliveryTag(), false);
            }
        });
        List<Delivered> out = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (out.size() < count && System.nanoTime() < deadline) {
            Delivered d = got.poll(200, TimeUnit.MILLISECONDS);
            if (d != null) {
                out.add(d);
            }
        }
        ch.basicCancel(tag);
        assertThat(out).as("deliveries from stream queue %s", queue).hasSize(count);
        return out;
    }

    private static String str(Object headerValue) {
        return headerValue == null ? null : headerValue.toString();
    }

    // ---- tests ------------------------------------------------------------------------------------------------

    @Test
    void kafkaProducerToAmqpStreamQueue() throws Exception {
        String name = "k2a-orders";
        int n = 50;
        try (Connection conn = amqp(); Channel ch = conn.createChannel()) {
            declareStreamQueue(ch, name);
            try (var producer = kafkaProducer()) {
                for (int i = 0; i < n; i++) {
                    var rec = new ProducerRecord<>(name, 0, "key-" + i, "order-" + i);
                    rec.headers().add("trace", ("t" + i).getBytes(StandardCharsets.UTF_8));
                    producer.send(rec);
                }
                producer.flush();
            }
            List<Delivered> got = amqpReadStream(ch, name, n);
            for (int i = 0; i < n; i++) {
                assertThat(got.get(i).body()).isEqualTo("order-" + i);
                assertThat(str(got.get(i).headers().get("trace"))).isEqualTo("t" + i);
                // RabbitMQ tells a stream consumer each message's offset; here it is the Kafka offset
                assertThat(got.get(i).headers().get("x-stream-offset")).isEqualTo((long) i);
            }
        }
    }

    @Test
    void amqpTopicExchangeIntoStreamQueueToKafkaConsumer() throws Exception {
        String stream = "a2k-events";
        String exchange = "a2k.topic";
        int n = 30;
        try (Connection conn = amqp(); Channel ch = conn.createChannel()) {
            declareStreamQueue(ch, stream);
            ch.exchangeDeclare(exchange, "topic", true);
            ch.queueBind(stream, exchange, "events.eu.#");
            ch.confirmSelect();
            for (int i = 0; i < n; i++) {
                // every third message is routed elsewhere by the topic pattern and must not reach the stream
                String key = i % 3 == 2 ? "events.us.created" : "events.eu.created." + i;
                var props = new AMQP.BasicProperties.Builder().headers(Map.of("tenant", "acme-" + i))
                        .priority(i % 3 == 0 ? 5 : null).build();
                ch.basicPublish(exchange, key, props, ("event-" + i).getBytes(StandardCharsets.UTF_8));
            }
            ch.waitForConfirmsOrDie(WAIT.toMillis());

            List<Integer> routed = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (i % 3 != 2) {
                    routed.add(i);
                }
            }
            List<ConsumerRecord<String, String>> recs = kafkaRead(stream, routed.size());
            for (int j = 0; j < routed.size(); j++) {
                int i = routed.get(j);
                ConsumerRecord<String, String> r = recs.get(j);
                assertThat(r.key()).isNull();
                assertThat(r.value()).isEqualTo("event-" + i);
                Map<String, String> h = headers(r);
                assertThat(h).containsEntry("tenant", "acme-" + i)
                        .containsEntry("sluice.subject", "events.eu.created." + i);
                if (i % 3 == 0) {
                    assertThat(h).containsEntry("sluice.priority", "5");
                } else {
                    assertThat(h).doesNotContainKey("sluice.priority");
                }
            }
            // and the AMQP reader of the same stream queue sees the same messages, routing keys included
            List<Delivered> amqp = amqpReadStream(ch, stream, routed.size());
            for (int j = 0; j < routed.size(); j++) {
                int i = routed.get(j);
                assertThat(amqp.get(j).body()).isEqualTo("event-" + i);
                assertThat(amqp.get(j).routingKey()).isEqualTo("events.eu.created." + i);
                assertThat(str(amqp.get(j).headers().get("tenant"))).isEqualTo("acme-" + i);
            }
        }
    }

    @Test
    void natsJetStreamPublishToKafkaConsumer() throws Exception {
        String stream = "N2K_ORDERS";
        int n = 25;
        Options o = new Options.Builder().server(SLUICE.natsUrl()).noReconnect()
                .connectionTimeout(Duration.ofSeconds(20)).build();
        try (io.nats.client.Connection nc = Nats.connect(o)) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name(stream).subjects("n2k.orders.>")
                    .storageType(StorageType.File).build());
            JetStream js = nc.jetStream();
            for (int i = 0; i < n; i++) {
                Headers h = new Headers().add("origin", "nats-" + i);
                PublishAck ack = js.publish(NatsMessage.builder().subject("n2k.orders." + (i % 2 == 0 ? "eu" : "us"))
                        .headers(h).data("n-" + i, StandardCharsets.UTF_8).build());
                assertThat(ack.getSeqno()).isEqualTo(i + 1);
            }
            // a core publish to a captured subject is captured as well
            nc.publish("n2k.orders.core", "n-core".getBytes(StandardCharsets.UTF_8));
            nc.flush(WAIT);
        }
        List<ConsumerRecord<String, String>> recs = kafkaRead(stream, n + 1);
        for (int i = 0; i < n; i++) {
            ConsumerRecord<String, String> r = recs.get(i);
            assertThat(r.offset()).isEqualTo(i); // JetStream sequence = offset + 1
            assertThat(r.key()).isNull();
            assertThat(r.value()).isEqualTo("n-" + i);
            assertThat(headers(r)).containsEntry("origin", "nats-" + i)
                    .containsEntry("sluice.subject", "n2k.orders." + (i % 2 == 0 ? "eu" : "us"));
        }
        assertThat(recs.get(n).value()).isEqualTo("n-core");
        assertThat(headers(recs.get(n))).containsEntry("sluice.subject", "n2k.orders.core");
    }

    @Test
    void redisXaddToAmqpStreamQueueAndKafkaConsumer() throws Exception {
        String stream = "r2x-sensors";
        int n = 20;
        List<String> ids = new ArrayList<>();
        try (Connection conn = amqp(); Channel ch = conn.createChannel()) {
            declareStreamQueue(ch, stream);
            ClientResources res = DefaultClientResources.builder().ioThreadPoolSize(1).computationThreadPoolSize(1)
                    .build();
            RedisClient client = RedisClient.create(res, SLUICE.redisUri());
            try (StatefulRedisConnection<String, String> redis = client.connect()) {
                for (int i = 0; i < n; i++) {
                    Map<String, String> fields = new LinkedHashMap<>();
                    fields.put("sensor", "s" + (i % 4));
                    fields.put("temp", Integer.toString(20 + i));
                    ids.add(redis.sync().xadd(stream, new XAddArgs(), fields));
                }
            } finally {
                client.shutdown(0, 2, TimeUnit.SECONDS);
                res.shutdown(0, 2, TimeUnit.SECONDS);
            }

            List<ConsumerRecord<String, String>> recs = kafkaRead(stream, n);
            List<Delivered> amqp = amqpReadStream(ch, stream, n);
            for (int i = 0; i < n; i++) {
                String json = "{\"sensor\":\"s" + (i % 4) + "\",\"temp\":\"" + (20 + i) + "\"}";
                assertThat(recs.get(i).value()).isEqualTo(json);
                assertThat(recs.get(i).key()).isNull();
                assertThat(headers(recs.get(i))).containsEntry("redis.id", ids.get(i));
                assertThat(recs.get(i).timestamp()).isEqualTo(Long.parseLong(ids.get(i).split("-")[0]));
                assertThat(amqp.get(i).body()).isEqualTo(json);
                assertThat(str(amqp.get(i).headers().get("redis.id"))).isEqualTo(ids.get(i));
            }
        }
    }

    @Test
    void kafkaProducerToRedisXrange() throws Exception {
        String stream = "k2r-log";
        int n = 10;
        try (var producer = kafkaProducer()) {
            for (int i = 0; i < n; i++) {
                producer.send(new ProducerRecord<>(stream, 0, i % 2 == 0 ? null : "k" + i,
                        i % 2 == 0 ? "{\"n\":\"" + i + "\"}" : "plain-" + i));
            }
            producer.flush();
        }
        ClientResources res = DefaultClientResources.builder().ioThreadPoolSize(1).computationThreadPoolSize(1).build();
        RedisClient client = RedisClient.create(res, SLUICE.redisUri());
        try (StatefulRedisConnection<String, String> redis = client.connect()) {
            var entries = redis.sync().xrange(stream, io.lettuce.core.Range.create("-", "+"));
            assertThat(entries).hasSize(n);
            for (int i = 0; i < n; i++) {
                var e = entries.get(i);
                // records written by other protocols get the id <timestamp>-<offset>
                assertThat(e.getId()).endsWith("-" + i);
                if (i % 2 == 0) {
                    assertThat(e.getBody()).isEqualTo(Map.of("n", Integer.toString(i)));
                } else {
                    assertThat(e.getBody()).containsExactlyEntriesOf(orderedMap("key", "k" + i, "value", "plain-" + i));
                }
            }
        } finally {
            client.shutdown(0, 2, TimeUnit.SECONDS);
            res.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    @Test
    void kafkaProducerToNatsJetStreamPullConsumer() throws Exception {
        String stream = "K2N_EVENTS";
        int n = 12;
        Options o = new Options.Builder().server(SLUICE.natsUrl()).noReconnect()
                .connectionTimeout(Duration.ofSeconds(20)).build();
        try (io.nats.client.Connection nc = Nats.connect(o)) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name(stream).subjects("k2n.>")
                    .storageType(StorageType.File).build());
            try (var producer = kafkaProducer()) {
                for (int i = 0; i < n; i++) {
                    var rec = new ProducerRecord<String, String>(stream, 0, null, "kafka-" + i);
                    rec.headers().add("origin", ("k" + i).getBytes(StandardCharsets.UTF_8));
                    producer.send(rec);
                }
                producer.flush();
            }
            jsm.addOrUpdateConsumer(stream, io.nats.client.api.ConsumerConfiguration.builder().durable("reader")
                    .ackPolicy(io.nats.client.api.AckPolicy.Explicit).build());
            JetStream js = nc.jetStream();
            var sub = js.subscribe(null, io.nats.client.PullSubscribeOptions.bind(stream, "reader"));
            List<io.nats.client.Message> got = new ArrayList<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (got.size() < n && System.nanoTime() < deadline) {
                for (io.nats.client.Message m : sub.fetch(n - got.size(), Duration.ofSeconds(2))) {
                    got.add(m);
                    m.ack();
                }
            }
            assertThat(got).hasSize(n);
            for (int i = 0; i < n; i++) {
                io.nats.client.Message m = got.get(i);
                assertThat(new String(m.getData(), StandardCharsets.UTF_8)).isEqualTo("kafka-" + i);
                assertThat(m.metaData().streamSequence()).isEqualTo(i + 1);
                assertThat(m.getHeaders().getFirst("origin")).isEqualTo("k" + i);
            }
        }
    }

    /**
     * A stream queue over a topic that Kafka created first: the durable stream-queue declare adopts the existing
     * one-partition stream, and an AMQP consumer reads what Kafka wrote before the queue existed.
     */
    @Test
    void amqpStreamQueueAdoptsATopicKafkaCreatedFirst() throws Exception {
        String name = "k-first";
        try (var producer = kafkaProducer()) {
            producer.send(new ProducerRecord<>(name, 0, null, "early")).get(30, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(name, 0, null, "late")).get(30, TimeUnit.SECONDS);
        }
        try (Connection conn = amqp()) {
            Channel ch = conn.createChannel();
            declareStreamQueue(ch, name);
            ch.basicQos(10);
            java.util.concurrent.BlockingQueue<String> got = new java.util.concurrent.LinkedBlockingQueue<>();
            ch.basicConsume(name, false, Map.of("x-stream-offset", "first"), (tag, d) -> {
                got.add(new String(d.getBody(), java.nio.charset.StandardCharsets.UTF_8));
                ch.basicAck(d.getEnvelope().getDeliveryTag(), false);
            }, tag -> { });
            org.assertj.core.api.Assertions.assertThat(got.poll(30, TimeUnit.SECONDS)).isEqualTo("early");
            org.assertj.core.api.Assertions.assertThat(got.poll(30, TimeUnit.SECONDS)).isEqualTo("late");
        }
    }

    private static Map<String, String> orderedMap(String k1, String v1, String k2, String v2) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return Collections.unmodifiableMap(m);
    }
}
