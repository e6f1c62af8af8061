package io.sluice.bench.harness.workload;

/**
 * The five workloads of the comparison; bench/WORKLOADS.md defines each one in full and must change with this enum.
 */
public enum Workload {
    /** Throughput: one producer, one consumer, one destination, durable acknowledged publishing, manual acks. */
    T1,
    /** Latency: T1's shape at a fixed rate; end-to-end latency measured from the schedule's intended send time. */
    L1,
    /** Fan-out: one producer, N subscribers (16 by default) each receiving every message. */
    F1,
    /** Many queues: 1,000 destinations, one producer and one consumer spread over them; then idle cost. */
    M1,
    /** Replay: publish N, then a new consumer on a new connection reads them all from the start. */
    R1
}
