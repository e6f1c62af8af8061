package io.sluice.protocol.nats.session;

import io.sluice.core.Broker;
import io.sluice.protocol.nats.codec.NatsClientOp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Core NATS publish/subscribe for one listener's connections. Thread-safe.
 *
 * <p>TEMPORARY: an in-module subscription list until the core's transient pub/sub lands; then this class becomes a
 * thin adapter onto it.
 */
final class NatsRouting {

    /** Outcome of a publish: transient receivers reached, and the stream append when a stream captured the subject. */
    record PublishResult(int receivers, byte[] streamAck) {
    }

    private record Entry(NatsSession session, NatsSubscription sub) {
    }

    private final Broker broker;
    private final CopyOnWriteArrayList<Entry> entries = new CopyOnWriteArrayList<>();

    NatsRouting(Broker broker) {
        this.broker = broker;
    }

    AutoCloseable subscribe(NatsSession session, NatsSubscription sub) {
        Entry e = new Entry(session, sub);
        entries.add(e);
        return () -> entries.remove(e);
    }

    CompletionStage<PublishResult> publish(NatsSession from, NatsClientOp.Pub p) {
        return CompletableFuture.completedFuture(new PublishResult(route(from, p.subject(), p.replyTo(), p.headers(), p.payload()), null));
    }

    /** Publishes a server-generated reply. */
    void reply(String subject, byte[] payload) {
        route(null, subject, null, null, payload);
    }

    private int route(NatsSession from, String subject, String reply, byte[] headers, byte[] payload) {
        int n = 0;
        Map<String, List<Entry>> groups = new HashMap<>();
        for (Entry e : entries) {
            if (!NatsSubjectMatch.matches(e.sub.subject, subject)) {
                continue;
            }
            if (e.sub.queue != null) {
                groups.computeIfAbsent(e.sub.queue, k -> new ArrayList<>()).add(e);
                continue;
            }
            if (e.session == from && !from.echo()) {
                continue;
            }
            e.session.deliver(e.sub, subject, reply, headers, payload);
            n++;
        }
        for (List<Entry> members : groups.values()) {
            Entry e = members.get(ThreadLocalRandom.current().nextInt(members.size()));
            e.session.deliver(e.sub, subject, reply, headers, payload);
            n++;
        }
        return n;
    }
}
