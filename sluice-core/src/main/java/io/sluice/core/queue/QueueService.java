package io.sluice.core.queue;

import io.sluice.core.CallContext;
import io.sluice.core.Message;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Queues (AMQP classic queues, SQS-style queues): a log of its own plus one {@link DeliveryGroup}, with TTL, length
 * limits, priorities and dead-lettering. Definitions of durable queues live in the metadata log.
 */
public interface QueueService {

    /**
     * Declares a queue: creates it, or returns the existing one if the spec is equivalent; fails with
     * {@code QUEUE_EXISTS_DIFFERENT} if not, {@code RESOURCE_LOCKED} if it is exclusive to another owner. An empty
     * name gets a generated one ("amq.gen-..." style, see the returned info).
     */
    CompletableFuture<QueueInfo> declare(CallContext ctx, QueueSpec spec);

    Optional<QueueInfo> describe(CallContext ctx, String name);

    List<QueueInfo> list(CallContext ctx);

    /** Deletes a queue; completes with the number of ready messages it held. Consumers get onCancel. */
    CompletableFuture<Long> delete(CallContext ctx, String name, boolean ifUnused, boolean ifEmpty);

    /** Removes all ready messages; completes with how many. Unacked deliveries are kept. */
    CompletableFuture<Long> purge(CallContext ctx, String name);

    /**
     * Appends a message to a queue. Completes with true when stored (durably, for durable queues), false when the queue
     * refused it (full with reject-publish); fails with {@code QUEUE_NOT_FOUND}.
     */
    CompletableFuture<Boolean> enqueue(CallContext ctx, String name, Message message);

    /** The delivery group of a queue: subscribe, fetch, ack, nack. Fails with {@code QUEUE_NOT_FOUND}. */
    DeliveryGroup consumers(CallContext ctx, String name);

    /** A connection closed: delete its exclusive queues and end its consumers. */
    void ownerClosed(String ownerId);
}
