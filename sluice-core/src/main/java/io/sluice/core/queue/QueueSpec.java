package io.sluice.core.queue;

/**
 * A queue to declare.
 *
 * @param name           queue name in the caller's scope ("" asks the broker to generate one, as AMQP)
 * @param durable        survives a broker restart (definition and messages)
 * @param exclusiveOwner id of the connection that owns an exclusive queue (deleted when it closes), or null
 * @param autoDelete     deleted when its last consumer goes away (after it had at least one)
 * @param arguments      behaviour
 */
public record QueueSpec(String name, boolean durable, String exclusiveOwner, boolean autoDelete,
                        QueueArguments arguments) {
    public static QueueSpec durable(String name) {
        return new QueueSpec(name, true, null, false, QueueArguments.DEFAULT);
    }
}
