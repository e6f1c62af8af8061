package io.sluice.it.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.CallContext;
import io.sluice.core.Message;
import io.sluice.core.offset.CommittedOffset;
import io.sluice.core.offset.PartitionKey;
import io.sluice.core.queue.Delivery;
import io.sluice.core.queue.DeliveryGroup;
import io.sluice.core.stream.StreamPartition;
import io.sluice.testkit.EmbeddedSluice;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HTTP endpoints of a whole node (metrics, health, alerts, admin API) over real HTTP on a random port: a known
 * workload is written through the core API and the figures read back must match it.
 */
class AdminApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static EmbeddedSluice sluice;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        sluice = EmbeddedSluice.builder().set("http.port", "random").set("admin.refresh.ms", "60000")
                .set("alert.consumer.lag", "3").set("alert.disk.free.bytes", "0").start();
    }

    @AfterAll
    static void stop() {
        sluice.close();
    }

    record Reply(int status, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    private static Reply call(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sluice.httpUrl() + path));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Reply(r.statusCode(), r.body());
    }

    private static void publish(String stream, int partition, int n) {
        StreamPartition p = sluice.broker().streams().partition(CallContext.DEFAULT, stream, partition);
        List<Message> ms = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ms.add(Message.of("s", ("m-" + i).getBytes(StandardCharsets.UTF_8)));
        }
        p.publish(ms).join();
    }

    /** The value of the one series of {@code metric} whose labels include every label given. */
    private static double metric(String scrape, String metric, Map<String, String> labels) {
        List<Double> found = new ArrayList<>();
        for (String line : scrape.split("\n")) {
            if (!line.startsWith(metric + "{")) {
                continue;
            }
            boolean all = labels.entrySet().stream().allMatch(e -> line.contains(e.getKey() + "=\"" + e.getValue()
                    + "\""));
            if (all) {
                found.add(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        assertThat(found).as(metric + labels + " in\n" + scrape).hasSize(1);
        return found.get(0);
    }

    @Test
    void theConsoleFilesAreServedWithTheirTypesAndNothingElseUnderConsole() throws Exception {
        for (var f : Map.of("index.html", "text/html", "console.js", "text/javascript", "console.css", "text/css")
                .entrySet()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(sluice.httpUrl() + "/console/"
                    + f.getKey())).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith(f.getValue());
            assertThat(r.body()).isNotBlank();
        }
        assertThat(call("GET", "/console/index.html", null).body()).contains("<title>Sluice console</title>");
        Reply missing = call("GET", "/console/server.properties", null);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().path("error").asText()).contains("/console/server.properties");
        assertThat(call("GET", "/console/..%2Fconsole%2Findex.html", null).status()).isEqualTo(404);
    }

    @Test
    void streamLifecyclePeekAndMetricsAfterAKnownWorkload() throws Exception {
        Reply created = call("POST", "/api/v1/streams", "{\"name\":\"orders\",\"partitions\":2}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("partitions").asInt()).isEqualTo(2);
        assertThat(call("POST", "/api/v1/streams", "{\"name\":\"orders\",\"partitions\":2}").status())
                .isEqualTo(409);

        publish("orders", 0, 5);
        publish("orders", 1, 2);

        JsonNode described = call("GET", "/api/v1/streams/orders", null).json();
        assertThat(described.get("partitionDetails").get(0).get("logEndOffset").asLong()).isEqualTo(5);
        assertThat(described.get("partitionDetails").get(1).get("logEndOffset").asLong()).isEqualTo(2);
        assertThat(described.get("partitionDetails").get(0).get("sizeBytes").asLong()).isPositive();

        JsonNode list = call("GET", "/api/v1/streams", null).json();
        assertThat(list.findValuesAsText("name")).contains("orders");

        JsonNode peek = call("GET", "/api/v1/streams/orders/messages?partition=0&offset=1&limit=3", null).json();
        assertThat(peek).hasSize(3);
        assertThat(peek.get(0).get("offset").asLong()).isEqualTo(1);
        assertThat(peek.get(0).get("body").asText()).isEqualTo("m-1");
        assertThat(peek.get(0).get("subject").asText()).isEqualTo("s");
        // peeking consumes nothing: the same read again gives the same messages
        assertThat(call("GET", "/api/v1/streams/orders/messages?partition=0&offset=1&limit=3", null).json())
                .isEqualTo(peek);

        sluice.server().admin().refresh();
        Reply scrape = call("GET", "/metrics", null);
        assertThat(scrape.status()).isEqualTo(200);
        String text = scrape.body();
        assertThat(metric(text, "sluice_stream_log_end_offset", Map.of("stream", "orders", "partition", "0")))
                .isEqualTo(5.0);
        assertThat(metric(text, "sluice_stream_log_end_offset", Map.of("stream", "orders", "partition", "1")))
                .isEqualTo(2.0);
        assertThat(metric(text, "sluice_stream_log_start_offset", Map.of("stream", "orders", "partition", "0")))
                .isEqualTo(0.0);
        assertThat(metric(text, "sluice_stream_segments", Map.of("stream", "orders", "partition", "0")))
                .isGreaterThanOrEqualTo(1.0);
        assertThat(metric(text, "sluice_stream_size_bytes", Map.of("stream", "orders", "partition", "0")))
                .isEqualTo(described.get("partitionDetails").get(0).get("sizeBytes").asDouble());
        assertThat(text).contains("jvm_memory_used_bytes").contains("process_uptime_seconds");

        assertThat(call("DELETE", "/api/v1/streams/orders", null).status()).isEqualTo(204);
        assertThat(call("GET", "/api/v1/streams/orders", null).status()).isEqualTo(404);
        sluice.server().admin().refresh();
        assertThat(call("GET", "/metrics", null).body()).doesNotContain("stream=\"orders\"");
    }

    @Test
    void consumerGroupLagAlertsAndOffsetResets() throws Exception {
        call("POST", "/api/v1/streams", "{\"name\":\"events\",\"partitions\":1}");
        publish("events", 0, 10);
        sluice.broker().offsets().commit(CallContext.DEFAULT, "billing",
                Map.of(new PartitionKey("events", 0), new CommittedOffset(4, -1, "", 0))).join();

        JsonNode group = call("GET", "/api/v1/groups/billing", null).json();
        assertThat(group.get("offsets").get(0).get("committedOffset").asLong()).isEqualTo(4);
        assertThat(group.get("offsets").get(0).get("lag").asLong()).isEqualTo(6);
        assertThat(call("GET", "/api/v1/groups", null).json().findValuesAsText("group")).contains("billing");

        sluice.server().admin().refresh();
        String text = call("GET", "/metrics", null).body();
        assertThat(metric(text, "sluice_consumer_group_lag", Map.of("group", "billing", "stream", "events")))
                .isEqualTo(6.0);
        assertThat(metric(text, "sluice_consumer_group_committed_offset", Map.of("group", "billing")))
                .isEqualTo(4.0);
        JsonNode alerts = call("GET", "/alerts", null).json().get("alerts");
        assertThat(alerts.findValuesAsText("kind")).contains("consumer-lag");
        assertThat(alerts.findValuesAsText("entity")).contains("billing/events/0");

        JsonNode reset = call("POST", "/api/v1/groups/billing/reset", "{\"stream\":\"events\",\"to\":\"latest\"}")
                .json();
        assertThat(reset.get("offsets").get(0).get("committedOffset").asLong()).isEqualTo(10);
        sluice.server().admin().refresh();
        assertThat(call("GET", "/alerts", null).json().get("alerts").findValuesAsText("kind"))
                .doesNotContain("consumer-lag");
        call("POST", "/api/v1/groups/billing/reset", "{\"stream\":\"events\",\"to\":\"earliest\"}");
        assertThat(sluice.broker().offsets().fetch(CallContext.DEFAULT, "billing", null)
                .get(new PartitionKey("events", 0)).offset()).isEqualTo(0);
        call("POST", "/api/v1/groups/billing/reset", "{\"stream\":\"events\",\"to\":\"offset\",\"offset\":7}");
        assertThat(sluice.broker().offsets().fetch(CallContext.DEFAULT, "billing", null)
                .get(new PartitionKey("events", 0)).offset()).isEqualTo(7);
        Reply ts = call("POST", "/api/v1/groups/billing/reset",
                "{\"stream\":\"events\",\"to\":\"timestamp\",\"timestamp\":0}");
        assertThat(ts.json().get("offsets").get(0).get("committedOffset").asLong()).isEqualTo(0);

        Reply outOfRange = call("POST", "/api/v1/groups/billing/reset",
                "{\"stream\":\"events\",\"to\":\"offset\",\"offset\":99}");
        assertThat(outOfRange.status()).isEqualTo(400);
        assertThat(outOfRange.json().get("error").asText()).contains("outside");
        assertThat(call("POST", "/api/v1/groups/billing/reset", "{\"stream\":\"events\",\"to\":\"soon\"}").status())
                .isEqualTo(400);
        assertThat(call("POST", "/api/v1/groups/billing/reset", "{\"stream\":\"nope\",\"to\":\"latest\"}").status())
                .isEqualTo(404);
        assertThat(call("GET", "/api/v1/groups/nobody", null).status()).isEqualTo(404);
        assertThat(call("DELETE", "/api/v1/groups/billing", null).status()).isEqualTo(204);
        assertThat(call("GET", "/api/v1/groups/billing", null).status()).isEqualTo(404);
    }

    @Test
    void queueDepthMetricsPeekPurgeAndDeadLetterRedrive() throws Exception {
        assertThat(call("POST", "/api/v1/queues", "{\"name\":\"jobs.dlq\"}").status()).isEqualTo(201);
        assertThat(call("POST", "/api/v1/queues", "{\"name\":\"jobs\",\"arguments\":{\"deadLetterExchange\":\"\","
                + "\"deadLetterRoutingKey\":\"jobs.dlq\"}}").status()).isEqualTo(201);
        for (int i = 0; i < 4; i++) {
            assertThat(call("POST", "/api/v1/queues/jobs/messages", "{\"body\":\"job-" + i
                    + "\",\"headers\":{\"kind\":\"" + (i % 2 == 0 ? "even" : "odd") + "\"}}").status())
                    .isEqualTo(201);
        }
        assertThat(call("GET", "/api/v1/queues/jobs", null).json().get("messages").asLong()).isEqualTo(4);
        JsonNode peek = call("GET", "/api/v1/queues/jobs/messages?limit=10", null).json();
        assertThat(peek.findValuesAsText("body")).containsExactly("job-0", "job-1", "job-2", "job-3");
        assertThat(call("GET", "/api/v1/queues/jobs", null).json().get("messages").asLong())
                .as("peeking consumes nothing").isEqualTo(4);

        sluice.server().admin().refresh();
        String text = call("GET", "/metrics", null).body();
        assertThat(metric(text, "sluice_queue_messages_ready", Map.of("queue", "jobs"))).isEqualTo(4.0);
        assertThat(metric(text, "sluice_queue_messages_unacked", Map.of("queue", "jobs"))).isEqualTo(0.0);

        // a consumer takes all four and rejects them: the engine dead-letters them to jobs.dlq
        DeliveryGroup jobs = sluice.broker().queues().consumers(CallContext.DEFAULT, "jobs");
        List<Delivery> got = jobs.fetch("worker", 4, 1000, false).join();
        assertThat(got).hasSize(4);
        jobs.nack(got.stream().map(Delivery::offset).toList(), false, 0).join();
        await().atMost(Duration.ofSeconds(10)).until(() ->
                call("GET", "/api/v1/queues/jobs.dlq", null).json().get("messages").asLong() == 4);
        JsonNode dlq = call("GET", "/api/v1/queues/jobs.dlq", null).json();
        assertThat(dlq.get("deadLetter").asBoolean()).isTrue();
        JsonNode dead = call("GET", "/api/v1/queues/jobs.dlq/messages", null).json();
        assertThat(dead.get(0).get("headers").get("x-first-death-queue").asText()).isEqualTo("jobs");

        sluice.server().admin().refresh();
        assertThat(call("GET", "/alerts", null).json().get("alerts").findValuesAsText("kind"))
                .contains("dead-letter-depth");

        // only the "even" ones go back, at a bounded rate
        Reply started = call("POST", "/api/v1/queues/jobs.dlq/redrive",
                "{\"header\":\"kind\",\"headerValue\":\"even\",\"ratePerSecond\":50}");
        assertThat(started.status()).isEqualTo(202);
        String id = started.json().get("id").asText();
        await().atMost(Duration.ofSeconds(10)).until(() ->
                !call("GET", "/api/v1/redrives/" + id, null).json().get("state").asText().equals("RUNNING"));
        JsonNode done = call("GET", "/api/v1/redrives/" + id, null).json();
        assertThat(done.get("state").asText()).isEqualTo("COMPLETED");
        assertThat(done.get("moved").asLong()).isEqualTo(2);
        assertThat(done.get("skipped").asLong()).isEqualTo(2);
        assertThat(call("GET", "/api/v1/queues/jobs", null).json().get("messages").asLong()).isEqualTo(2);
        assertThat(call("GET", "/api/v1/queues/jobs.dlq", null).json().get("messages").asLong()).isEqualTo(2);
        assertThat(call("GET", "/api/v1/redrives", null).json().findValuesAsText("id")).contains(id);
        assertThat(call("DELETE", "/api/v1/redrives/unknown", null).status()).isEqualTo(404);
        List<Delivery> back = jobs.fetch("worker", 10, 1000, false).join();
        assertThat(back).extracting(d -> new String(d.message().value(), StandardCharsets.UTF_8))
                .containsExactlyInAnyOrder("job-0", "job-2");
        assertThat(back.get(0).message().header("x-first-death-queue")).as("dead-letter headers dropped").isNull();

        assertThat(call("POST", "/api/v1/queues/jobs.dlq/redrive", "{\"ratePerSecond\":0}").status())
                .isEqualTo(400);
        Reply purged = call("POST", "/api/v1/queues/jobs.dlq/purge", null);
        assertThat(purged.json().get("purged").asLong()).isEqualTo(2);
        assertThat(call("GET", "/api/v1/queues/jobs.dlq", null).json().get("messages").asLong()).isZero();
        assertThat(call("DELETE", "/api/v1/queues/jobs.dlq", null).status()).isEqualTo(200);
        assertThat(call("GET", "/api/v1/queues/jobs.dlq", null).status()).isEqualTo(404);
    }

    @Test
    void healthExchangesBindingsAndErrors() throws Exception {
        Reply health = call("GET", "/health", null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asText()).isEqualTo("UP");

        assertThat(call("POST", "/api/v1/exchanges", "{\"name\":\"audit\",\"type\":\"topic\"}").status())
                .isEqualTo(201);
        JsonNode ex = call("GET", "/api/v1/exchanges/audit", null).json();
        assertThat(ex.get("type").asText()).isEqualTo("topic");
        assertThat(call("GET", "/api/v1/exchanges", null).json().findValuesAsText("name"))
                .contains("audit", "amq.topic");
        assertThat(call("POST", "/api/v1/exchanges", "{\"name\":\"x\",\"type\":\"bogus\"}").status())
                .isEqualTo(400);
        assertThat(call("POST", "/api/v1/bindings", "{\"source\":\"audit\",\"destination\":\"nowhere\"}").status())
                .isEqualTo(404);
        assertThat(call("POST", "/api/v1/queues", "{\"name\":\"audit-log\"}").status()).isEqualTo(201);
        assertThat(call("POST", "/api/v1/bindings", "{\"source\":\"audit\",\"destination\":\"audit-log\","
                + "\"routingKey\":\"user.*\"}").status()).isEqualTo(201);
        JsonNode bindings = call("GET", "/api/v1/bindings?name=audit", null).json();
        assertThat(bindings.findValuesAsText("routingKey")).contains("user.*");
        assertThat(call("DELETE", "/api/v1/bindings", "{\"source\":\"audit\",\"destination\":\"audit-log\","
                + "\"routingKey\":\"user.*\"}").status()).isEqualTo(204);
        assertThat(call("GET", "/api/v1/bindings?name=audit", null).json().findValuesAsText("routingKey"))
                .doesNotContain("user.*");
        assertThat(call("DELETE", "/api/v1/exchanges/audit", null).status()).isEqualTo(204);
        assertThat(call("GET", "/api/v1/exchanges/audit", null).status()).isEqualTo(404);

        Reply missingQueue = call("GET", "/api/v1/queues/absent", null);
        assertThat(missingQueue.status()).isEqualTo(404);
        assertThat(missingQueue.json().get("error").asText()).contains("absent");
        assertThat(call("POST", "/api/v1/queues/absent/purge", null).status()).isEqualTo(404);
        assertThat(call("GET", "/api/v1/redrives/none", null).status()).isEqualTo(404);
        assertThat(call("POST", "/api/v1/streams", "{\"partitions\":1}").status()).isEqualTo(400);
        assertThat(call("POST", "/api/v1/streams", "not json").status()).isEqualTo(400);
        assertThat(call("GET", "/api/v1/streams/x/messages?limit=abc", null).status()).isIn(400, 404);
        assertThat(call("GET", "/api/v1/nothing-here", null).status()).isEqualTo(404);
    }

    @Test
    void credentialsAreRequiredWhenLoopbackIsNotOpen() throws Exception {
        try (EmbeddedSluice closed = EmbeddedSluice.builder().set("http.port", "random")
                .set("admin.loopback.open", "false").set("admin.token", "s3cret").set("admin.user", "ops")
                .set("admin.password", "pw").start()) {
            URI uri = URI.create(closed.httpUrl() + "/api/v1/streams");
            HttpResponse<String> anon = http.send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(anon.statusCode()).isEqualTo(401);
            assertThat(anon.body()).contains("error");
            HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(uri)
                    .header("Authorization", "Bearer nope").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(wrong.statusCode()).isEqualTo(401);
            HttpResponse<String> bearer = http.send(HttpRequest.newBuilder(uri)
                    .header("Authorization", "Bearer s3cret").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(bearer.statusCode()).isEqualTo(200);
            String basic = Base64.getEncoder().encodeToString("ops:pw".getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> viaBasic = http.send(HttpRequest.newBuilder(uri)
                    .header("Authorization", "Basic " + basic).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(viaBasic.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void connectionsAreListedDescribedAndClosed() throws Exception {
        try (io.nats.client.Connection nats = io.nats.client.Nats.connect(new io.nats.client.Options.Builder()
                .server(sluice.natsUrl()).connectionName("api-test").connectionTimeout(Duration.ofSeconds(30)).noReconnect()
                .build())) {
            nats.flush(Duration.ofSeconds(10));
            JsonNode all = call("GET", "/api/v1/connections", null).json();
            JsonNode mine = null;
            for (JsonNode c : all) {
                if ("api-test".equals(c.path("clientName").asText())) {
                    mine = c;
                }
            }
            assertThat(mine).as("the jnats connection in " + all).isNotNull();
            long id = mine.get("id").asLong();
            assertThat(mine.get("protocol").asText()).isEqualTo("nats");
            assertThat(mine.get("remoteAddress").asText()).startsWith("127.0.0.1:");
            assertThat(mine.get("localAddress").asText()).isEqualTo("127.0.0.1:" + sluice.port("nats"));
            assertThat(mine.get("receivedBytes").asLong()).isPositive();
            assertThat(mine.get("sentBytes").asLong()).isPositive();
            assertThat(mine.get("connectedAt").asLong()).isPositive();

            assertThat(call("GET", "/api/v1/connections?protocol=nats", null).json().findValuesAsText("clientName"))
                    .contains("api-test");
            assertThat(call("GET", "/api/v1/connections?protocol=kafka", null).json()).isEmpty();
            assertThat(call("GET", "/api/v1/overview", null).json().get("connections").asInt()).isPositive();

            Reply one = call("GET", "/api/v1/connections/" + id, null);
            assertThat(one.status()).isEqualTo(200);
            assertThat(one.json().get("clientName").asText()).isEqualTo("api-test");

            for (String unknown : List.of("999999", "not-a-number")) {
                Reply missing = call("GET", "/api/v1/connections/" + unknown, null);
                assertThat(missing.status()).isEqualTo(404);
                assertThat(missing.json().get("error").asText()).contains("connection " + unknown + " not found");
                assertThat(call("DELETE", "/api/v1/connections/" + unknown, null).status()).isEqualTo(404);
            }

            // Closing drops the client's socket: jnats (without reconnect) ends up closed.
            assertThat(call("DELETE", "/api/v1/connections/" + id, null).status()).isEqualTo(204);
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    nats.getStatus() == io.nats.client.Connection.Status.CLOSED);
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    call("GET", "/api/v1/connections/" + id, null).status() == 404);
            Reply again = call("DELETE", "/api/v1/connections/" + id, null);
            assertThat(again.status()).isEqualTo(404);
            assertThat(again.json().get("error").asText()).isEqualTo("connection " + id + " not found");
        }
    }
}
