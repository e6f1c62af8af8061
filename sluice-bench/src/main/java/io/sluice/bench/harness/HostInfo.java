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

    /**
     * Writes dirty pages back and drops the kernel's page, dentry and inode caches, so the next read of a log comes
     * from the disk (R1's cold replay). Needs root; the whole machine's cache goes, not only the server's. Returns
     * what happened, for the result line: a replay that could not be made cold must say so.
     */
    public static String dropPageCache() {
        Path control = Path.of("/proc/sys/vm/drop_caches");
        try {
            Process sync = new ProcessBuilder("sync").redirectErrorStream(true).start();
            sync.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            sync.waitFor();
            Files.writeString(control, "3\n");
            return "OS page cache dropped before the replay (sync; 3 > /proc/sys/vm/drop_caches)";
        } catch (IOException | RuntimeException e) {
            return "OS page cache NOT dropped (" + e.getMessage() + "): the replay may read from memory";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "OS page cache NOT dropped (interrupted)";
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
