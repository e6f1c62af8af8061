package io.sluice.server;

import io.sluice.storage.Durability;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The server's configuration: documented keys with defaults ({@link #KEYS}, from which docs/CONFIGURATION.md is
 * written), read from a properties file and overridden by environment variables.
 *
 * <p>Precedence, lowest to highest: the defaults below, the config file ({@code --config}, else {@code SLUICE_CONFIG},
 * else {@code ./sluice.properties} if present), environment variables, explicit overrides (command-line flags,
 * tests). Every environment variable {@code SLUICE_A_B_C} sets key {@code a.b.c} (lower-cased, underscores become
 * dots), so {@code SLUICE_KAFKA_PORT=0} disables the Kafka listener and {@code SLUICE_KAFKA_AUTO_CREATE_TOPICS=false}
 * reaches the Kafka plug-in as {@code auto.create.topics}. Keys under a protocol's name ({@code kafka.*},
 * {@code amqp.*}, ...) other than {@code port} are handed to that protocol's plug-in without the prefix.
 */
public final class ServerConfig {

    /** One documented setting. */
    public record Key(String name, String defaultValue, String description) {
        public String envVar() {
            return "SLUICE_" + name.toUpperCase(Locale.ROOT).replace('.', '_');
        }
    }

    public static final Key DATA_DIR = new Key("data.dir", "./data", "Folder holding every log; created if missing.");
    public static final Key BIND_HOST = new Key("bind.host", "0.0.0.0", "Address every listener binds to.");
    public static final Key ADVERTISED_HOST = new Key("advertised.host", "localhost",
            "Host name clients are told to connect to (Kafka metadata, NATS INFO).");
    public static final Key KAFKA_PORT = new Key("kafka.port", "9092", "Kafka listener port; 0 disables it.");
    // KIP-848 consumer-group settings of the Kafka plug-in; listed here so the reference shows them. The same
    // defaults are in io.sluice.protocol.kafka.KafkaConfig, which applies them when a key is absent.
    public static final Key KAFKA_GROUP_CONSUMER_SESSION_TIMEOUT_MS = new Key("kafka.group.consumer.session.timeout.ms",
            "45000", "KIP-848 consumer groups (group.protocol=consumer): a member without a heartbeat for this long "
                    + "is expelled and its partitions move. Decided by the broker; the client's session.timeout.ms "
                    + "does not apply to this protocol.");
    public static final Key KAFKA_GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS = new Key(
            "kafka.group.consumer.heartbeat.interval.ms", "5000",
            "KIP-848 consumer groups: the heartbeat interval members are told to use.");
    public static final Key KAFKA_GROUP_CONSUMER_ASSIGNORS = new Key("kafka.group.consumer.assignors", "uniform,range",
            "KIP-848 consumer groups: server-side assignors members may choose with group.remote.assignor; the "
                    + "first is used when they choose none.");
    public static final Key AMQP_PORT = new Key("amqp.port", "5672", "AMQP 0-9-1 listener port; 0 disables it.");
    public static final Key NATS_PORT = new Key("nats.port", "4222", "NATS listener port; 0 disables it.");
    public static final Key RESP_PORT = new Key("resp.port", "6379", "Redis (RESP) listener port; 0 disables it.");
    public static final Key HTTP_PORT = new Key("http.port", "8080",
            "HTTP port for metrics, health, alerts, the admin API and the web console; 0 disables it.");
    public static final Key DURABILITY = new Key("log.durability", Durability.FSYNC.configName(),
            "Default durability of streams: fsync (acknowledge after the covering fsync) or os-cache "
                    + "(acknowledge after the write, fsync every log.flush.interval.ms).");
    public static final Key FLUSH_INTERVAL_MS = new Key("log.flush.interval.ms", "1000",
            "How often os-cache logs are fsynced.");
    public static final Key SEGMENT_BYTES = new Key("log.segment.bytes", Integer.toString(128 * 1024 * 1024),
            "Default segment size.");
    public static final Key RETENTION_MS = new Key("log.retention.ms", Long.toString(7L * 24 * 3600 * 1000),
            "Default time retention of streams; -1 keeps forever.");
    public static final Key RETENTION_BYTES = new Key("log.retention.bytes", "-1",
            "Default size retention per partition; -1 is unlimited.");
    public static final Key PRODUCER_ID_EXPIRATION_MS = new Key("log.producer.id.expiration.ms",
            Long.toString(24L * 3600 * 1000),
            "How long an idempotent producer's sequence state is kept after its last write (Kafka's "
                    + "producer.id.expiration.ms); producers with an open transaction are kept.");
    public static final Key WRITER_THREADS = new Key("log.writer.threads", "2",
            "Threads that write and fsync logs (each partition is pinned to one).");
    public static final Key CORE_THREADS = new Key("core.threads", "2", "Threads running queues and metadata.");
    public static final Key IO_THREADS = new Key("io.threads", "2", "Network event-loop threads.");
    public static final Key IO_TRANSPORT = new Key("io.transport", "auto",
            "Network transport: epoll (Linux native), nio (the JDK's), or auto (epoll when it loads, else nio).");
    public static final Key NODE_ID = new Key("node.id", "1", "This node's id (the Kafka broker id).");
    public static final Key MEMORY_HIGH_WATERMARK = new Key("memory.high.watermark", "0.8",
            "Fraction of the heap in use above which publishers are blocked; 0 disables.");
    public static final Key DISK_FREE_LIMIT = new Key("disk.free.limit.bytes", Long.toString(50L * 1024 * 1024),
            "Free bytes on the data volume below which publishers are blocked; 0 disables.");
    public static final Key ADMIN_TOKEN = new Key("admin.token", "",
            "Bearer token accepted by the HTTP endpoints (Authorization: Bearer ...); empty = none.");
    public static final Key ADMIN_USER = new Key("admin.user", "",
            "HTTP Basic user accepted by the HTTP endpoints; empty disables Basic authentication.");
    public static final Key ADMIN_PASSWORD = new Key("admin.password", "", "HTTP Basic password of admin.user.");
    public static final Key ADMIN_LOOPBACK_OPEN = new Key("admin.loopback.open", "true",
            "Serve HTTP requests from loopback addresses without a credential; requests from elsewhere always "
                    + "need admin.token or admin.user.");
    public static final Key ADMIN_REFRESH_MS = new Key("admin.refresh.ms", "5000",
            "How often per-stream/queue/group gauges are refreshed and alerts evaluated.");
    public static final Key ALERT_CONSUMER_LAG = new Key("alert.consumer.lag", "10000",
            "Alert when a consumer group partition lags this many records; 0 disables.");
    public static final Key ALERT_QUEUE_DEPTH = new Key("alert.queue.depth", "100000",
            "Alert when a queue (not a dead-letter queue) holds this many ready messages; 0 disables.");
    public static final Key ALERT_DLQ_DEPTH = new Key("alert.dlq.depth", "1",
            "Alert when a dead-letter queue holds this many messages; 0 disables.");
    public static final Key ALERT_DLQ_GROWTH = new Key("alert.dlq.growth.per.minute", "0",
            "Alert when a dead-letter queue grows by this many messages per minute; 0 disables.");
    public static final Key ALERT_DLQ_PREFIX = new Key("alert.dlq.prefix", "dlq.",
            "Queues named with this prefix (or ending in .dlq, -dlq, _dlq), and queues other queues dead-letter "
                    + "to through the default exchange, count as dead-letter queues.");
    public static final Key ALERT_DISK_FREE = new Key("alert.disk.free.bytes", Long.toString(1024L * 1024 * 1024),
            "Alert (and report health DOWN) when the data volume has fewer free bytes; 0 disables.");

    public static final List<Key> KEYS = List.of(DATA_DIR, BIND_HOST, ADVERTISED_HOST, KAFKA_PORT,
            KAFKA_GROUP_CONSUMER_SESSION_TIMEOUT_MS, KAFKA_GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS,
            KAFKA_GROUP_CONSUMER_ASSIGNORS, AMQP_PORT,
            NATS_PORT, RESP_PORT, HTTP_PORT, DURABILITY, FLUSH_INTERVAL_MS, SEGMENT_BYTES, RETENTION_MS,
            RETENTION_BYTES, PRODUCER_ID_EXPIRATION_MS, WRITER_THREADS, CORE_THREADS, IO_THREADS, IO_TRANSPORT, NODE_ID, MEMORY_HIGH_WATERMARK,
            DISK_FREE_LIMIT, ADMIN_TOKEN, ADMIN_USER, ADMIN_PASSWORD, ADMIN_LOOPBACK_OPEN, ADMIN_REFRESH_MS,
            ALERT_CONSUMER_LAG, ALERT_QUEUE_DEPTH, ALERT_DLQ_DEPTH, ALERT_DLQ_GROWTH, ALERT_DLQ_PREFIX,
            ALERT_DISK_FREE);

    private final Map<String, String> values;

    private ServerConfig(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** Defaults only (tests then override). */
    public static ServerConfig defaults() {
        return load(null, Map.of(), Map.of());
    }

    /**
     * Loads the configuration.
     *
     * @param file      config file, or null to use SLUICE_CONFIG / ./sluice.properties when present
     * @param env       environment variables
     * @param overrides highest-precedence values
     */
    public static ServerConfig load(Path file, Map<String, String> env, Map<String, String> overrides) {
        Map<String, String> v = new LinkedHashMap<>();
        KEYS.forEach(k -> v.put(k.name(), k.defaultValue()));
        Path f = file;
        if (f == null && env.get("SLUICE_CONFIG") != null) {
            f = Path.of(env.get("SLUICE_CONFIG"));
        }
        if (f == null && Files.isRegularFile(Path.of("sluice.properties"))) {
            f = Path.of("sluice.properties");
        }
        if (f != null) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(f)) {
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read config file " + f, e);
            }
            p.forEach((k, val) -> v.put(k.toString().trim(), val.toString().trim()));
        }
        env.forEach((k, val) -> {
            if (k.startsWith("SLUICE_") && !k.equals("SLUICE_CONFIG") && !k.equals("SLUICE_HOME")
                    && !k.equals("SLUICE_JAVA_OPTS")) {
                v.put(k.substring(7).toLowerCase(Locale.ROOT).replace('_', '.'), val);
            }
        });
        v.putAll(overrides);
        return new ServerConfig(v);
    }

    public String get(Key key) {
        return values.getOrDefault(key.name(), key.defaultValue());
    }

    public String get(String key, String def) {
        return values.getOrDefault(key, def);
    }

    public int getInt(Key key) {
        try {
            return Integer.parseInt(get(key).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("config " + key.name() + " must be an integer, got '" + get(key) + "'");
        }
    }

    public long getLong(Key key) {
        try {
            return Long.parseLong(get(key).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("config " + key.name() + " must be an integer, got '" + get(key) + "'");
        }
    }

    public double getDouble(Key key) {
        return Double.parseDouble(get(key).trim());
    }

    /** The settings of one protocol, without its prefix and without {@code port}. */
    public Map<String, String> protocolSettings(String protocol) {
        Map<String, String> out = new TreeMap<>();
        String prefix = protocol + ".";
        values.forEach((k, v) -> {
            if (k.startsWith(prefix) && !k.equals(prefix + "port")) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }

    public Map<String, String> values() {
        return values;
    }

    public ServerConfig with(Map<String, String> overrides) {
        Map<String, String> v = new LinkedHashMap<>(values);
        v.putAll(overrides);
        return new ServerConfig(v);
    }
}
