package io.sluice.core.queue;

/** A live push consumer. Thread-safe. */
public interface Subscription extends AutoCloseable {

    String consumer();

    /** Changes the prefetch limit (AMQP basic.qos after consume). */
    void setPrefetch(int prefetch);

    /** Stops deliveries to this consumer; its unacked deliveries return to the queue for redelivery. */
    @Override
    void close();
}
