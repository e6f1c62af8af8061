package io.sluice.core.queue;

import io.sluice.core.Scope;

/**
 * A queue and its current figures.
 *
 * @param messages      ready messages (not delivered, or returned for redelivery)
 * @param unacked       delivered and not yet acknowledged
 * @param consumers     subscribed consumers
 * @param bytes         bytes of ready messages
 * @param oldestReadyTimestamp timestamp of the oldest ready message, or -1
 */
public record QueueInfo(Scope scope, String name, QueueSpec spec, long messages, long unacked, int consumers,
                        long bytes, long oldestReadyTimestamp) {
}
