package io.sluice.protocol.nats.session;

import io.sluice.core.Broker;
import io.sluice.protocol.nats.codec.NatsClientOp;

/**
 * The JetStream API subset ({@code $JS.API.>}) and acknowledgements ({@code $JS.ACK.>}) over the core's streams and
 * delivery groups. Thread-safe. (Lands with the core's stream API.)
 */
public final class NatsJetStream implements AutoCloseable {

    private final Broker broker;
    private final NatsRouting routing;
    private final boolean enabled;

    NatsJetStream(Broker broker, NatsRouting routing, boolean enabled) {
        this.broker = broker;
        this.routing = routing;
        this.enabled = enabled;
    }

    void handle(NatsSession session, NatsClientOp.Pub p) {
        if (p.replyTo() != null && session.wantsNoResponders()) {
            session.deliverLocally(p.replyTo(), p.replyTo(), null,
                    io.sluice.protocol.nats.codec.NatsHeaders.status(503, null).encode(), new byte[0]);
        }
    }

    void connectionClosed(NatsSession session) {
    }

    @Override
    public void close() {
    }
}
