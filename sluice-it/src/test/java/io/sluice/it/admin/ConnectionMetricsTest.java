package io.sluice.it.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.sluice.testkit.EmbeddedSluice;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The connection and storage meters at {@code /metrics} after a known workload through real clients (jnats and
 * kafka-clients): open counts equal the clients open, bytes and messages match what the clients sent, closes are
 * counted, and durable appends show in the fsync and group-size histograms.
 */
class ConnectionMetricsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private EmbeddedSluice sluice;

    @BeforeEach
    void start() {
        sluice = EmbeddedSluice.builder().set("http.port", "random").start();
    }

    @AfterEach
    void stop() {
        sluice.close();
    }

    private String get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(sluice.httpUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body();
    }

    /** The sum of every series of {@code name} (exact name) whose labels include all of {@code labels}. */
    static double metric(String scrape, String name, Map<String, String> labels) {
        double sum = 0;
        boolean found = false;
        for (String line : scrape.split("\n")) {
            if (!(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                continue;
            }
            boolean all = labels.entrySet().stream().allMatch(e -> line.contains(e.getKey() + "=\"" + e.getValue()
                    + "\""));
            if (all) {
                found = true;
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        assertThat(found).as(name + labels + " in\n" + scrape).isTrue();
        return sum;
    }

    private double nats(String name) throws Exception {
        return metric(get("/metrics"), name, Map.of("protocol", "nats"));
    }

    private static Connection natsClient(EmbeddedSluice s, String name) throws Exception {
        // generous timeout: the machine running the tests may be loaded
        return Nats.connect(new Options.Builder().server(s.natsUrl()).connectionName(name)
                .connectionTimeout(Duration.ofSeconds(30)).noReconnect().build());
    }

    @Test
    void natsConnectionsBytesMessagesAndCloses() throws Exception {
        String scrape = get("/metrics");
        // Every protocol's series exist before its first client.
        for (String p : List.of("kafka", "amqp", "nats", "resp")) {
            assertThat(metric(scrape, "sluice_connections", Map.of("protocol", p))).isZero();
            assertThat(metric(scrape, "sluice_connections_opened_total", Map.of("protocol", p))).isZero();
        }
        // The NATS adapter's own connection and message meters are folded into these: no duplicates.
        assertThat(scrape).doesNotContain("sluice_nats_connections").doesNotContain("sluice_nats_messages");

        Connection publisher = natsClient(sluice, "publisher");
        Connection subscriber = natsClient(sluice, "subscriber");
        Subscription sub = subscriber.subscribe("metrics.test");
        subscriber.flush(Duration.ofSeconds(10)); // the SUB is processed before anything is published
        byte[] payload = new byte[1000];
        for (int i = 0; i < 10; i++) {
            publisher.publish("metrics.test", payload);
        }
        publisher.flush(Duration.ofSeconds(10));
        for (int i = 0; i < 10; i++) {
            assertThat(sub.nextMessage(Duration.ofSeconds(10))).as("message " + i).isNotNull();
        }

        assertThat(nats("sluice_connections")).isEqualTo(2);
        assertThat(nats("sluice_connections_opened_total")).isEqualTo(2);
        assertThat(nats("sluice_connection_received_messages_total")).isEqualTo(10);
        await().atMost(Duration.ofSeconds(10)).until(() -> nats("sluice_connection_sent_messages_total") == 10);
        // Ten 1000-byte payloads went in through the socket and out again to the subscriber.
        assertThat(nats("sluice_connection_received_bytes_total")).isGreaterThanOrEqualTo(10_000);
        assertThat(nats("sluice_connection_sent_bytes_total")).isGreaterThanOrEqualTo(10_000);

        // The admin API sees the same connections, named by the clients.
        JsonNode listed = JSON.readTree(get("/api/v1/connections?protocol=nats"));
        assertThat(listed).hasSize(2);
        List<String> names = new ArrayList<>();
        listed.forEach(c -> names.add(c.get("clientName").asText()));
        assertThat(names).containsExactlyInAnyOrder("publisher", "subscriber");
        long publisherReceived = 0;
        for (JsonNode c : listed) {
            if (c.get("clientName").asText().equals("publisher")) {
                publisherReceived = c.get("receivedBytes").asLong();
                assertThat(c.get("receivedMessages").asLong()).isEqualTo(10);
            }
        }
        assertThat(publisherReceived).isGreaterThanOrEqualTo(10_000);

        publisher.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> nats("sluice_connections") == 1);
        assertThat(nats("sluice_connections_closed_total")).isEqualTo(1);
        assertThat(nats("sluice_connections_opened_total")).isEqualTo(2);
        subscriber.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> nats("sluice_connections") == 0);
        assertThat(nats("sluice_connections_closed_total")).isEqualTo(2);
    }

    @Test
    void kafkaBytesAndStorageHistogramsAfterDurableAppends() throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, sluice.kafkaBootstrap());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "metrics-producer");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        byte[] value = new byte[1000];
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                sent.add(producer.send(new ProducerRecord<>("metrics-topic", value)));
            }
            for (var f : sent) {
                f.get();
            }
            String scrape = get("/metrics");
            Map<String, String> kafka = Map.of("protocol", "kafka");
            // The producer's connections (bootstrap and broker) are the ones listed; the gauge agrees.
            JsonNode listed = JSON.readTree(get("/api/v1/connections?protocol=kafka"));
            assertThat(listed.size()).isPositive();
            assertThat(metric(scrape, "sluice_connections", kafka)).isEqualTo(listed.size());
            listed.forEach(c -> assertThat(c.get("clientId").asText()).isEqualTo("metrics-producer"));
            assertThat(metric(scrape, "sluice_connection_received_bytes_total", kafka))
                    .isGreaterThanOrEqualTo(100 * 1000);
            assertThat(metric(scrape, "sluice_connection_sent_bytes_total", kafka)).isPositive();
            assertThat(metric(scrape, "sluice_connection_errors_total", kafka)).isZero();

            // Each acks=all send waited for an fsync (log.durability=fsync by default).
            assertThat(metric(scrape, "sluice_storage_fsync_seconds_count", Map.of())).isPositive();
            assertThat(metric(scrape, "sluice_storage_fsync_seconds_bucket", Map.of("le", "+Inf")))
                    .isEqualTo(metric(scrape, "sluice_storage_fsync_seconds_count", Map.of()));
            assertThat(metric(scrape, "sluice_storage_append_batch_records_count", Map.of())).isPositive();
            // The topic's 100 records are among the records written (internal logs write too).
            assertThat(metric(scrape, "sluice_storage_append_batch_records_sum", Map.of()))
                    .isGreaterThanOrEqualTo(100);
            assertThat(metric(scrape, "sluice_storage_append_batch_bytes_sum", Map.of()))
                    .isGreaterThanOrEqualTo(100 * 1000);
        }
        await().atMost(Duration.ofSeconds(10)).until(() ->
                metric(get("/metrics"), "sluice_connections", Map.of("protocol", "kafka")) == 0);
        String scrape = get("/metrics");
        assertThat(metric(scrape, "sluice_connections_closed_total", Map.of("protocol", "kafka")))
                .isEqualTo(metric(scrape, "sluice_connections_opened_total", Map.of("protocol", "kafka")));
    }

    /** The connection of {@code protocol} the admin API lists, awaited until {@code field} is set. */
    private JsonNode listedWith(String protocol, String field) throws Exception {
        JsonNode[] found = new JsonNode[1];
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            for (JsonNode c : JSON.readTree(get("/api/v1/connections?protocol=" + protocol))) {
                if (!c.path(field).isNull() && !c.path(field).isMissingNode()) {
                    found[0] = c;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    @Test
    void amqpAndRedisClientsAreListedWithWhatTheirProtocolTells() throws Exception {
        com.rabbitmq.client.ConnectionFactory f = new com.rabbitmq.client.ConnectionFactory();
        f.setUri(sluice.amqpUri());
        f.setAutomaticRecoveryEnabled(false);
        try (com.rabbitmq.client.Connection amqp = f.newConnection("billing-app")) {
            JsonNode c = listedWith("amqp", "namespace");
            assertThat(c.get("user").asText()).isEqualTo("guest");
            assertThat(c.get("clientName").asText()).isEqualTo("billing-app");
            assertThat(c.get("tenant").asText()).isEqualTo("default");
            assertThat(c.get("namespace").asText()).isEqualTo("default"); // the "/" virtual host
            assertThat(c.get("receivedBytes").asLong()).isPositive();
        }

        io.lettuce.core.resource.ClientResources res = io.lettuce.core.resource.DefaultClientResources.builder()
                .ioThreadPoolSize(1).computationThreadPoolSize(1).build();
        io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(res, sluice.redisUri());
        try (var redis = client.connect()) {
            assertThat(redis.sync().clientSetname("cache-warmer")).isEqualTo("OK");
            JsonNode c = listedWith("resp", "clientName");
            assertThat(c.get("clientName").asText()).isEqualTo("cache-warmer");
            assertThat(c.get("sentBytes").asLong()).isPositive();
        } finally {
            client.shutdown(0, 2, java.util.concurrent.TimeUnit.SECONDS);
            res.shutdown(0, 2, java.util.concurrent.TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> JSON.readTree(get("/api/v1/connections")).isEmpty());
        String scrape = get("/metrics");
        for (String p : List.of("amqp", "resp")) {
            assertThat(metric(scrape, "sluice_connections_closed_total", Map.of("protocol", p)))
                    .isEqualTo(metric(scrape, "sluice_connections_opened_total", Map.of("protocol", p)))
                    .isPositive();
        }
    }
}
