package io.sluice.bench.harness.workload;

import io.sluice.bench.harness.LatencyStats;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a workload run measured, before it is turned into a result line. {@link #problems} lists every verification
 * failure (lost, duplicated, reordered, unconfirmed); a run with problems has no trustworthy figure.
 *
 * @param sendSeconds    from the first send to the last publish confirm
 * @param receiveSeconds from the first send (or, for R1, from the consumer's start) to the last delivery
 * @param deliveries     deliveries counted over all subscribers
 * @param latency        end-to-end latency, or null when the workload does not measure it
 * @param extra          workload-specific figures (idle cost, time to first message), already named for JSON
 */
public record Outcome(long messages, double sendSeconds, double receiveSeconds, long deliveries, LatencyStats latency,
        List<String> problems, Map<String, Object> extra) {

    public static Outcome failed(long messages, List<String> problems) {
        return new Outcome(messages, 0, 0, 0, null, problems, new LinkedHashMap<>());
    }

    public boolean ok() {
        return problems.isEmpty();
    }
}
