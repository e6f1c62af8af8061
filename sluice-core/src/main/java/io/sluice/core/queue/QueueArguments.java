package io.sluice.core.queue;

/**
 * Queue behaviour, protocol-neutral (AMQP maps its x-arguments here, an SQS-style API its attributes).
 *
 * @param messageTtlMs        messages older than this are expired (dead-lettered if a target is set); -1 = none
 * @param expiresMs           delete the queue after this long unused (no consumers, no get); -1 = never
 * @param maxLength           most ready messages kept; -1 = unlimited
 * @param maxLengthBytes      most ready message bytes kept; -1 = unlimited
 * @param overflow            what a full queue does
 * @param maxPriority         0 = no priorities; else messages with higher priority (capped here) are delivered first
 * @param deadLetterExchange  exchange dead letters are published to; null = dropped
 * @param deadLetterRoutingKey routing key for dead letters; null = the message's own
 * @param deliveryLimit       dead-letter a message after this many deliveries; -1 = unlimited
 * @param singleActiveConsumer only one consumer at a time receives messages
 * @param leaseMs             visibility timeout / ack wait: unacked deliveries older than this are redelivered; -1 =
 *                            never (held until the consumer acks, nacks or goes away, as AMQP)
 * @param streamBacked        x-queue-type=stream: the queue is a stream read from an offset, not consumed destructively
 */
public record QueueArguments(long messageTtlMs, long expiresMs, long maxLength, long maxLengthBytes,
                             Overflow overflow, int maxPriority, String deadLetterExchange,
                             String deadLetterRoutingKey, int deliveryLimit, boolean singleActiveConsumer,
                             long leaseMs, boolean streamBacked) {

    public static final QueueArguments DEFAULT = new QueueArguments(-1, -1, -1, -1, Overflow.DROP_HEAD, 0, null, null,
            -1, false, -1, false);

    public boolean hasDeadLetterTarget() {
        return deadLetterExchange != null;
    }
}
