package io.sluice.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes docs/CONFIGURATION.md from {@link ServerConfig#KEYS}, so the reference cannot drift from the code (a test
 * fails when the committed file differs from what this renders).
 */
public final class ConfigDocs {
    private ConfigDocs() {
    }

    public static String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("# Configuration\n\n")
                .append("Generated from `ServerConfig` by `io.sluice.server.ConfigDocs` — edit the code, not this file.\n\n")
                .append("Precedence, lowest first: defaults, the properties file (`--config`, else `$SLUICE_CONFIG`, ")
                .append("else `./sluice.properties`), environment variables, `--set key=value` flags. Every ")
                .append("environment variable `SLUICE_A_B` sets key `a.b`. Keys under a protocol name (`kafka.*`, ")
                .append("`amqp.*`, `nats.*`, `resp.*`) other than `port` go to that protocol; their own keys are ")
                .append("listed in docs/COMPATIBILITY.md.\n\n")
                .append("| key | environment | default | meaning |\n|---|---|---|---|\n");
        for (ServerConfig.Key k : ServerConfig.KEYS) {
            sb.append("| `").append(k.name()).append("` | `").append(k.envVar()).append("` | `")
                    .append(k.defaultValue()).append("` | ").append(k.description()).append(" |\n");
        }
        return sb.toString();
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "docs/CONFIGURATION.md");
        Files.writeString(out, render(), StandardCharsets.UTF_8);
    }
}
