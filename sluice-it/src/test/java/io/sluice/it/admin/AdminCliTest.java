package io.sluice.it.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.CallContext;
import io.sluice.core.Message;
import io.sluice.core.offset.CommittedOffset;
import io.sluice.core.offset.PartitionKey;
import io.sluice.core.stream.StreamSpec;
import io.sluice.server.cli.SluiceCli;
import io.sluice.testkit.EmbeddedSluice;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code sluice admin ...} against a running node's HTTP API: tables, --json, offset resets and error exits. */
class AdminCliTest {
    private static EmbeddedSluice sluice;

    @BeforeAll
    static void start() {
        sluice = EmbeddedSluice.builder().set("http.port", "random").start();
        sluice.broker().streams().create(CallContext.DEFAULT, StreamSpec.of("payments", 2)).join();
        List<Message> ms = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ms.add(Message.of(null, ("p" + i).getBytes(StandardCharsets.UTF_8)));
        }
        sluice.broker().streams().partition(CallContext.DEFAULT, "payments", 0).publish(ms).join();
        sluice.broker().offsets().commit(CallContext.DEFAULT, "ledger",
                Map.of(new PartitionKey("payments", 0), new CommittedOffset(1, -1, "", 0))).join();
    }

    @AfterAll
    static void stop() {
        sluice.close();
    }

    record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cl = SluiceCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--url");
        all.add(sluice.httpUrl());
        int exit = cl.execute(all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void tablesAndJson() throws Exception {
        Run streams = run("admin", "streams");
        assertThat(streams.exit()).isZero();
        assertThat(streams.out().lines().findFirst().orElseThrow()).startsWith("NAME").contains("PARTITIONS");
        assertThat(streams.out()).containsPattern("payments +2");

        Run described = run("admin", "streams", "payments");
        assertThat(described.out()).contains("LOG_END_OFFSET").containsPattern("(?m)^0 +0 +4 ");

        Run json = run("admin", "group", "ledger", "--json");
        JsonNode g = new ObjectMapper().readTree(json.out());
        assertThat(g.get("offsets").get(0).get("lag").asLong()).isEqualTo(3);

        Run health = run("admin", "health");
        assertThat(health.exit()).isZero();
        assertThat(health.out().trim()).isEqualTo("UP");

        Run peek = run("admin", "peek", "payments", "--stream", "--offset", "2", "--limit", "1");
        assertThat(peek.out()).contains("p2").doesNotContain("p3");
    }

    @Test
    void resetOffsetsAndErrors() {
        sluice.broker().offsets().commit(CallContext.DEFAULT, "audit",
                Map.of(new PartitionKey("payments", 0), new CommittedOffset(0, -1, "", 0))).join();
        Run reset = run("admin", "reset-offsets", "audit", "--stream", "payments", "--partition", "0", "--to",
                "offset", "--value", "3");
        assertThat(reset.exit()).isZero();
        assertThat(reset.out()).containsPattern("payments +0 +3");
        assertThat(sluice.broker().offsets().fetch(CallContext.DEFAULT, "audit", null)
                .get(new PartitionKey("payments", 0)).offset()).isEqualTo(3);

        sluice.broker().queues().declare(CallContext.DEFAULT, io.sluice.core.queue.QueueSpec.durable("refunds"))
                .join();
        sluice.broker().queues().enqueue(CallContext.DEFAULT, "refunds",
                Message.of(null, "r".getBytes(StandardCharsets.UTF_8))).join();
        assertThat(run("admin", "queues").out()).containsPattern("refunds +1 +0 +0");
        Run purge = run("admin", "purge", "refunds");
        assertThat(purge.out()).contains("purged 1 message(s) from refunds");
        assertThat(run("admin", "queues", "refunds").out()).containsPattern("refunds +0 +0 +0");

        Run missing = run("admin", "group", "nobody");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("consumer group nobody not found").contains("404");

        Run bad = run("admin", "reset-offsets", "audit", "--stream", "payments", "--to", "offset", "--value", "99");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("outside");
    }

    @Test
    void connectionsListAndClose() throws Exception {
        try (io.nats.client.Connection nats = io.nats.client.Nats.connect(new io.nats.client.Options.Builder()
                .server(sluice.natsUrl()).connectionName("cli-test").connectionTimeout(java.time.Duration.ofSeconds(30))
                .noReconnect().build())) {
            nats.flush(java.time.Duration.ofSeconds(10));
            Run table = run("admin", "connections", "list", "--protocol", "nats");
            assertThat(table.exit()).isZero();
            assertThat(table.out().lines().findFirst().orElseThrow()).startsWith("ID").contains("PROTOCOL")
                    .contains("REMOTE_ADDRESS").contains("CLIENT_NAME").contains("RECEIVED_BYTES");
            assertThat(table.out()).containsPattern("(?m)^\\d+ +nats +127\\.0\\.0\\.1:\\d+ +cli-test ");

            JsonNode json = new ObjectMapper().readTree(run("admin", "connections", "list", "--json").out());
            JsonNode mine = null;
            for (JsonNode c : json) {
                if ("cli-test".equals(c.path("clientName").asText())) {
                    mine = c;
                }
            }
            assertThat(mine).as(json.toString()).isNotNull();
            String id = mine.get("id").asText();

            Run close = run("admin", "connections", "close", id);
            assertThat(close.exit()).isZero();
            assertThat(close.out()).contains("closed connection " + id);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() ->
                    nats.getStatus() == io.nats.client.Connection.Status.CLOSED);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() ->
                    !run("admin", "connections", "list").out().contains("cli-test"));

            Run unknown = run("admin", "connections", "close", "999999");
            assertThat(unknown.exit()).isEqualTo(1);
            assertThat(unknown.err()).contains("connection 999999 not found").contains("404");
        }
    }
}
