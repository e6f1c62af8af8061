package io.sluice.it.nats;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.sluice.testkit.EmbeddedSluice;
import io.sluice.testkit.SluiceExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static io.sluice.it.nats.NatsTokenAuthIT.options;
import static io.sluice.it.nats.NatsTokenAuthIT.rawConnect;
import static org.assertj.core.api.Assertions.assertThat;

/** CONNECT authentication by user and password ({@code nats.auth.user}, {@code nats.auth.password}). */
@Tag("it")
class NatsUserAuthIT {

    @RegisterExtension
    static final SluiceExtension SLUICE = new SluiceExtension(EmbeddedSluice.builder()
            .set("log.durability", "os-cache").set("nats.auth.user", "alice").set("nats.auth.password", "pw"));

    @Test
    void rightCredentialsConnect() throws Exception {
        try (Connection nc = Nats.connect(options(SLUICE.natsUrl()).userInfo("alice", "pw").build())) {
            nc.flush(Duration.ofSeconds(10));
            assertThat(nc.getStatus()).isEqualTo(Connection.Status.CONNECTED);
        }
    }

    @Test
    void wrongPasswordIsRefused() throws Exception {
        int port = SLUICE.port("nats");
        assertThat(rawConnect(port, "{\"user\":\"alice\",\"pass\":\"bad\"}"))
                .endsWith("-ERR 'Authorization Violation'\r\n");
        assertThat(rawConnect(port, "{\"user\":\"bob\",\"pass\":\"pw\"}"))
                .endsWith("-ERR 'Authorization Violation'\r\n");
        assertThat(rawConnect(port, "{\"user\":\"alice\",\"pass\":\"pw\"}")).contains("PONG");
    }
}
