package io.sluice.core.queue;

/**
 * A delivered, unacknowledged message (Redis's pending entries list, JetStream's ack-pending).
 *
 * @param offset          message offset
 * @param consumer        who holds it
 * @param deliveryCount   deliveries so far
 * @param lastDeliveredAt time of the last delivery, ms since the epoch
 */
public record PendingEntry(long offset, String consumer, int deliveryCount, long lastDeliveredAt) {
}
