package io.sluice.testkit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.core.internal.DefaultBroker;
import io.sluice.server.ServerConfig;
import io.sluice.server.SluiceServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A whole Sluice node in the test's JVM: a temporary data folder, every protocol on a random free loopback port, the
 * real server code. {@link #restart()} closes the node cleanly and starts a new one on the same data folder and ports.
 *
 * <pre>{@code
 * try (EmbeddedSluice sluice = EmbeddedSluice.start()) {
 *     props.put("bootstrap.servers", sluice.kafkaBootstrap());
 * }
 * }</pre>
 */
public final class EmbeddedSluice implements AutoCloseable {
    private final Path dataDir;
    private final boolean ownsDataDir;
    private final Map<String, String> overrides;
    private final Clock clock;
    private SluiceServer server;

    private EmbeddedSluice(Path dataDir, boolean ownsDataDir, Map<String, String> overrides, Clock clock) {
        this.dataDir = dataDir;
        this.ownsDataDir = ownsDataDir;
        this.overrides = new LinkedHashMap<>(overrides);
        this.clock = clock;
        this.server = boot(randomPorts());
    }

    /**
     * Starts a node with defaults: fsync durability, all protocols on random ports, HTTP disabled (enable it on a
     * random port with {@code builder().set("http.port", "random")}).
     */
    public static EmbeddedSluice start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options for an embedded node. */
    public static final class Builder {
        private final Map<String, String> config = new LinkedHashMap<>();
        private Path dataDir;
        private Clock clock = Clock.systemUTC();

        /** Sets a server config key (see {@link ServerConfig}); e.g. {@code set("log.durability", "os-cache")}. */
        public Builder set(String key, String value) {
            config.put(key, value);
            return this;
        }

        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        public Builder clock(Clock c) {
            this.clock = c;
            return this;
        }

        public EmbeddedSluice start() {
            try {
                boolean owns = dataDir == null;
                Path dir = owns ? Files.createTempDirectory("sluice-test-") : dataDir;
                return new EmbeddedSluice(dir, owns, config, clock);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private Map<String, String> randomPorts() {
        Map<String, String> ports = new LinkedHashMap<>();
        for (String p : new String[] {"kafka", "amqp", "nats", "resp"}) {
            ports.put(p + ".port", "random");
        }
        ports.put("http.port", "0");
        return ports;
    }

    private SluiceServer boot(Map<String, String> ports) {
        Map<String, String> cfg = new LinkedHashMap<>();
        cfg.put(ServerConfig.DATA_DIR.name(), dataDir.toString());
        cfg.put(ServerConfig.BIND_HOST.name(), "127.0.0.1");
        cfg.put(ServerConfig.ADVERTISED_HOST.name(), "127.0.0.1");
        cfg.put(ServerConfig.DISK_FREE_LIMIT.name(), "0");
        cfg.put(ServerConfig.MEMORY_HIGH_WATERMARK.name(), "0");
        cfg.putAll(ports);
        cfg.putAll(overrides);
        if (ports.containsKey("http.port") && !ports.get("http.port").equals("0")
                && "random".equals(overrides.get("http.port"))) {
            cfg.put("http.port", ports.get("http.port")); // restart: keep the port clients already use
        }
        return SluiceServer.start(ServerConfig.load(null, Map.of(), cfg), clock, new SimpleMeterRegistry());
    }

    /** Clean shutdown and start on the same data folder and the same ports (clients can reconnect). */
    public void restart() {
        Map<String, String> ports = new LinkedHashMap<>();
        ports.put("http.port", "0");
        server.ports().forEach((name, port) -> ports.put(name + ".port", Integer.toString(port)));
        server.close();
        server = boot(ports);
    }

    public SluiceServer server() {
        return server;
    }

    public DefaultBroker broker() {
        return server.broker();
    }

    public Path dataDir() {
        return dataDir;
    }

    public int port(String protocol) {
        int p = server.port(protocol);
        if (p < 0) {
            throw new IllegalStateException(protocol + " is not listening (is its module on the classpath?)");
        }
        return p;
    }

    /** Base URL of the HTTP endpoint (metrics, admin API, console); needs {@code http.port=random}. */
    public String httpUrl() {
        return "http://127.0.0.1:" + port("http");
    }

    public String kafkaBootstrap() {
        return "127.0.0.1:" + port("kafka");
    }

    public String amqpUri() {
        return "amqp://guest:guest@127.0.0.1:" + port("amqp") + "/%2F";
    }

    public String natsUrl() {
        return "nats://127.0.0.1:" + port("nats");
    }

    public String redisUri() {
        return "redis://127.0.0.1:" + port("resp");
    }

    @Override
    public void close() {
        server.close();
        if (ownsDataDir) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a leftover temp folder is harmless
            }
        }
    }
}
