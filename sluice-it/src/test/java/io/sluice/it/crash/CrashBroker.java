package io.sluice.it.crash;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A {@link CrashServer} JVM the crash tests start on a data folder and end with SIGKILL. */
final class CrashBroker {
    private final Process process;
    private final Map<String, Integer> ports;

    private CrashBroker(Process process, Map<String, Integer> ports) {
        this.process = process;
        this.ports = ports;
    }

    static CrashBroker start(Path dir) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), CrashServer.class.getName(), dir.toString());
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        CountDownLatch ready = new CountDownLatch(1);
        Map<String, Integer> ports = new HashMap<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith("READY ")) {
                        synchronized (ports) {
                            for (String kv : line.substring(6).trim().split(" ")) {
                                String[] parts = kv.split("=");
                                ports.put(parts[0], Integer.parseInt(parts[1]));
                            }
                        }
                        ready.countDown();
                    }
                }
            } catch (java.io.IOException ignored) {
                // the pipe breaks when the process dies
            }
        }, "crash-broker-output");
        reader.setDaemon(true);
        reader.start();
        if (!ready.await(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("broker process did not start");
        }
        synchronized (ports) {
            return new CrashBroker(p, Map.copyOf(ports));
        }
    }

    int port(String protocol) {
        return ports.get(protocol);
    }

    void kill() throws InterruptedException {
        process.destroyForcibly(); // SIGKILL on Linux
        process.waitFor(30, TimeUnit.SECONDS);
    }
}
