package io.sluice.it.nats;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.sluice.testkit.EmbeddedSluice;
import io.sluice.testkit.SluiceExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static io.sluice.it.nats.NatsTokenAuthIT.options;
import static org.assertj.core.api.Assertions.assertThat;

/** Server PINGs: a client that answers stays connected, one that does not is closed as stale. */
@Tag("it")
class NatsKeepaliveIT {

    @RegisterExtension
    static final SluiceExtension SLUICE = new SluiceExtension(EmbeddedSluice.builder()
            .set("log.durability", "os-cache").set("nats.ping_interval_ms", "200").set("nats.max_pings_out", "2"));

    @Test
    void silentClientIsClosedAsStaleAfterMaxPingsOut() throws Exception {
        try (Socket s = new Socket("127.0.0.1", SLUICE.port("nats"))) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write("CONNECT {}\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String got = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String afterInfo = got.substring(got.indexOf("\r\n") + 2);
            assertThat(afterInfo).isEqualTo("PING\r\nPING\r\n-ERR 'Stale Connection'\r\n");
        }
    }

    @Test
    void clientThatAnswersPingsStaysConnected() throws Exception {
        try (Connection nc = Nats.connect(options(SLUICE.natsUrl()).build())) {
            // Several ping intervals pass; jnats answers each PING with a PONG.
            for (int i = 0; i < 5; i++) {
                nc.flush(Duration.ofSeconds(10));
                Thread.sleep(200);
            }
            assertThat(nc.getStatus()).isEqualTo(Connection.Status.CONNECTED);
        }
    }
}
