package io.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.CallContext;
import io.sluice.core.Message;
import io.sluice.core.stream.StreamSpec;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SluiceServerTest {

    private static ServerConfig config(Path dir, Map<String, String> extra) {
        Map<String, String> m = new java.util.HashMap<>(Map.of("data.dir", dir.toString(), "bind.host", "127.0.0.1",
                "kafka.port", "0", "amqp.port", "0", "nats.port", "0", "resp.port", "0", "http.port", "0",
                "disk.free.limit.bytes", "0"));
        m.putAll(extra);
        return ServerConfig.load(null, Map.of(), m);
    }

    @Test
    void dataSurvivesACleanRestart(@TempDir Path dir) throws Exception {
        try (SluiceServer s = SluiceServer.start(config(dir, Map.of()))) {
            s.broker().streams().create(CallContext.DEFAULT, StreamSpec.of("kept", 2)).get(5, TimeUnit.SECONDS);
            s.broker().streams().partition(CallContext.DEFAULT, "kept", 1)
                    .publish(List.of(Message.of("x", "one".getBytes()), Message.of("x", "two".getBytes())))
                    .get(5, TimeUnit.SECONDS);
        }
        try (SluiceServer s = SluiceServer.start(config(dir, Map.of()))) {
            var info = s.broker().streams().describe(CallContext.DEFAULT, "kept").orElseThrow();
            assertThat(info.partitions()).isEqualTo(2);
            assertThat(s.broker().streams().partition(CallContext.DEFAULT, "kept", 1).highWatermark()).isEqualTo(2);
        }
    }

    @Test
    void aTakenPortIsAClearStartupError(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            // Whichever protocol plug-ins are on the classpath, one of them is pointed at the taken port.
            java.util.ServiceLoader<io.sluice.transport.ProtocolPlugin> plugins =
                    java.util.ServiceLoader.load(io.sluice.transport.ProtocolPlugin.class);
            var first = plugins.findFirst();
            org.junit.jupiter.api.Assumptions.assumeTrue(first.isPresent(), "no protocol plug-in on the classpath");
            String name = first.get().name();
            assertThatThrownBy(() -> SluiceServer.start(config(dir, Map.of(name + ".port", Integer.toString(port)))))
                    .hasMessageContaining("port " + port).hasMessageContaining("already in use");
        }
    }

    /** Both transports serve a connection: a RESP PING over a plain socket gets its PONG. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"nio", "epoll", "auto"})
    void everyTransportServesConnections(String transport, @TempDir Path dir) throws Exception {
        if (transport.equals("epoll")) {
            org.junit.jupiter.api.Assumptions.assumeTrue(io.netty.channel.epoll.Epoll.isAvailable(),
                    "native epoll is not available on this machine");
        }
        try (SluiceServer s = SluiceServer.start(config(dir, Map.of("io.transport", transport, "resp.port", "random")));
             java.net.Socket socket = new java.net.Socket("127.0.0.1", s.port("resp"))) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("*1\r\n$4\r\nPING\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            byte[] reply = socket.getInputStream().readNBytes(7);
            assertThat(new String(reply, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("+PONG\r\n");
        }
    }

    @Test
    void anUnknownTransportIsAClearStartupError(@TempDir Path dir) {
        assertThatThrownBy(() -> SluiceServer.start(config(dir, Map.of("io.transport", "kqueue"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("io.transport must be auto, epoll or nio");
    }
}
