package io.sluice.bench.harness;

import io.sluice.bench.harness.driver.AmqpDriver;
import io.sluice.bench.harness.driver.BrokerDriver;
import io.sluice.bench.harness.driver.JetStreamDriver;
import io.sluice.bench.harness.driver.KafkaDriver;
import io.sluice.bench.harness.driver.NatsDriver;
import io.sluice.bench.harness.driver.RedisDriver;
import io.sluice.bench.harness.workload.Outcome;
import io.sluice.bench.harness.workload.RunSpec;
import io.sluice.bench.harness.workload.Workload;
import io.sluice.bench.harness.workload.WorkloadRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Command-line entry point of the load harness: runs one workload through one protocol's official client against
 * one server (Sluice or a real peer), verifies every message arrived, and appends one JSON line (see
 * {@link ResultLine}) to {@code --out} and stdout.
 *
 * <p>Exit status: 0 when the run verified, 2 when messages were lost, duplicated, reordered or not confirmed (the
 * line then says FAILED and carries no figures), 1 on any other error (server unreachable, bad options).
 */
@Command(name = "sluice-bench", mixinStandardHelpOptions = true,
        description = "Runs a benchmark workload against Sluice or a peer broker through the official client.")
public final class BenchMain implements Callable<Integer> {
    enum Protocol { kafka, amqp, nats, jetstream, redis }

    @Option(names = "--system", required = true, description = "What is measured, e.g. sluice, kafka, rabbitmq, nats, redis.")
    String system;

    @Option(names = "--protocol", required = true, description = "kafka, amqp, nats (core), jetstream or redis.")
    Protocol protocol;

    @Option(names = "--host", defaultValue = "127.0.0.1")
    String host;

    @Option(names = "--port", description = "Default: the peer port for peers, SLUICE_<P>_PORT or the standard port for sluice.")
    Integer port;

    @Option(names = "--workload", required = true, description = "T1, L1, F1, M1 or R1.")
    Workload workload;

    @Option(names = "--messages", defaultValue = "100000", description = "Messages published (default ${DEFAULT-VALUE}).")
    long messages;

    @Option(names = "--size", defaultValue = "1024", description = "Body size in bytes (default ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--durability", defaultValue = "default", description = "Label for the server's durability mode.")
    String durability;

    @Option(names = "--out", description = "JSON Lines file to append the result to.")
    Path out;

    @Option(names = "--server-pid", description = "PID of the server; default: the process listening on the port.")
    Long serverPid;

    @Option(names = "--server-version", description = "Version to record when the protocol does not report one.")
    String serverVersion;

    @Option(names = "--window", defaultValue = "1000", description = "Unconfirmed publishes allowed (default ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--rate", defaultValue = "5000", description = "L1 fixed rate, msg/s (default ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--subscribers", defaultValue = "16", description = "F1 subscribers (default ${DEFAULT-VALUE}).")
    int fanOut;

    @Option(names = "--queues", defaultValue = "1000", description = "M1 destinations (default ${DEFAULT-VALUE}).")
    int queues;

    @Option(names = "--idle-seconds", defaultValue = "5", description = "M1 idle sampling window (default ${DEFAULT-VALUE}).")
    int idleSeconds;

    @Option(names = "--stall-timeout", defaultValue = "60", description = "Seconds without progress before a run fails.")
    int stallTimeout;

    @Option(names = "--user", defaultValue = "guest")
    String user;

    @Option(names = "--password", defaultValue = "guest")
    String password;

    @Option(names = "--amqp-queue-type", defaultValue = "quorum",
            description = "x-queue-type for AMQP queues: quorum (default), classic, or none to send no argument.")
    String amqpQueueType;

    @Option(names = "--fill-window", defaultValue = "10000",
            description = "R1: unconfirmed messages while filling the backlog, through the client's bulk settings (default ${DEFAULT-VALUE}); 0 fills like T1.")
    int fillWindow;

    @Option(names = "--drop-caches", description = "R1: drop the OS page cache between the fill and the replay (needs root).")
    boolean dropCaches;

    @Option(names = "--jvm-heap", description = "M1: also record a JVM server's live heap per queue (forces two full GCs in the server).")
    boolean jvmHeap;

    @Option(names = "--warmup-messages", defaultValue = "0",
            description = "T1/F1: messages of an unmeasured warm-up pass (own destinations, verified) before the measured one (default ${DEFAULT-VALUE}).")
    long warmupMessages;

    @Option(names = "--run-id", description = "Suffix of every queue/topic name; default: derived from the clock.")
    String runId;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        int resolvedPort = port != null ? port : defaultPort(system, protocol);
        String id = runId != null ? runId : Long.toString(System.currentTimeMillis() % 100_000_000L, 36) + workload.name().toLowerCase(Locale.ROOT);
        Optional<ServerProcess> server = serverPid != null ? Optional.of(ServerProcess.of(serverPid)) : ServerProcess.listeningOn(resolvedPort);
        RunSpec spec = spec();
        System.err.printf("bench: %s/%s %s messages=%d size=%d on %s:%d (server pid %s)%n", system, protocol, workload,
                messages, size, host, resolvedPort, server.map(s -> Long.toString(s.pid())).orElse("unknown"));
        long t0 = System.nanoTime();
        Outcome outcome;
        String version;
        double[] loadBefore = HostInfo.loadAverage();
        long peakRss;
        try (BrokerDriver driver = driver(resolvedPort);
                ServerProcess.RssSampler rss = server.map(s -> new ServerProcess.RssSampler(s, 250)).orElse(null)) {
            version = Optional.ofNullable(driver.serverVersion()).filter(v -> !v.isBlank()).orElse(serverVersion);
            try {
                outcome = new WorkloadRunner(driver, server.orElse(null), id, runOptions()).run(workload, spec);
            } catch (Exception e) {
                // a run that could not finish (refused publishes, timeouts) is recorded as failed, never as a figure
                e.printStackTrace();
                outcome = Outcome.failed(messages, List.of("run aborted: " + e));
            }
            peakRss = rss == null ? -1 : rss.peakBytes();
        }
        double duration = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> serverInfo = new LinkedHashMap<>();
        server.ifPresent(s -> {
            serverInfo.put("pid", s.pid());
            serverInfo.put("command", s.command());
        });
        serverInfo.put("peak_rss_bytes", peakRss);
        Map<String, Object> host = HostInfo.describe();
        host.put("loadavg_1m_before", loadBefore[0]);
        host.put("loadavg_1m_after", HostInfo.loadAverage()[0]);
        ResultLine.Header header = new ResultLine.Header(system, version, protocol.name(), workload.name(), durability,
                size, spec.destinations(), spec.subscribers(), window, spec.ratePerSecond());
        String json = ResultLine.toJson(ResultLine.build(header, outcome, serverInfo, duration, Instant.now(), host));
        if (out != null) {
            ResultLine.append(out, json);
        }
        System.out.println(json);
        if (!outcome.ok()) {
            System.err.println();
            System.err.println("########################################################################");
            System.err.println("# BENCHMARK RUN FAILED VERIFICATION: " + system + "/" + protocol + " " + workload + " - no figure is valid");
            for (String p : outcome.problems()) {
                System.err.println("#   " + p);
            }
            System.err.println("########################################################################");
            return 2;
        }
        return 0;
    }

    WorkloadRunner.Options runOptions() {
        return new WorkloadRunner.Options(fillWindow, dropCaches ? HostInfo::dropPageCache
                : () -> "OS page cache not dropped (no --drop-caches): the replay may read from memory", jvmHeap);
    }

    RunSpec spec() {
        Duration stall = Duration.ofSeconds(stallTimeout);
        return switch (workload) {
            case T1 -> new RunSpec(messages, size, 1, 1, 0, warmupMessages, stall, 0);
            case R1 -> new RunSpec(messages, size, 1, 1, 0, 0, stall, 0);
            case L1 -> new RunSpec(messages, size, 1, 1, rate, Math.min(messages / 10, rate), stall, 0);
            case F1 -> new RunSpec(messages, size, 1, fanOut, 0, warmupMessages, stall, 0);
            case M1 -> new RunSpec(messages, size, queues, 1, 0, 0, stall, idleSeconds);
        };
    }

    private BrokerDriver driver(int resolvedPort) {
        return switch (protocol) {
            case kafka -> new KafkaDriver(host, resolvedPort, window);
            case amqp -> new AmqpDriver(host, resolvedPort, user, password, window, amqpQueueType);
            case nats -> new NatsDriver(host, resolvedPort, window);
            case jetstream -> new JetStreamDriver(host, resolvedPort, window);
            case redis -> new RedisDriver(host, resolvedPort, window);
        };
    }

    /** Peers run on the private ports of /work/shared/peers; Sluice on its standard ports unless overridden. */
    static int defaultPort(String system, Protocol protocol) {
        boolean sluice = "sluice".equalsIgnoreCase(system);
        String env = switch (protocol) {
            case kafka -> "SLUICE_KAFKA_PORT";
            case amqp -> "SLUICE_AMQP_PORT";
            case nats, jetstream -> "SLUICE_NATS_PORT";
            case redis -> "SLUICE_RESP_PORT";
        };
        if (sluice && System.getenv(env) != null) {
            return Integer.parseInt(System.getenv(env));
        }
        return switch (protocol) {
            case kafka -> sluice ? 9092 : 19092;
            case amqp -> sluice ? 5672 : 35672;
            case nats, jetstream -> sluice ? 4222 : 14222;
            case redis -> sluice ? 6379 : 16379;
        };
    }

}
