package io.sluice.it.interop;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Runs a client that is not a Java library (kcat, redis-cli, the Node.js clients of {@code src/test/node}) as a
 * child process with a deadline, capturing its output.
 *
 * <p>Tool policy: a missing tool skips the test on a developer's machine, but fails it when the environment variable
 * {@code CI} is set, because CI installs every tool ({@code .ci/install-tools}) and a skipped interop test there would
 * hide a broken install. Stateless; each {@link #run} starts and reaps its own process.
 */
final class ExternalClient {

    /** The Node.js project with the pinned npm clients, relative to the sluice-it module (Maven's working dir). */
    static final Path NODE_DIR = Path.of("src", "test", "node").toAbsolutePath();

    private ExternalClient() {
    }

    /** The result of one run: exit code and the merged stdout/stderr lines. */
    record Result(int exitCode, List<String> lines) {
        String output() {
            return String.join("\n", lines);
        }

        /** Asserts a zero exit code, showing the output when it is not. */
        Result assertSuccess() {
            assertThat(exitCode).as("exit code; output:\n%s", output()).isZero();
            return this;
        }

        /** The lines starting with {@code prefix}, prefix removed: the scripts tag what the tests check. */
        List<String> tagged(String prefix) {
            return lines.stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).toList();
        }
    }

    /** Skips (no CI) or fails (CI) unless {@code command} is on the PATH. */
    static void requireCommand(String command) {
        boolean found = false;
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                found = true;
                break;
            }
        }
        require(found, command + " is not installed (run .ci/install-tools)");
    }

    /** Skips (no CI) or fails (CI) unless node and the npm package {@code pkg} are installed in {@link #NODE_DIR}. */
    static void requireNodePackage(String pkg) {
        requireCommand("node");
        require(Files.isDirectory(NODE_DIR.resolve("node_modules").resolve(pkg)),
                "npm package " + pkg + " is not installed in " + NODE_DIR + " (run .ci/install-tools)");
    }

    private static void require(boolean present, String message) {
        if (present) {
            return;
        }
        if (System.getenv("CI") != null) {
            fail(message + "; CI must install it");
        }
        Assumptions.abort(message);
    }

    /** Runs a script of {@link #NODE_DIR} with node. */
    static Result node(Duration timeout, String script, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("node");
        cmd.add(NODE_DIR.resolve(script).toString());
        cmd.addAll(List.of(args));
        return run(timeout, null, cmd);
    }

    /**
     * Runs {@code command}, writes {@code stdin} (if not null) and closes it, and waits at most {@code timeout}; a
     * process still running then is killed and the test fails with what it printed.
     */
    static Result run(Duration timeout, byte[] stdin, List<String> command) throws Exception {
        Path out = Files.createTempFile("sluice-interop", ".out");
        try {
            Process p = new ProcessBuilder(command).directory(NODE_DIR.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            try (var in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin);
                }
            } catch (IOException e) {
                // the process exited early; its output says why
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail("%s did not finish within %s; output:\n%s", command, timeout,
                        Files.readString(out, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
