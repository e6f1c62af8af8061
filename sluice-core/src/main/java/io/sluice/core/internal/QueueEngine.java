package io.sluice.core.internal;

import io.sluice.core.queue.GroupService;
import io.sluice.core.queue.QueueService;

/**
 * The seam between the broker and the queue engine (io.sluice.core.queue.internal): the queue and group services
 * it built, and the replay of their state at start. {@link DefaultBroker} builds it with
 * {@code io.sluice.core.queue.internal.Queues#create}.
 */
public interface QueueEngine {

    QueueService queues();

    GroupService groups();

    /** Replays queue and group definitions and every group's state log. */
    void start();
}
