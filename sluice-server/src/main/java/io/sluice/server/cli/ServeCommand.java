package io.sluice.server.cli;

import io.sluice.server.ServerConfig;
import io.sluice.server.SluiceServer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice serve}: runs a single node until SIGTERM / Ctrl-C, then shuts down cleanly. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Start a single Sluice node (data in a local folder; every protocol on its standard port).")
final class ServeCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, description = "Properties file (default: $SLUICE_CONFIG or ./sluice.properties).")
    Path config;

    @Option(names = {"-d", "--data-dir"}, description = "Data folder (default: $SLUICE_DATA_DIR or ./data).")
    Path dataDir;

    @Option(names = "--set", description = "Override a config key, e.g. --set kafka.port=19092", split = ",")
    Map<String, String> set = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        Map<String, String> overrides = new LinkedHashMap<>(set);
        if (dataDir != null) {
            overrides.put(ServerConfig.DATA_DIR.name(), dataDir.toString());
        }
        ServerConfig cfg = ServerConfig.load(config, System.getenv(), overrides);
        SluiceServer server;
        try {
            server = SluiceServer.start(cfg);
        } catch (IllegalStateException | IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "sluice-shutdown"));
        System.out.println("sluice is running; stop it with Ctrl-C or SIGTERM");
        stopped.await();
        return 0;
    }
}
