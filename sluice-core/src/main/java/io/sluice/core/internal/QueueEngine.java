package io.sluice.core.internal;

import io.sluice.core.queue.GroupService;
import io.sluice.core.queue.QueueService;
import java.util.function.Supplier;

/**
 * The seam between the broker and the queue engine (io.sluice.core.queue.internal): builds the queue and group
 * services and replays their state at start.
 */
public interface QueueEngine {

    QueueService queues();

    GroupService groups();

    /** Replays queue and group definitions and every group's state log. */
    void start();

    static QueueEngine create(CoreRuntime runtime, StreamServiceImpl streams, Supplier<ExchangeServiceImpl> exchanges,
                              MetadataLog metadata) {
        return io.sluice.core.queue.internal.Queues.create(runtime, streams, exchanges, metadata);
    }
}
