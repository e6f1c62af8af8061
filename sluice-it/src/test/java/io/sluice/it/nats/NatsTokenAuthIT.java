package io.sluice.it.nats;

import io.nats.client.AuthenticationException;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.sluice.testkit.EmbeddedSluice;
import io.sluice.testkit.SluiceExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** CONNECT authentication by token ({@code nats.auth.token}). */
@Tag("it")
class NatsTokenAuthIT {

    @RegisterExtension
    static final SluiceExtension SLUICE = new SluiceExtension(EmbeddedSluice.builder()
            .set("log.durability", "os-cache").set("nats.auth.token", "s3cret"));

    static Options.Builder options(String url) {
        return new Options.Builder().server(url).noReconnect().connectionTimeout(Duration.ofSeconds(20));
    }

    /**
     * For attempts the server refuses: jnats reports the refusal only when its wait for the PONG ends, so a shorter
     * timeout keeps the suite fast; the -ERR itself arrives long before.
     */
    static Options.Builder refused(String url) {
        return options(url).connectionTimeout(Duration.ofSeconds(4));
    }

    @Test
    void rightTokenConnects() throws Exception {
        try (Connection nc = Nats.connect(options(SLUICE.natsUrl()).token("s3cret".toCharArray()).build())) {
            assertThat(nc.getServerInfo().isAuthRequired()).isTrue();
            nc.flush(Duration.ofSeconds(10));
            assertThat(nc.getStatus()).isEqualTo(Connection.Status.CONNECTED);
        }
    }

    @Test
    void wrongOrMissingTokenIsRefused() {
        assertThatThrownBy(() -> Nats.connect(refused(SLUICE.natsUrl()).token("nope".toCharArray()).build()))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("Authorization Violation");
        assertThatThrownBy(() -> Nats.connect(refused(SLUICE.natsUrl()).build()))
                .isInstanceOf(AuthenticationException.class);
    }
}
