package io.sluice.it.interop;

import io.sluice.testkit.EmbeddedSluice;
import io.sluice.testkit.SluiceExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Node.js client families (kafkajs, amqplib, nats.js) of {@code src/test/node}, each run as a child process
 * against one embedded node; each script prints tagged lines that the test checks.
 */
@Tag("it")
class NodeClientsTest {

    @RegisterExtension
    static final SluiceExtension SLUICE = new SluiceExtension(EmbeddedSluice.builder().set("log.durability", "os-cache"));

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @Test
    void kafkajsGroupConsumesWhatAJavaProducerWroteAndCommits() throws Exception {
        ExternalClient.requireNodePackage("kafkajs");
        String topic = "kafkajs-orders";
        int n = 200;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SLUICE.kafkaBootstrap());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        try (var producer = new KafkaProducer<String, String>(p)) {
            for (int i = 0; i < n; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + (i % 13), "v" + i));
            }
            producer.flush();
        }

        var r = ExternalClient.node(TIMEOUT, "kafkajs-group.js", SLUICE.kafkaBootstrap(), topic, "js-group",
                String.valueOf(n)).assertSuccess();

        List<String> msgs = r.tagged("MSG ");
        Set<String> values = new HashSet<>();
        Map<String, Long> lastOffset = new java.util.HashMap<>();
        Map<String, Long> counts = new java.util.HashMap<>();
        for (String m : msgs) {
            String[] parts = m.split(" ", 3);
            String[] kv = parts[2].split("=", 2);
            int i = Integer.parseInt(kv[1].substring(1));
            assertThat(kv[0]).isEqualTo("k" + (i % 13));
            values.add(kv[1]);
            long offset = Long.parseLong(parts[1]);
            Long prev = lastOffset.put(parts[0], offset);
            assertThat(prev == null || prev < offset).as("offsets increase within partition %s", parts[0]).isTrue();
            counts.merge(parts[0], 1L, Long::sum);
        }
        assertThat(values).as(r.output()).containsExactlyInAnyOrderElementsOf(
                IntStream.range(0, n).mapToObj(i -> "v" + i).toList());
        // each partition's committed offset is one past the last record read there
        List<String> committed = r.tagged("COMMITTED ");
        for (String c : committed) {
            String[] parts = c.split(" ");
            Long last = lastOffset.get(parts[0]);
            assertThat(Long.parseLong(parts[1])).as("committed offset of partition %s", parts[0])
                    .isEqualTo(last == null ? -1 : last + 1);
        }
        assertThat(committed).hasSizeGreaterThanOrEqualTo(lastOffset.size());
    }

    @Test
    void amqplibConfirmsManualAcksAndDeadLettering() throws Exception {
        ExternalClient.requireNodePackage("amqplib");
        int n = 20;
        var r = ExternalClient.node(TIMEOUT, "amqplib-dlx.js", SLUICE.amqpUri(), "amqplib", String.valueOf(n))
                .assertSuccess();

        assertThat(r.tagged("CONFIRMED ")).containsExactly(String.valueOf(n));
        List<String> acked = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            (i % 2 == 0 ? acked : rejected).add("m-" + i);
        }
        assertThat(r.tagged("ACKED ")).containsExactlyElementsOf(acked);
        assertThat(r.tagged("REJECTED ")).containsExactlyElementsOf(rejected);
        List<String> dead = r.tagged("DEAD ");
        assertThat(dead).as(r.output()).hasSize(rejected.size());
        for (int i = 0; i < dead.size(); i++) {
            String line = dead.get(i);
            assertThat(line).startsWith(rejected.get(i) + " ");
            // x-death: one entry, reason rejected, from the work queue, count 1; routing key kept
            assertThat(line).contains("\"reason\":\"rejected\"").contains("\"queue\":\"amqplib.work\"")
                    .contains("\"count\":1").endsWith(" amqplib.work");
        }
    }

    @Test
    void natsJsPubSubRequestReplyAndJetStreamWithMessageIds() throws Exception {
        natsJs("njs", "jetstream");
    }

    /**
     * nats.js's {@code js.publish} without options sends {@code HPUB <subject> <reply> 0 <n>}: an empty header block,
     * which nats-server accepts. Sluice's NATS adapter closes the connection instead, because
     * {@code NatsMessages.toCore} hands the 0-byte block to {@code NatsHeaders.parse}, which requires a
     * {@code NATS/1.0} line; the PubAck never comes and the client times out.
     */
    @Test
    void natsJsJetStreamPublishWithoutHeaders() throws Exception {
        natsJs("njp", "jetstream-plain");
    }

    private static void natsJs(String prefix, String mode) throws Exception {
        ExternalClient.requireNodePackage("nats");
        int n = 10;
        var r = ExternalClient.node(TIMEOUT, "nats-js.js", SLUICE.natsUrl(), prefix, String.valueOf(n), mode)
                .assertSuccess();

        assertThat(r.tagged("SUB ")).as(r.output()).containsExactlyElementsOf(
                IntStream.range(0, n).mapToObj(i -> prefix + ".events.e" + i + " event-" + i).toList());
        assertThat(r.tagged("REPLY ")).containsExactly("echo:ping-0", "echo:ping-1", "echo:ping-2");
        String stream = prefix.toUpperCase() + "_JS";
        assertThat(r.tagged("JS-ACK ")).containsExactlyElementsOf(
                IntStream.range(0, n).mapToObj(i -> stream + " " + (i + 1)).toList());
        assertThat(r.tagged("JS-MSG ")).containsExactlyElementsOf(
                IntStream.range(0, n).mapToObj(i -> (i + 1) + " " + prefix + ".js.item js-" + i).toList());
    }
}
