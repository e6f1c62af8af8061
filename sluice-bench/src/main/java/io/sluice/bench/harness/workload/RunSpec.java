package io.sluice.bench.harness.workload;

import java.time.Duration;

/**
 * Parameters of one workload run, already resolved from the command line.
 *
 * @param messages     messages the publisher sends (each subscriber must receive all of them)
 * @param size         body size in bytes, at least {@link io.sluice.bench.harness.Payload#HEADER_BYTES}
 * @param destinations queues / partitions / streams the messages are spread over, round robin
 * @param subscribers  independent subscribers, each receiving every message
 * @param ratePerSecond fixed publishing rate, or 0 for as fast as the confirm window allows
 * @param warmupMessages L1: messages at the start not recorded in the latency histogram (still verified); T1 and F1:
 *                     size of a separate warm-up pass on its own destinations before the measured one, 0 for none
 * @param stallTimeout how long the run may go without any progress before it is declared failed
 * @param idleSeconds  seconds over which idle CPU and RSS are sampled (M1), 0 to skip
 */
public record RunSpec(long messages, int size, int destinations, int subscribers, int ratePerSecond,
        long warmupMessages, Duration stallTimeout, int idleSeconds) {
}
