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

import java.io.IOException;
import java.time.Duration;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

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
     * Sends CONNECT and PING over a raw socket and returns what the server wrote until it closed the connection or
     * answered the PING. The exact refusal is checked this way because jnats reports it only when its wait for the first
     * PONG times out, and then as either {@link AuthenticationException} or a plain {@link IOException} depending on
     * whether its reader saw the -ERR or the closed socket first.
     */
    static String rawConnect(int port, String connectJson) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(("CONNECT " + connectJson + "\r\nPING\r\n").getBytes(StandardCharsets.UTF_8));
            StringBuilder got = new StringBuilder();
            byte[] buf = new byte[4096];
            int n;
            while (!got.toString().endsWith("PONG\r\n") && (n = s.getInputStream().read(buf)) >= 0) {
                got.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
            return got.toString();
        }
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
    void wrongOrMissingTokenIsRefused() throws Exception {
        int port = SLUICE.port("nats");
        assertThat(rawConnect(port, "{\"auth_token\":\"nope\"}")).endsWith("-ERR 'Authorization Violation'\r\n")
                .doesNotContain("PONG");
        assertThat(rawConnect(port, "{}")).endsWith("-ERR 'Authorization Violation'\r\n");
        assertThat(rawConnect(port, "{\"auth_token\":\"s3cret\"}")).contains("PONG");
        assertThatThrownBy(() -> Nats.connect(options(SLUICE.natsUrl()).token("nope".toCharArray())
                .connectionTimeout(Duration.ofSeconds(3)).build())).isInstanceOf(IOException.class);
    }
}
