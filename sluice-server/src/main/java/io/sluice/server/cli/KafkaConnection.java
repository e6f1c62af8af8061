package io.sluice.server.cli;

import java.util.Properties;
import picocli.CommandLine.Option;

/** The {@code --bootstrap} option shared by the client commands. */
final class KafkaConnection {
    @Option(names = {"-b", "--bootstrap"}, defaultValue = "${env:SLUICE_BOOTSTRAP:-localhost:9092}",
            description = "Kafka listener of the node (default: $SLUICE_BOOTSTRAP or ${DEFAULT-VALUE}).")
    String bootstrap;

    Properties props() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("request.timeout.ms", "10000");
        p.put("default.api.timeout.ms", "15000");
        p.put("reconnect.backoff.max.ms", "1000");
        return p;
    }
}
