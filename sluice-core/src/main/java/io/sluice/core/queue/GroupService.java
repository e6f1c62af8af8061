package io.sluice.core.queue;

import io.sluice.core.CallContext;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Delivery groups on streams (Redis consumer groups, JetStream durable consumers, Kafka share groups): queue
 * semantics over a stream without consuming it for anyone else. Group definitions are durable.
 *
 * <p>A group reads one partition of a stream (Redis streams and JetStream streams have one).
 */
public interface GroupService {

    /**
     * Creates a group reading {@code stream} partition {@code partition} from {@code startOffset} (use the partition's
     * log end offset for "new messages only").
     *
     * @param settings lease (ack wait), delivery limit and dead-letter target; other fields are ignored
     * @return false if the group already exists (nothing changed)
     */
    CompletableFuture<Boolean> create(CallContext ctx, String stream, int partition, String group, long startOffset,
                                      QueueArguments settings);

    CompletableFuture<Boolean> delete(CallContext ctx, String stream, String group);

    Optional<DeliveryGroup> get(CallContext ctx, String stream, String group);

    List<DeliveryGroup> list(CallContext ctx, String stream);
}
