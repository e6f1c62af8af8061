package io.sluice.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Finds and reads this test JVM itself through /proc, as the harness does with a broker (Linux only). */
class ServerProcessTest {

    @BeforeEach
    void linuxOnly() {
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "needs Linux /proc");
    }

    @Test
    void processListeningOnAPortIsFoundByItsSocket() throws Exception {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            assertThat(ServerProcess.listeningOn(socket.getLocalPort()))
                    .hasValueSatisfying(p -> assertThat(p.pid()).isEqualTo(ProcessHandle.current().pid()));
        }
    }

    @Test
    void portNobodyListensOnFindsNothing() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        assertThat(ServerProcess.listeningOn(port)).isEmpty();
    }

    @Test
    void residentSizeAndCpuTimeOfALiveProcessAreRead() {
        ServerProcess self = ServerProcess.of(ProcessHandle.current().pid());
        assertThat(self.rssBytes()).isPresent();
        assertThat(self.rssBytes().getAsLong()).isPositive();
        assertThat(self.lifetimePeakRssBytes().getAsLong()).isGreaterThanOrEqualTo(self.rssBytes().getAsLong() / 2);
        assertThat(self.cpuNanos()).isPresent();
        assertThat(self.cpuNanos().getAsLong()).isPositive();
        assertThat(self.command()).isNotBlank();
    }

    @Test
    void vanishedProcessReadsAsEmpty() {
        ServerProcess gone = ServerProcess.of(Integer.MAX_VALUE);
        assertThat(gone.rssBytes()).isEmpty();
        assertThat(gone.cpuNanos()).isEmpty();
    }
}
