package io.sluice.bench.harness;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.bench.harness.workload.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One run as one JSON object on one line (JSON Lines), the input of bench/report.
 *
 * <p>Fields, in this order: {@code status} ("ok" or "FAILED"), {@code system}, {@code version}, {@code protocol},
 * {@code workload}, {@code durability} (a free label saying how durable the server's acknowledgement was),
 * {@code messages}, {@code size}, {@code destinations}, {@code subscribers}, {@code window}, {@code rate_target}
 * (0 = unpaced); then, only when the run verified: {@code send_msgs_per_s} (messages confirmed per second),
 * {@code recv_msgs_per_s} (deliveries per second over all subscribers), {@code mb_per_s} (delivered payload,
 * 10^6 bytes per second), {@code latency_us} (p50, p90, p99, p99.9, p99.99, max in µs; L1 only), workload extras
 * ({@code first_message_ms} for R1, {@code setup_seconds} and {@code idle} for M1); for a failed run
 * {@code problems} instead; then {@code server} (pid, command, peak_rss_bytes sampled during the run),
 * {@code duration_s} (wall time of the run), {@code timestamp} (ISO-8601 UTC) and {@code host}.
 */
public final class ResultLine {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Who was measured and how; everything of the line that does not come from the run itself. */
    public record Header(String system, String version, String protocol, String workload, String durability,
            int size, int destinations, int subscribers, int window, int rateTarget) {
    }

    private ResultLine() {
    }

    public static Map<String, Object> build(Header h, Outcome o, Map<String, Object> server, double durationSeconds,
            Instant timestamp, Map<String, Object> host) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", o.ok() ? "ok" : "FAILED");
        m.put("system", h.system());
        m.put("version", h.version());
        m.put("protocol", h.protocol());
        m.put("workload", h.workload());
        m.put("durability", h.durability());
        m.put("messages", o.messages());
        m.put("size", h.size());
        m.put("destinations", h.destinations());
        m.put("subscribers", h.subscribers());
        m.put("window", h.window());
        m.put("rate_target", h.rateTarget());
        if (o.ok()) {
            m.put("send_msgs_per_s", rate(o.messages(), o.sendSeconds()));
            double recv = rate(o.deliveries(), o.receiveSeconds());
            m.put("recv_msgs_per_s", recv);
            m.put("mb_per_s", Math.round(recv * h.size() / 1e6 * 100) / 100.0);
            if (o.latency() != null) {
                m.put("latency_us", o.latency().summaryMicros());
                m.put("latency_samples", o.latency().count());
            }
            m.putAll(o.extra());
        } else {
            m.put("problems", o.problems());
        }
        m.put("server", server);
        m.put("duration_s", Math.round(durationSeconds * 1000) / 1000.0);
        m.put("timestamp", timestamp.toString());
        m.put("host", host);
        return m;
    }

    static double rate(long count, double seconds) {
        return seconds <= 0 ? 0 : Math.round(count / seconds * 10) / 10.0;
    }

    public static String toJson(Map<String, Object> line) {
        try {
            return JSON.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Appends the line and a newline to {@code file}, creating it and its folder when missing. */
    public static void append(Path file, String json) throws IOException {
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        Files.writeString(file, json + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
