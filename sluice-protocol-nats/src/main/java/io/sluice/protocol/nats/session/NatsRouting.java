package io.sluice.protocol.nats.session;

import io.sluice.core.Broker;
import io.sluice.core.CallContext;
import io.sluice.core.Message;
import io.sluice.core.pubsub.PatternSyntax;
import io.sluice.core.stream.StreamInfo;
import io.sluice.protocol.nats.codec.NatsClientOp;
import io.sluice.storage.record.Header;

import java.nio.charset.StandardCharsets;
import java.util.List;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Core NATS publish/subscribe on the core's transient pub/sub, plus the JetStream capture: a publish whose subject a
 * stream captures is also appended to that stream. Thread-safe.
 *
 * <p>Echo suppression relies on the core calling transient listeners synchronously on the publisher's thread: the
 * publishing session is noted in a thread-local for the duration of {@code publish}, and each subscription of a
 * connection that set {@code echo:false} skips messages published by itself.
 */
final class NatsRouting {

    /**
     * Outcome of a publish.
     *
     * @param receivers transient subscribers reached (0 means no responders)
     * @param streamAck the PubAck JSON when a stream captured the subject, else {@code null}
     */
    record PublishResult(int receivers, byte[] streamAck) {
    }

    private static final ThreadLocal<NatsSession> PUBLISHER = new ThreadLocal<>();

    private final Broker broker;
    private final NatsJetStream jetStream;

    NatsRouting(Broker broker, NatsJetStream jetStream) {
        this.broker = broker;
        this.jetStream = jetStream;
    }

    AutoCloseable subscribe(NatsSession session, NatsSubscription sub) {
        return broker.pubsub().subscribe(session.callContext(), sub.subject, PatternSyntax.NATS, sub.queue,
                (subject, message) -> {
                    if (PUBLISHER.get() == session && !session.echo()) {
                        return;
                    }
                    // A push consumer routes on its deliver subject but shows the stored message's subject.
                    String shown = message.subject() != null ? message.subject() : subject;
                    session.deliver(sub, shown, replyOf(message), NatsMessages.toNats(message.headers()),
                            NatsMessages.payload(message));
                });
    }

    /**
     * The reply subject travels in the message key: the core message has no reply field, and the key is otherwise
     * unused by NATS publishes.
     */
    private static String replyOf(Message m) {
        return m.key() == null ? null : new String(m.key(), StandardCharsets.UTF_8);
    }

    CompletionStage<PublishResult> publish(NatsSession from, NatsClientOp.Pub p) {
        CallContext ctx = from.callContext();
        List<Header> headers = NatsMessages.toCore(p.headers());
        Message message = new Message(p.subject(),
                p.replyTo() == null ? null : p.replyTo().getBytes(StandardCharsets.UTF_8),
                p.payload(), headers, 0, -1, -1);
        int receivers;
        PUBLISHER.set(from);
        try {
            receivers = broker.pubsub().publish(ctx, p.subject(), message);
        } finally {
            PUBLISHER.set(null); // not remove(): that would allocate a new map entry on every publish
        }
        Optional<StreamInfo> stream = jetStream.enabled() ? broker.streams().streamForSubject(ctx, p.subject())
                : Optional.empty();
        if (stream.isEmpty()) {
            return CompletableFuture.completedFuture(new PublishResult(receivers, null));
        }
        // Stored without the reply subject: it is the publisher's inbox, meaningless to later readers.
        Message stored = new Message(p.subject(), null, p.payload(), headers, 0, -1, -1);
        CompletableFuture<byte[]> ack;
        if (NatsJsStreams.batchable(stream.get(), stored)) {
            ack = from.publishes.add(ctx, stream.get(), stored);
        } else {
            from.publishes.flush(); // keeps this publish behind the held ones
            ack = jetStream.capture(ctx, stream.get(), stored);
        }
        return ack.thenApply(a -> new PublishResult(receivers, a));
    }

    /** Publishes a server-generated reply (API responses) to whoever subscribed to {@code subject}. */
    void reply(CallContext ctx, String subject, byte[] payload) {
        broker.pubsub().publish(ctx, subject, Message.of(subject, payload));
    }
}
