package io.sluice.core.queue.internal;

import io.sluice.core.Message;

/**
 * The engine's record of one message that is ready or pending in a delivery group. Mutable, owned by the group's
 * executor. {@code message} is kept while the message is pending or returned (so redelivery does not re-read the
 * log) and is null for never-delivered queue messages (read from the log at delivery) and after a restart.
 *
 * <p>Memory: about 90 bytes per ready queue message (the queue's ready index holds one slot per message), plus the
 * message itself while it is unacknowledged.
 */
final class Slot {
    final long offset;
    int size;
    long timestamp;
    long expiresAt = Long.MAX_VALUE;
    int priority;
    int count;
    String consumer;
    long lastDeliveredAt;
    long deadline = Long.MAX_VALUE;
    long notBefore;
    Message message;

    Slot(long offset) {
        this.offset = offset;
    }
}
