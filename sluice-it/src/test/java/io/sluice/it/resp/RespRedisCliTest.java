package io.sluice.it.resp;

import io.sluice.testkit.SluiceExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The stock redis-cli (Debian package {@code redis-tools}) against the broker, in RESP2 and with {@code -3}.
 * Skipped when redis-cli is not on the PATH.
 */
@Tag("it")
class RespRedisCliTest {

    @RegisterExtension
    static final SluiceExtension sluice = new SluiceExtension();
    static Path redisCli;

    @BeforeAll
    static void findRedisCli() {
        redisCli = null;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, "redis-cli");
            if (Files.isExecutable(p)) {
                redisCli = p;
                break;
            }
        }
    }

    static String cli(String... args) throws IOException, InterruptedException {
        if (System.getenv("CI") != null && redisCli == null) {
            throw new AssertionError("CI must install redis-cli (.ci/install-tools)");
        }
        assumeTrue(redisCli != null, "redis-cli not installed (apt-get install redis-tools)");
        List<String> cmd = new ArrayList<>(List.of(redisCli.toString(), "-h", "127.0.0.1", "-p",
                Integer.toString(sluice.port("resp"))));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    }

    @Test
    void streamsFromTheCommandLine() throws Exception {
        assertThat(cli("PING")).isEqualTo("PONG");
        assertThat(cli("XADD", "cli-stream", "1-1", "sensor", "a1", "temp", "21.5")).isEqualTo("1-1");
        assertThat(cli("XADD", "cli-stream", "2-*", "sensor", "b2")).isEqualTo("2-0");
        assertThat(cli("XLEN", "cli-stream")).isEqualTo("2");
        assertThat(cli("XRANGE", "cli-stream", "-", "+", "COUNT", "1").lines().toList())
                .containsExactly("1-1", "sensor", "a1", "temp", "21.5");
        assertThat(cli("-3", "XREAD", "STREAMS", "cli-stream", "1-1")).contains("cli-stream", "2-0", "b2");
        assertThat(cli("HELLO", "3")).contains("proto", "3");
        assertThat(cli("TYPE", "cli-stream")).isEqualTo("stream");
        assertThat(cli("DEL", "cli-stream")).isEqualTo("1");
        assertThat(cli("EXISTS", "cli-stream")).isEqualTo("0");
        assertThat(cli("GET", "x")).isEqualTo("ERR unknown command 'GET', with args beginning with: 'x'");
    }
}
