package io.sluice.it.nats;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.sluice.testkit.EmbeddedSluice;
import io.sluice.testkit.SluiceExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Protocol limits and misbehaving clients: oversized payloads, slow consumers, junk and overlong control lines over a
 * raw socket. After each, the broker must still serve well-behaved clients.
 */
@Tag("it")
class NatsLimitsIT {

    private static final int MAX_PENDING = 1024 * 1024;

    @RegisterExtension
    static final SluiceExtension SLUICE = new SluiceExtension(EmbeddedSluice.builder()
            .set("log.durability", "os-cache")
            .set("nats.max_payload", "65536")
            .set("nats.max_pending", Integer.toString(MAX_PENDING)));

    private static Connection connect() throws Exception {
        return Nats.connect(new Options.Builder().server(SLUICE.natsUrl()).noReconnect()
                .connectionTimeout(Duration.ofSeconds(20)).build());
    }

    /** A raw client: reads INFO, sends {@code bytes}, returns everything the server sent until it closed. */
    private static String rawSession(byte[] bytes) throws IOException {
        try (Socket s = new Socket("127.0.0.1", SLUICE.port("nats"))) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write(bytes);
            out.flush();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            int n;
            try {
                while ((n = in.read(buf)) >= 0) {
                    got.write(buf, 0, n);
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("server did not close the connection; got: " + got, e);
            } catch (IOException reset) {
                // a reset after the error line is a close too
            }
            return got.toString(StandardCharsets.UTF_8);
        }
    }

    private static void assertBrokerServes() throws Exception {
        try (Connection nc = connect()) {
            Subscription s = nc.subscribe("alive");
            nc.flush(Duration.ofSeconds(10));
            nc.publish("alive", "yes".getBytes());
            Message m = s.nextMessage(Duration.ofSeconds(10));
            assertThat(new String(m.getData(), StandardCharsets.UTF_8)).isEqualTo("yes");
        }
    }

    @Test
    void infoAnnouncesTheConfiguredMaxPayload() throws Exception {
        try (Connection nc = connect()) {
            assertThat(nc.getServerInfo().getMaxPayload()).isEqualTo(65536);
            assertThat(nc.getServerInfo().isHeadersSupported()).isTrue();
        }
    }

    @Test
    void payloadOverTheLimitIsAnErrorAndClosesTheConnection() throws Exception {
        String reply = rawSession(("CONNECT {\"verbose\":false}\r\nPUB big 70000\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(reply).startsWith("INFO {").contains("-ERR 'Maximum Payload Violation'\r\n");
        assertBrokerServes();
    }

    @Test
    void junkIsAnUnknownOperation() throws Exception {
        String reply = rawSession("CONNECT {}\r\nHELLO WORLD\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(reply).contains("-ERR 'Unknown Protocol Operation'\r\n");
        assertBrokerServes();
    }

    @Test
    void controlLineWithoutLineEndOverTheLimitIsRejected() throws Exception {
        byte[] line = ("SUB " + "x".repeat(5000)).getBytes(StandardCharsets.US_ASCII);
        String reply = rawSession(line);
        assertThat(reply).contains("-ERR 'Maximum Control Line Exceeded'\r\n");
        assertBrokerServes();
    }

    @Test
    void verboseConnectionsGetOkAfterEachOperation() throws Exception {
        try (Socket s = new Socket("127.0.0.1", SLUICE.port("nats"))) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write("CONNECT {\"verbose\":true}\r\nSUB v 1\r\nPUB v 2\r\nhi\r\nPING\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            StringBuilder got = new StringBuilder();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[1024];
            while (!got.toString().contains("PONG\r\n")) {
                int n = in.read(buf);
                assertThat(n).isPositive();
                got.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
            }
            String after = got.substring(got.indexOf("\r\n") + 2);
            assertThat(after).isEqualTo("+OK\r\n+OK\r\n+OK\r\nMSG v 1 2\r\nhi\r\nPONG\r\n");
        }
    }

    @Test
    void slowConsumerIsCutOffWithoutHoldingBackOthers() throws Exception {
        try (Socket stuck = new Socket()) {
            stuck.setReceiveBufferSize(4096);
            stuck.connect(new java.net.InetSocketAddress("127.0.0.1", SLUICE.port("nats")));
            stuck.setSoTimeout(20_000);
            stuck.getOutputStream().write("CONNECT {}\r\nSUB flood 1\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
            waitForPong(stuck.getInputStream());
            try (Connection healthy = connect(); Connection publisher = connect()) {
                Subscription fast = healthy.subscribe("flood");
                healthy.flush(Duration.ofSeconds(10));
                // 16 MiB in rounds of an eighth of the limit: the healthy subscriber keeps up round by round,
                // while the stuck one falls behind by far more than kernel buffers and the limit together.
                byte[] payload = new byte[8 * 1024];
                int perRound = MAX_PENDING / 8 / payload.length;
                for (int round = 0; round < 16 * 1024 * 1024 / (perRound * payload.length); round++) {
                    for (int i = 0; i < perRound; i++) {
                        publisher.publish("flood", payload);
                    }
                    for (int i = 0; i < perRound; i++) {
                        assertThat(fast.nextMessage(Duration.ofSeconds(20)))
                                .as("round %d message %d to the healthy subscriber", round, i).isNotNull();
                    }
                }
            }
            // The stuck client now drains what was queued before the cut-off and then sees the connection end.
            InputStream in = stuck.getInputStream();
            byte[] buf = new byte[64 * 1024];
            ByteArrayOutputStream tail = new ByteArrayOutputStream();
            try {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    tail.write(buf, 0, n);
                    if (tail.size() > 4096) {
                        byte[] last = java.util.Arrays.copyOfRange(tail.toByteArray(), tail.size() - 2048, tail.size());
                        tail.reset();
                        tail.write(last);
                    }
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the slow consumer was not disconnected", e);
            } catch (IOException reset) {
                // reset by the server: disconnected too
            }
        }
        assertBrokerServes();
    }

    private static void waitForPong(InputStream in) throws IOException {
        StringBuilder got = new StringBuilder();
        byte[] buf = new byte[1024];
        while (!got.toString().contains("PONG\r\n")) {
            int n = in.read(buf);
            assertThat(n).isPositive();
            got.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void headerlessClientsCannotSendHeaders() throws Exception {
        String reply = rawSession(("CONNECT {\"headers\":false}\r\nHPUB h 12 12\r\nNATS/1.0\r\n\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        assertThat(reply).contains("-ERR");
        assertBrokerServes();
    }

    @Test
    void publishOverJnatsLimitIsRefusedByTheClientItself() throws Exception {
        try (Connection nc = connect()) {
            assertThatThrownBy(() -> nc.publish("big", new byte[70_000])).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
