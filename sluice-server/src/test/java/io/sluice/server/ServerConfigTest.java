package io.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {

    @Test
    void precedenceIsDefaultsThenFileThenEnvironmentThenOverrides(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("s.properties");
        Files.writeString(file, "kafka.port=1000\namqp.port=2000\nnats.port=3000\nkafka.auto.create.topics=false\n");
        ServerConfig c = ServerConfig.load(file, Map.of("SLUICE_AMQP_PORT", "2001", "SLUICE_NATS_PORT", "3001",
                "SLUICE_DATA_DIR", "/var/x"), Map.of("nats.port", "3002"));
        assertThat(c.get(ServerConfig.KAFKA_PORT)).isEqualTo("1000");
        assertThat(c.get(ServerConfig.AMQP_PORT)).isEqualTo("2001");
        assertThat(c.get(ServerConfig.NATS_PORT)).isEqualTo("3002");
        assertThat(c.get(ServerConfig.RESP_PORT)).isEqualTo("6379");
        assertThat(c.get(ServerConfig.DATA_DIR)).isEqualTo("/var/x");
        // Protocol keys lose their prefix; documented protocol keys in KEYS arrive with their defaults.
        assertThat(c.protocolSettings("kafka")).containsEntry("auto.create.topics", "false")
                .containsEntry("group.consumer.session.timeout.ms", "45000").doesNotContainKey("port");
    }

    @Test
    void badNumbersNameTheKey() {
        ServerConfig c = ServerConfig.load(null, Map.of("SLUICE_NODE_ID", "one"), Map.of());
        assertThatThrownBy(() -> c.getInt(ServerConfig.NODE_ID)).hasMessageContaining("node.id");
    }

    @Test
    void configurationReferenceIsUpToDate() throws IOException {
        Path doc = Path.of("..", "docs", "CONFIGURATION.md");
        assertThat(Files.readString(doc, StandardCharsets.UTF_8))
                .as("docs/CONFIGURATION.md is stale: run io.sluice.server.ConfigDocs")
                .isEqualTo(ConfigDocs.render());
    }
}
