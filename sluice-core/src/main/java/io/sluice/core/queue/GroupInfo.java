package io.sluice.core.queue;

import java.util.Map;

/**
 * A delivery group's state.
 *
 * @param name              group name ("" for a queue's own group)
 * @param cursor            next offset never delivered to this group
 * @param pending           delivered and unacknowledged
 * @param ready             messages waiting (not yet delivered or returned for redelivery), up to the log end
 * @param consumers         consumer name → its pending count (includes known consumers with none pending)
 * @param consumerSeenAt    consumer name → last time it fetched or was delivered to (ms)
 * @param lastDeliveredOffset highest offset delivered, or -1
 * @param acked             acknowledgements so far (monotonic counter; since start-up)
 */
public record GroupInfo(String name, long cursor, long pending, long ready, Map<String, Long> consumers,
                        Map<String, Long> consumerSeenAt, long lastDeliveredOffset, long acked) {
}
