package io.sluice.it.interop;

import io.sluice.testkit.EmbeddedSluice;
import io.sluice.testkit.SluiceExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** redis-cli (hiredis), a second RESP client: a stream consumer-group scenario XADD / XREADGROUP / XACK / XPENDING. */
@Tag("it")
class RedisCliTest {

    @RegisterExtension
    static final SluiceExtension SLUICE = new SluiceExtension(EmbeddedSluice.builder().set("log.durability", "os-cache"));

    private static ExternalClient.Result cli(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p",
                String.valueOf(SLUICE.port("resp")), "--no-raw"));
        cmd.addAll(List.of(args));
        return ExternalClient.run(Duration.ofSeconds(30), null, cmd).assertSuccess();
    }

    @Test
    void consumerGroupReadsAcksAndLeavesNothingPending() throws Exception {
        ExternalClient.requireCommand("redis-cli");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String out = cli("XADD", "cli-orders", "*", "n", String.valueOf(i)).output();
            assertThat(out).matches("\"\\d+-\\d+\"");
            ids.add(out.substring(1, out.length() - 1));
        }
        assertThat(cli("XLEN", "cli-orders").output()).isEqualTo("(integer) 5");
        assertThat(cli("XGROUP", "CREATE", "cli-orders", "g", "0").output()).isEqualTo("OK");

        String read = cli("XREADGROUP", "GROUP", "g", "c1", "COUNT", "3", "STREAMS", "cli-orders", ">").output();
        for (int i = 0; i < 3; i++) {
            assertThat(read).contains(ids.get(i)).contains("\"" + i + "\"");
        }
        assertThat(read).doesNotContain(ids.get(3));
        assertThat(cli("XPENDING", "cli-orders", "g").output()).startsWith("1) (integer) 3");

        assertThat(cli("XACK", "cli-orders", "g", ids.get(0), ids.get(1), ids.get(2)).output())
                .isEqualTo("(integer) 3");
        String rest = cli("XREADGROUP", "GROUP", "g", "c2", "STREAMS", "cli-orders", ">").output();
        assertThat(rest).contains(ids.get(3)).contains(ids.get(4)).doesNotContain(ids.get(0));
        assertThat(cli("XACK", "cli-orders", "g", ids.get(3), ids.get(4)).output()).isEqualTo("(integer) 2");
        assertThat(cli("XPENDING", "cli-orders", "g").output()).startsWith("1) (integer) 0");
    }
}
