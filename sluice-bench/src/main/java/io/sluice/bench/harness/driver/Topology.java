package io.sluice.bench.harness.driver;

/**
 * What a workload needs created on the server before it runs.
 *
 * @param runId       unique per run, part of every name so runs never see each other's leftovers
 * @param destinations number of queues / partitions / streams the publisher spreads messages over
 * @param subscribers  number of independent subscribers that must each receive every message
 */
public record Topology(String runId, int destinations, int subscribers) {
    public Topology {
        if (destinations < 1 || subscribers < 0) {
            throw new IllegalArgumentException("destinations >= 1 and subscribers >= 0 required");
        }
    }

    /** True when several subscribers each get every message (F1), which some protocols model with an exchange. */
    public boolean fanOut() {
        return subscribers > 1;
    }
}
