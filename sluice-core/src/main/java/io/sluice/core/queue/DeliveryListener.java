package io.sluice.core.queue;

/**
 * Receives pushed deliveries of one consumer. Called on a core thread, one call at a time per consumer: hand off to
 * the connection's event loop and return; never block.
 */
public interface DeliveryListener {

    void onDelivery(Delivery delivery);

    /** The broker ended the subscription (queue deleted); no further deliveries follow. */
    default void onCancel(String reason) {
    }
}
