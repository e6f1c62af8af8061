package io.sluice.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.bench.harness.workload.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultLineTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ResultLine.Header HEADER =
            new ResultLine.Header("kafka", "Apache Kafka 4.4.0", "kafka", "L1", "acks=all", 1024, 1, 1, 1000, 5000);

    private static JsonNode line(Outcome o) throws Exception {
        Map<String, Object> server = new LinkedHashMap<>();
        server.put("pid", 42L);
        server.put("peak_rss_bytes", 1L << 20);
        String json = ResultLine.toJson(ResultLine.build(HEADER, o, server, 12.5,
                Instant.parse("2026-01-02T03:04:05Z"), Map.of("cores", 2)));
        assertThat(json).doesNotContain("\n");
        return JSON.readTree(json);
    }

    @Test
    void verifiedRunCarriesRatesLatencyAndContext() throws Exception {
        LatencyStats latency = new LatencyStats();
        latency.recordNanos(2_000_000);
        JsonNode n = line(new Outcome(10_000, 2.0, 4.0, 10_000, latency, List.of(), new LinkedHashMap<>()));
        assertThat(n.get("status").asText()).isEqualTo("ok");
        assertThat(n.get("system").asText()).isEqualTo("kafka");
        assertThat(n.get("version").asText()).isEqualTo("Apache Kafka 4.4.0");
        assertThat(n.get("workload").asText()).isEqualTo("L1");
        assertThat(n.get("durability").asText()).isEqualTo("acks=all");
        assertThat(n.get("send_msgs_per_s").asDouble()).isEqualTo(5_000.0);
        assertThat(n.get("recv_msgs_per_s").asDouble()).isEqualTo(2_500.0);
        assertThat(n.get("mb_per_s").asDouble()).isEqualTo(2.56); // 2,500 x 1,024 bytes
        assertThat(n.get("latency_us").get("p50").asDouble()).isCloseTo(2_000.0, org.assertj.core.api.Assertions.within(2.0));
        assertThat(n.get("latency_us").has("p99.9")).isTrue();
        assertThat(n.get("server").get("peak_rss_bytes").asLong()).isEqualTo(1L << 20);
        assertThat(n.get("timestamp").asText()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(n.get("host").get("cores").asInt()).isEqualTo(2);
        assertThat(n.has("problems")).isFalse();
    }

    @Test
    void failedRunCarriesProblemsAndNoFigure() throws Exception {
        JsonNode n = line(Outcome.failed(10_000, List.of("subscriber 0: LOST 3 of 10000 messages")));
        assertThat(n.get("status").asText()).isEqualTo("FAILED");
        assertThat(n.get("problems").get(0).asText()).contains("LOST 3");
        assertThat(n.has("send_msgs_per_s")).isFalse();
        assertThat(n.has("recv_msgs_per_s")).isFalse();
        assertThat(n.has("latency_us")).isFalse();
    }

    @Test
    void appendAddsOneLinePerRun(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/results.jsonl");
        ResultLine.append(file, "{\"a\":1}");
        ResultLine.append(file, "{\"a\":2}");
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        assertThat(lines).containsExactly("{\"a\":1}", "{\"a\":2}");
    }
}
