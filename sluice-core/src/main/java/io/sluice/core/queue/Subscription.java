package io.sluice.core.queue;

/** A live push consumer. Thread-safe. */
public interface Subscription extends AutoCloseable {

    String consumer();

    /** Changes the prefetch limit (AMQP basic.qos after consume). */
    void setPrefetch(int prefetch);

    /** Stops deliveries to this consumer; its unacked deliveries return to the queue for redelivery. */
    @Override
    void close();

    /**
     * Stops deliveries to this consumer but leaves its unacked deliveries with it, to be acked or nacked by offset
     * later (AMQP lets a client acknowledge after basic.cancel). The caller owns them from now on: the group does not
     * return them when the consumer's connection closes. A delivery already on its way may still arrive.
     */
    void detach();
}
