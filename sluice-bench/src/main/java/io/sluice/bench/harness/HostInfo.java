package io.sluice.bench.harness;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Describes the machine a result was measured on (cores, memory, CPU model, kernel, JVM), for the result line. */
public final class HostInfo {
    private HostInfo() {
    }

    public static Map<String, Object> describe() {
        Map<String, Object> host = new LinkedHashMap<>();
        host.put("name", hostname());
        host.put("cores", Runtime.getRuntime().availableProcessors());
        host.put("memory_bytes", memTotalBytes());
        host.put("cpu", cpuModel());
        host.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        host.put("client_jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        return host;
    }

    /**
     * The 1, 5 and 15 minute load averages ({@code /proc/loadavg}), or -1s; recorded before and after each run
     * because on a shared machine a figure measured under load is not comparable to one measured at rest.
     */
    public static double[] loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])};
        } catch (IOException | RuntimeException e) {
            return new double[] {-1, -1, -1};
        }
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static long memTotalBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return "unknown";
    }
}
