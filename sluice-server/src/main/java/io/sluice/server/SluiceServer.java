package io.sluice.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.sluice.admin.AdminOptions;
import io.sluice.admin.AdminServer;
import io.sluice.admin.AlertThresholds;
import io.sluice.admin.BrokerView;
import io.sluice.core.internal.BrokerOptions;
import io.sluice.core.internal.DefaultBroker;
import io.sluice.core.internal.StorageMetrics;
import io.sluice.storage.CleanupPolicy;
import io.sluice.storage.Durability;
import io.sluice.storage.LogConfig;
import io.sluice.storage.TimestampType;
import io.sluice.storage.log.FileLogStore;
import io.sluice.storage.memory.MemoryLogStore;
import io.sluice.transport.ConnectionTracker;
import io.sluice.transport.ProtocolContext;
import io.sluice.transport.ProtocolHandlers;
import io.sluice.transport.ProtocolPlugin;
import io.sluice.transport.ProtocolSettings;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Sluice node: the broker over a file log store in the data folder, plus one listener per enabled protocol
 * plug-in (found with {@link ServiceLoader}). Owns the event loops and every socket; protocol plug-ins only build
 * pipelines.
 *
 * <p>Lifecycle: {@link #start} opens the data folder (recovering every log), binds every listener (failing with a
 * message naming the port if one is taken) and logs one line per listener; {@link #close} stops accepting, closes
 * connections, then closes the broker, which flushes every log and writes clean checkpoints.
 */
public final class SluiceServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SluiceServer.class);

    private final ServerConfig config;
    private final DefaultBroker broker;
    private final NetTransport transport;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final List<Listener> listeners = new ArrayList<>();
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final MeterRegistry meters;
    private final PrometheusMeterRegistry prometheus;
    private final Path dataDir;
    private final Clock clock;
    private AdminServer admin;

    private record Listener(String protocol, Channel channel, ProtocolHandlers handlers) {
    }

    private SluiceServer(ServerConfig config, Clock clock, MeterRegistry meters) {
        this.config = config;
        this.clock = clock;
        // Everything the broker and the protocol adapters record must be scrapeable at /metrics: use the caller's
        // Prometheus registry, or add one beside the caller's registry.
        if (meters instanceof PrometheusMeterRegistry p) {
            this.prometheus = p;
            this.meters = p;
        } else {
            this.prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            this.meters = new CompositeMeterRegistry(io.micrometer.core.instrument.Clock.SYSTEM,
                    List.of(meters, prometheus));
        }
        Path dataDir = Path.of(config.get(ServerConfig.DATA_DIR)).toAbsolutePath().normalize();
        try {
            Files.createDirectories(dataDir);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create data folder " + dataDir + ": " + e.getMessage(), e);
        }
        FileLogStore store = FileLogStore.open(dataDir, FileLogStore.Options.defaults()
                .withWriterThreads(Math.max(1, config.getInt(ServerConfig.WRITER_THREADS)))
                .withClock(clock::millis)
                .withProducerIdExpirationMs(config.getLong(ServerConfig.PRODUCER_ID_EXPIRATION_MS))
                .withListener(new StorageMetrics(this.meters)));
        LogConfig defaults = new LogConfig(config.getInt(ServerConfig.SEGMENT_BYTES),
                LogConfig.DEFAULT_SEGMENT_MS, LogConfig.DEFAULT_INDEX_INTERVAL_BYTES,
                config.getLong(ServerConfig.RETENTION_MS), config.getLong(ServerConfig.RETENTION_BYTES),
                CleanupPolicy.DELETE, Durability.fromConfigName(config.get(ServerConfig.DURABILITY)),
                config.getLong(ServerConfig.FLUSH_INTERVAL_MS), LogConfig.DEFAULT_MAX_BATCH_BYTES,
                TimestampType.CREATE_TIME, LogConfig.DEFAULT_DELETE_RETENTION_MS);
        BrokerOptions options = new BrokerOptions(store, new MemoryLogStore(clock::millis,
                config.getLong(ServerConfig.PRODUCER_ID_EXPIRATION_MS)), dataDir, clock, defaults,
                this.meters, config.getInt(ServerConfig.CORE_THREADS), config.getInt(ServerConfig.NODE_ID),
                config.getDouble(ServerConfig.MEMORY_HIGH_WATERMARK), config.getLong(ServerConfig.DISK_FREE_LIMIT));
        this.broker = DefaultBroker.start(options);
        this.transport = NetTransport.of(config.get(ServerConfig.IO_TRANSPORT));
        this.boss = new MultiThreadIoEventLoopGroup(1, transport.ioHandlers());
        this.workers = new MultiThreadIoEventLoopGroup(Math.max(1, config.getInt(ServerConfig.IO_THREADS)),
                transport.ioHandlers());
        log.info("network transport {}", transport.name());
        this.dataDir = dataDir;
        log.info("data folder {}", dataDir);
    }

    /** Starts a node with the system clock and its own (Prometheus) meter registry. */
    public static SluiceServer start(ServerConfig config) {
        return start(config, Clock.systemUTC(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    public static SluiceServer start(ServerConfig config, Clock clock, MeterRegistry meters) {
        SluiceServer server = new SluiceServer(config, clock, meters);
        try {
            server.bindAll();
            server.startAdmin();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void bindAll() {
        String bindHost = config.get(ServerConfig.BIND_HOST);
        for (ProtocolPlugin plugin : ServiceLoader.load(ProtocolPlugin.class)) {
            String raw = config.get(plugin.name() + ".port", Integer.toString(plugin.defaultPort())).trim();
            if (raw.equals("random")) {
                bind(plugin, bindHost, 0); // tests: any free port, read back with port(name)
                continue;
            }
            int port;
            try {
                port = Integer.parseInt(raw);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(plugin.name() + ".port must be a port number, 0 (disabled) or "
                        + "'random', got '" + raw + "'");
            }
            if (port == 0) {
                log.info("{} listener disabled ({}.port=0)", plugin.name(), plugin.name());
                continue;
            }
            bind(plugin, bindHost, port);
        }
    }

    /** NIO reports a taken port as a BindException, the native epoll transport as an errno in an IOException. */
    private static boolean addressInUse(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException || String.valueOf(t.getMessage()).contains("Address already in use")) {
                return true;
            }
        }
        return false;
    }

    private void bind(ProtocolPlugin plugin, String host, int port) {
        final ProtocolHandlers[] handlers = new ProtocolHandlers[1];
        ConnectionTracker tracker = new ConnectionTracker(broker.connections(), plugin.name());
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ProtocolHandlers h = handlers[0];
                        if (h == null) {
                            ch.close(); // accepted in the instant between bind and plug-in creation
                            return;
                        }
                        h.initChannel(ch);
                        tracker.install(ch); // every protocol's connections listed and counted alike
                    }
                });
        Channel channel;
        try {
            channel = b.bind(new InetSocketAddress(host, port)).syncUninterruptibly().channel();
        } catch (Exception e) {
            if (addressInUse(e)) {
                throw new IllegalStateException("cannot start the " + plugin.name() + " listener: port " + port
                        + " on " + host + " is already in use (set " + plugin.name() + ".port or SLUICE_"
                        + plugin.name().toUpperCase(java.util.Locale.ROOT) + "_PORT)", e);
            }
            throw new IllegalStateException("cannot start the " + plugin.name() + " listener on " + host + ":" + port
                    + ": " + e.getMessage(), e);
        }
        int bound = ((InetSocketAddress) channel.localAddress()).getPort();
        String advertisedHost = config.get(ServerConfig.ADVERTISED_HOST);
        ProtocolContext ctx = new ProtocolContext(broker,
                new ProtocolSettings(config.protocolSettings(plugin.name())), host, bound, advertisedHost, bound,
                meters);
        handlers[0] = plugin.create(ctx);
        listeners.add(new Listener(plugin.name(), channel, handlers[0]));
        ports.put(plugin.name(), bound);
        log.info("{} listening on {}:{} (advertised {}:{})", plugin.name(), host, bound, advertisedHost, bound);
    }

    private void startAdmin() {
        String raw = config.get(ServerConfig.HTTP_PORT).trim();
        int port;
        if (raw.equals("random")) {
            port = 0; // tests: any free port, read back with port("http")
        } else {
            try {
                port = Integer.parseInt(raw);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("http.port must be a port number, 0 (disabled) or 'random', got '"
                        + raw + "'");
            }
            if (port == 0) {
                log.info("http listener disabled (http.port=0)");
                return;
            }
        }
        AlertThresholds thresholds = new AlertThresholds(config.getLong(ServerConfig.ALERT_CONSUMER_LAG),
                config.getLong(ServerConfig.ALERT_QUEUE_DEPTH), config.getLong(ServerConfig.ALERT_DLQ_DEPTH),
                config.getDouble(ServerConfig.ALERT_DLQ_GROWTH), config.getLong(ServerConfig.ALERT_DISK_FREE),
                config.get(ServerConfig.ALERT_DLQ_PREFIX));
        AdminOptions options = new AdminOptions(config.get(ServerConfig.BIND_HOST), port,
                config.get(ServerConfig.ADMIN_TOKEN), config.get(ServerConfig.ADMIN_USER),
                config.get(ServerConfig.ADMIN_PASSWORD),
                Boolean.parseBoolean(config.get(ServerConfig.ADMIN_LOOPBACK_OPEN).trim()),
                Duration.ofMillis(Math.max(100, config.getLong(ServerConfig.ADMIN_REFRESH_MS))), thresholds);
        admin = AdminServer.start(new BrokerView(broker, broker.streamsImpl()::all), prometheus, options, dataDir,
                clock);
        ports.put("http", admin.port());
    }

    /** The registry scraped at /metrics (also reachable through {@link #broker()}'s meters). */
    public PrometheusMeterRegistry prometheus() {
        return prometheus;
    }

    /** The HTTP server, or null when http.port=0. */
    public AdminServer admin() {
        return admin;
    }

    /** The bound port of a protocol ("kafka", "amqp", "nats", "resp") or of "http", or -1 if it is not listening. */
    public int port(String protocol) {
        return ports.getOrDefault(protocol, -1);
    }

    public Map<String, Integer> ports() {
        return Map.copyOf(ports);
    }

    public DefaultBroker broker() {
        return broker;
    }

    public ServerConfig config() {
        return config;
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close();
        }
        for (Listener l : listeners) {
            l.channel().close().syncUninterruptibly();
        }
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        for (Listener l : listeners) {
            try {
                l.handlers().close();
            } catch (RuntimeException e) {
                log.warn("closing {} handlers failed", l.protocol(), e);
            }
        }
        broker.close();
        log.info("stopped");
    }
}
