package io.sluice.bench.harness;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Reads the resource use of the server process under test from {@code /proc}: resident set size and CPU time.
 *
 * <p>The process is either given by PID or found as the owner of the socket listening on the benchmark port
 * ({@code /proc/net/tcp{,6}} gives the socket inode, {@code /proc/<pid>/fd} links name it). Linux only; on any other
 * system, or when the process belongs to a user whose {@code /proc} entries we may not read, the lookups return
 * empty and the result line simply omits the figures. Stateless apart from the PID; safe to share between threads.
 */
public final class ServerProcess {
    private static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ, 100 on every mainstream Linux build
    private final long pid;

    private ServerProcess(long pid) {
        this.pid = pid;
    }

    public static ServerProcess of(long pid) {
        return new ServerProcess(pid);
    }

    public long pid() {
        return pid;
    }

    /** Finds the process listening on TCP {@code port} on any local address, if we may see it. */
    public static java.util.Optional<ServerProcess> listeningOn(int port) {
        Set<String> inodes = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] f = line.trim().split("\\s+");
                    // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
                    if (f.length < 10 || !"0A".equals(f[3])) {
                        continue; // 0A = TCP_LISTEN
                    }
                    String local = f[1];
                    int localPort = Integer.parseInt(local.substring(local.indexOf(':') + 1), 16);
                    if (localPort == port) {
                        inodes.add("socket:[" + f[9] + "]");
                    }
                }
            } catch (IOException | RuntimeException e) {
                // table absent (no IPv6) or not Linux: nothing to find there
            }
        }
        if (inodes.isEmpty()) {
            return java.util.Optional.empty();
        }
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path proc : procs) {
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
                    for (Path fd : fds) {
                        try {
                            if (inodes.contains(Files.readSymbolicLink(fd).toString())) {
                                return java.util.Optional.of(new ServerProcess(Long.parseLong(proc.getFileName().toString())));
                            }
                        } catch (IOException e) {
                            // fd closed while we looked
                        }
                    }
                } catch (IOException e) {
                    // process gone or not ours to read
                }
            }
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.empty();
    }

    /** Current resident set size in bytes ({@code VmRSS}). */
    public OptionalLong rssBytes() {
        return statusField("VmRSS:");
    }

    /** Peak resident set size over the process's whole life ({@code VmHWM}), in bytes. */
    public OptionalLong lifetimePeakRssBytes() {
        return statusField("VmHWM:");
    }

    /** User plus system CPU time consumed so far, in nanoseconds ({@code /proc/<pid>/stat} fields 14 and 15). */
    public OptionalLong cpuNanos() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name (field 2) may contain spaces and parentheses: split after the last ')'
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15 overall)
            return OptionalLong.of(ticks * (1_000_000_000L / CLOCK_TICKS_PER_SECOND));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * For a JVM server (Sluice, Kafka): forces a full collection ({@code jcmd <pid> GC.run}) and returns the heap
     * then in use ({@code GC.heap_info}), i.e. the live set. RSS alone cannot tell a JVM's per-queue state from heap
     * it grew into and has not given back; the live set can. Empty for a server that is not a JVM or that the
     * attach API cannot reach (another user, another JDK family). Takes a second or two and disturbs the server, so
     * it is called outside any measured window.
     */
    public OptionalLong jvmLiveHeapBytes() {
        if (!"java".equals(command())) {
            return OptionalLong.empty();
        }
        try {
            String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
            run(jcmd, Long.toString(pid), "GC.run");
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("used (\\d+)K")
                    .matcher(run(jcmd, Long.toString(pid), "GC.heap_info"));
            return m.find() ? OptionalLong.of(Long.parseLong(m.group(1)) * 1024) : OptionalLong.empty();
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out.strip());
        }
        return out;
    }

    /** Short command name ({@code /proc/<pid>/comm}), for the result line. */
    public String command() {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private OptionalLong statusField(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) {
                    String kb = line.substring(field.length()).trim().toLowerCase(Locale.ROOT).replace("kb", "").trim();
                    return OptionalLong.of(Long.parseLong(kb) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // process gone
        }
        return OptionalLong.empty();
    }

    /**
     * Samples RSS every {@code intervalMs} on a daemon thread and keeps the maximum; the run's peak RSS is what we
     * report, since {@code VmHWM} covers the process's whole life, including earlier runs against the same server.
     */
    public static final class RssSampler implements AutoCloseable {
        private final ServerProcess process;
        private final Thread thread;
        private volatile long peak = -1;
        private volatile boolean running = true;

        public RssSampler(ServerProcess process, long intervalMs) {
            this.process = process;
            this.thread = Thread.ofPlatform().daemon().name("rss-sampler").start(() -> {
                while (running) {
                    sample();
                    try {
                        Thread.sleep(intervalMs);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        private void sample() {
            process.rssBytes().ifPresent(rss -> {
                if (rss > peak) {
                    peak = rss;
                }
            });
        }

        /** Highest RSS seen so far in bytes, or -1 when the process could not be read. */
        public long peakBytes() {
            sample();
            return peak;
        }

        @Override
        public void close() {
            running = false;
            thread.interrupt();
        }
    }
}
