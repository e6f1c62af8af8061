package io.sluice.protocol.nats.session;

import io.sluice.core.queue.DeliveryGroup;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The plain acknowledgements ({@code +ACK} without a reply subject) one connection read in one burst, handed to the
 * core as one {@link DeliveryGroup#ack} per consumer when the burst ends. Event loop only.
 *
 * <p>Why: a client acknowledges every message with its own publish, and each core ack is a turn of the group's
 * executor that also writes the group's state journal. A read burst typically carries a few hundred acks; applied
 * one by one they cost a turn and a journal append each, applied together one. Nothing waits for a plain ack (the
 * client asked for no reply), so holding it until the end of the burst only changes when the core sees it, not what
 * the client observes. Any other JetStream operation from the same connection first {@link #flush flushes} the
 * batch, so a later {@code -NAK}, {@code +TERM}, pull request or API call sees every earlier ack applied in order.
 */
final class NatsJsAckBatch {

    private final Map<DeliveryGroup, List<Long>> pending = new IdentityHashMap<>();

    void add(DeliveryGroup group, long offset) {
        pending.computeIfAbsent(group, g -> new ArrayList<>()).add(offset);
    }

    /** Hands every held ack to the core. */
    void flush() {
        if (pending.isEmpty()) {
            return;
        }
        for (Map.Entry<DeliveryGroup, List<Long>> e : pending.entrySet()) {
            e.getKey().ack(e.getValue());
        }
        pending.clear();
    }
}
