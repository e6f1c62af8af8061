package io.sluice.core.queue;

import io.sluice.core.Message;

/**
 * A message handed to a consumer. {@code offset} identifies it within its queue or group: acks, nacks and claims
 * name deliveries by it (adapters map their own tags, ids or sequence numbers onto it).
 *
 * @param queue         queue name, or stream name for groups on streams
 * @param offset        the message's offset in the queue's (or stream's) log
 * @param message       the message
 * @param deliveryCount how many times it has been delivered, this one included
 * @param consumer      the consumer it is delivered to
 */
public record Delivery(String queue, long offset, Message message, int deliveryCount, String consumer) {
    /** True if the message was delivered before (AMQP's redelivered flag). */
    public boolean redelivered() {
        return deliveryCount > 1;
    }
}
