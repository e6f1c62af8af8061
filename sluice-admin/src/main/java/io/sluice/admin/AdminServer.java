package io.sluice.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.core.SluiceException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP endpoint: {@code /metrics} (Prometheus text), {@code /health}, {@code /alerts}, the admin API under
 * {@code /api/v1} ({@link AdminApi}, {@link ConnectionsApi}) and the web console under {@code /console/}.
 *
 * <p>Lifecycle: {@link #start} binds the port and starts one timer thread that refreshes the per-entity gauges and
 * evaluates alerts every {@link AdminOptions#refresh()}; {@link #close} stops both. Jetty runs on a small pool (at
 * most 8 threads) because the broker's cores belong to the protocol event loops.
 *
 * <p>Auth: every path needs the configured credential (bearer token or HTTP Basic) unless the request comes from a
 * loopback address and {@link AdminOptions#loopbackOpen()} is set. With no credential configured, only loopback
 * requests (with loopback open) are served; everything else gets 401.
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
    static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private final AdminOptions options;
    private final PrometheusMeterRegistry registry;
    private final BrokerMetrics metrics;
    private final Alerts alerts;
    private final RedriveTasks redrive;
    private final ScheduledExecutorService timer;
    private final Javalin app;

    private AdminServer(BrokerView view, PrometheusMeterRegistry registry, AdminOptions options, Path dataDir,
                        Clock clock) {
        this.options = options;
        this.registry = registry;
        this.metrics = new BrokerMetrics(view, registry, clock);
        this.alerts = new Alerts(view, options.thresholds(), clock, dataDir);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-admin-timer");
            t.setDaemon(true);
            return t;
        });
        this.redrive = new RedriveTasks(view, clock);
        AdminApi api = new AdminApi(view, redrive);
        QueuedThreadPool pool = new QueuedThreadPool(8, 2);
        pool.setName("sluice-http");
        pool.setDaemon(true);
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.threadPool = pool;
            config.routes.get("/console/{file}", this::consoleFile);
            config.routes.before(this::authenticate);
            config.routes.get("/", ctx -> ctx.redirect("/console/index.html"));
            config.routes.get("/console", ctx -> ctx.redirect("/console/index.html"));
            config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(registry.scrape()));
            config.routes.get("/health", this::health);
            config.routes.get("/alerts", ctx -> json(ctx, 200, Map.of("alerts", alerts.active())));
            api.routes(config.routes);
            new ConnectionsApi(view).routes(config.routes);
            config.routes.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
            config.routes.exception(Exception.class, (e, ctx) -> mapError(ctx, e));
            config.routes.error(404, "*", ctx -> {
                if (ctx.result() == null || ctx.result().isEmpty()) {
                    error(ctx, 404, "no such path: " + ctx.path());
                }
            });
        });
    }

    /**
     * Starts the HTTP server and its refresh timer.
     *
     * @param view     the broker to serve
     * @param registry the registry the broker and protocol adapters record into; scraped at {@code /metrics}
     * @param dataDir  data folder, for the disk-free alert (null disables it)
     */
    public static AdminServer start(BrokerView view, PrometheusMeterRegistry registry, AdminOptions options,
                                    Path dataDir, Clock clock) {
        AdminServer s = new AdminServer(view, registry, options, dataDir, clock);
        s.refresh();
        long every = Math.max(100, options.refresh().toMillis());
        s.timer.scheduleWithFixedDelay(s::refresh, every, every, TimeUnit.MILLISECONDS);
        try {
            s.app.start(options.bindHost(), options.port());
        } catch (RuntimeException e) {
            s.close();
            throw new IllegalStateException("cannot start the HTTP listener on " + options.bindHost() + ":"
                    + options.port() + ": " + e.getMessage(), e);
        }
        if (!options.hasCredential()) {
            log.warn("admin API has no credential configured (admin.token / admin.user): only loopback requests "
                    + "are served{}", options.loopbackOpen() ? "" : ", and admin.loopback.open=false refuses those");
        }
        log.info("http listening on {}:{} (metrics, health, admin API, console)", options.bindHost(), s.port());
        return s;
    }

    /** Recomputes gauges and alerts now (the timer does it periodically). */
    public void refresh() {
        try {
            metrics.refresh();
            alerts.evaluate();
        } catch (RuntimeException e) {
            log.warn("metrics refresh failed", e);
        }
    }

    public int port() {
        return app.port();
    }

    public Alerts alerts() {
        return alerts;
    }

    private void health(Context ctx) {
        List<String> problems = alerts.healthProblems();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", problems.isEmpty() ? "UP" : "DOWN");
        if (!problems.isEmpty()) {
            body.put("reasons", problems);
        }
        json(ctx, problems.isEmpty() ? 200 : 503, body);
    }

    /**
     * The console's files, read from the classpath once. Not Javalin's classpath static files: those mount the jar as a
     * zip file system, whose index of every entry of the server's fat jar (about 66,000) stayed on the heap for the
     * life of the process, about 20 MB that every young collection of the serial collector then copied (pauses of
     * 40-115 ms instead of 5-9 ms under core NATS L1).
     */
    private static final Map<String, ConsoleFile> CONSOLE = Map.of(
            "index.html", ConsoleFile.read("index.html", "text/html; charset=utf-8"),
            "console.css", ConsoleFile.read("console.css", "text/css; charset=utf-8"),
            "console.js", ConsoleFile.read("console.js", "text/javascript; charset=utf-8"));

    private record ConsoleFile(String type, byte[] bytes) {
        static ConsoleFile read(String name, String type) {
            try (InputStream in = AdminServer.class.getResourceAsStream("/io/sluice/admin/console/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("console file missing from the classpath: " + name);
                }
                return new ConsoleFile(type, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void consoleFile(Context ctx) {
        ConsoleFile f = CONSOLE.get(ctx.pathParam("file"));
        if (f == null) {
            error(ctx, 404, "no such path: " + ctx.path());
            return;
        }
        ctx.contentType(f.type()).result(f.bytes());
    }

    private void authenticate(Context ctx) {
        if (options.loopbackOpen() && isLoopback(ctx.req().getRemoteAddr())) {
            return;
        }
        String auth = ctx.header("Authorization");
        if (auth != null && options.hasCredential()) {
            if (auth.regionMatches(true, 0, "Bearer ", 0, 7) && options.token() != null
                    && !options.token().isBlank() && same(auth.substring(7).trim(), options.token())) {
                return;
            }
            if (auth.regionMatches(true, 0, "Basic ", 0, 6) && options.user() != null && !options.user().isBlank()) {
                String decoded;
                try {
                    decoded = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    decoded = "";
                }
                if (same(decoded, options.user() + ":" + (options.password() == null ? "" : options.password()))) {
                    return;
                }
            }
        }
        ctx.header("WWW-Authenticate", "Basic realm=\"sluice\"");
        throw new ApiException(401, "authentication required");
    }

    private static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /** Literal addresses only (Jetty reports the peer's IP): 127.0.0.0/8 and ::1. */
    private static boolean isLoopback(String addr) {
        return addr != null && (addr.startsWith("127.") || addr.equals("::1") || addr.equals("0:0:0:0:0:0:0:1")
                || addr.equals("[::1]") || addr.equals("[0:0:0:0:0:0:0:1]"));
    }

    private static void mapError(Context ctx, Exception e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof ApiException a) {
            error(ctx, a.status(), a.getMessage());
            return;
        }
        if (t instanceof SluiceException s) {
            int status = switch (s.code()) {
                case STREAM_NOT_FOUND, PARTITION_NOT_FOUND, QUEUE_NOT_FOUND, EXCHANGE_NOT_FOUND, GROUP_NOT_FOUND -> 404;
                case STREAM_EXISTS, QUEUE_EXISTS_DIFFERENT, EXCHANGE_EXISTS_DIFFERENT, PRECONDITION_FAILED,
                     RESOURCE_LOCKED, GROUP_NOT_EMPTY -> 409;
                case INVALID_ARGUMENT, OFFSET_OUT_OF_RANGE, MESSAGE_TOO_LARGE -> 400;
                case NOT_AUTHORIZED -> 403;
                case SHUTTING_DOWN, PARTITION_OFFLINE -> 503;
                default -> 500;
            };
            error(ctx, status, s.getMessage());
            return;
        }
        if (t instanceof IllegalArgumentException || t instanceof com.fasterxml.jackson.core.JacksonException) {
            error(ctx, 400, t.getMessage());
            return;
        }
        log.warn("admin request {} {} failed", ctx.method(), ctx.path(), t);
        error(ctx, 500, String.valueOf(t.getMessage()));
    }

    static void error(Context ctx, int status, String message) {
        json(ctx, status, Map.of("error", message == null ? "error" : message));
    }

    static void json(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(JSON.writeValueAsString(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        redrive.close();
        try {
            app.stop();
        } catch (RuntimeException e) {
            log.warn("stopping the HTTP server failed", e);
        }
        metrics.close();
    }
}
