package io.sluice.core.pubsub;

import io.sluice.core.Message;

/**
 * Receives transient (not stored) publishes. Called synchronously on the publisher's thread, so it must only enqueue
 * (e.g. a Netty channel write, which is thread-safe) and never block; a slow receiver is the adapter's to cut off.
 */
@FunctionalInterface
public interface TransientListener {
    void onMessage(String subject, Message message);
}
