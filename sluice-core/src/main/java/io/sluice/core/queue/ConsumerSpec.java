package io.sluice.core.queue;

/**
 * A push consumer.
 *
 * @param name      consumer name, unique within the queue (AMQP consumer tag qualified by connection, Redis consumer)
 * @param ownerId   connection id (exclusive queues, cleanup when the connection closes)
 * @param prefetch  most unacknowledged deliveries at once; 0 = unlimited
 * @param autoAck   deliveries count as acknowledged when handed over (at-most-once)
 * @param exclusive no other consumer may subscribe while this one exists
 * @param priority  consumers with higher priority receive messages first while they have capacity
 * @param shared    a limit this consumer shares with others (AMQP's channel-wide basic.qos), or null
 */
public record ConsumerSpec(String name, String ownerId, int prefetch, boolean autoAck, boolean exclusive,
                           int priority, SharedPrefetch shared) {

    /** A consumer with only its own prefetch limit. */
    public ConsumerSpec(String name, String ownerId, int prefetch, boolean autoAck, boolean exclusive, int priority) {
        this(name, ownerId, prefetch, autoAck, exclusive, priority, null);
    }
}
