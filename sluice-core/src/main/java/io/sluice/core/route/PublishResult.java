package io.sluice.core.route;

/**
 * The outcome of publishing through an exchange, complete once every destination stored the message.
 *
 * @param routedQueues number of queues (and stream-backed queues) that accepted the message
 * @param rejected     number of queues that refused it (full with reject-publish): a publisher confirm must nack
 */
public record PublishResult(int routedQueues, int rejected) {
    public boolean unroutable() {
        return routedQueues == 0 && rejected == 0;
    }
}
