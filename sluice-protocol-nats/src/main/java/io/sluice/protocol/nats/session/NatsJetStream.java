package io.sluice.protocol.nats.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.core.Broker;
import io.sluice.core.CallContext;
import io.sluice.core.Message;
import io.sluice.core.stream.StreamInfo;
import io.sluice.protocol.nats.codec.NatsClientOp;
import io.sluice.protocol.nats.codec.NatsHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The JetStream API subset served on {@code $JS.API.>} and the acknowledgements on {@code $JS.ACK.>}: routes each
 * request to {@link NatsJsStreams} or {@link NatsJsConsumers} and publishes the JSON response to the request's reply
 * subject. Thread-safe.
 *
 * <p>Served: {@code INFO}; {@code STREAM.CREATE|UPDATE|INFO|DELETE|PURGE.<stream>}, {@code STREAM.LIST|NAMES},
 * {@code STREAM.MSG.GET.<stream>}, {@code DIRECT.GET.<stream>[.<subject>]} (streams with {@code allow_direct});
 * {@code CONSUMER.CREATE.<stream>[.<name>[.<filter>]]}, {@code CONSUMER.DURABLE.CREATE.<stream>.<name>},
 * {@code CONSUMER.INFO|DELETE.<stream>.<name>}, {@code CONSUMER.LIST|NAMES.<stream>},
 * {@code CONSUMER.MSG.NEXT.<stream>.<name>}. Any other API subject gets the no-responders status, as it would from a
 * server without that API.
 */
public final class NatsJetStream implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NatsJetStream.class);

    private final Broker broker;
    private final boolean enabled;
    private final NatsJsStreams streams;
    private final NatsJsConsumers consumers;
    private final AtomicLong apiTotal = new AtomicLong();
    private final AtomicLong apiErrors = new AtomicLong();

    NatsJetStream(Broker broker, boolean enabled) {
        this.broker = broker;
        this.enabled = enabled;
        this.streams = new NatsJsStreams(broker);
        this.consumers = new NatsJsConsumers(broker);
    }

    boolean enabled() {
        return enabled;
    }

    CompletableFuture<byte[]> capture(CallContext ctx, StreamInfo stream, Message message) {
        return streams.capture(ctx, stream, message);
    }

    /** Appends {@code messages} to {@code stream} as one batch; completes {@code acks[i]} with message i's PubAck. */
    void captureAll(CallContext ctx, StreamInfo stream, List<Message> messages, List<CompletableFuture<byte[]>> acks) {
        streams.captureAll(ctx, stream, messages, acks);
    }

    /** Whether a publish to {@code subject} is handled here rather than routed. */
    boolean handles(String subject) {
        return enabled && subject.startsWith("$JS.") && (subject.startsWith(NatsServerContext.JS_API_PREFIX)
                || subject.startsWith(NatsAckSubject.PREFIX) || subject.startsWith(NatsJsPushConsumer.FC_PREFIX));
    }

    void handle(NatsSession session, NatsClientOp.Pub p) {
        if (p.subject().startsWith(NatsAckSubject.PREFIX)) {
            NatsAckSubject ack = NatsAckSubject.parse(p.subject());
            if (ack != null) {
                consumers.ack(session, ack, p.replyTo(), p.payload());
            }
            return;
        }
        // whatever follows sees this connection's earlier acks and publishes applied
        session.acks.flush();
        session.publishes.flush();
        if (p.subject().startsWith(NatsJsPushConsumer.FC_PREFIX)) {
            consumers.flowControlReply(p.subject());
            return;
        }
        apiTotal.incrementAndGet();
        String[] t = p.subject().substring(NatsServerContext.JS_API_PREFIX.length()).split("\\.", -1);
        CallContext ctx = session.callContext();
        CompletableFuture<ObjectNode> response;
        try {
            response = dispatch(session, ctx, t, p);
        } catch (RuntimeException e) {
            LOG.debug("JetStream API {} failed", p.subject(), e);
            response = CompletableFuture.completedFuture(NatsJsJson.error("error_response", NatsJsError.BAD_REQUEST, e.getMessage()));
        }
        if (response == null) {
            if (p.replyTo() != null && session.wantsNoResponders()) {
                byte[] block = NatsHeaders.status(503, null).encode();
                session.deliverLocally(p.replyTo(), p.replyTo(), null, block, new byte[0]);
            }
            return;
        }
        if (p.replyTo() == null) {
            return;
        }
        String reply = p.replyTo();
        response.whenComplete((json, error) -> {
            if (json == null && error == null) {
                return; // a pull request: answered by deliveries
            }
            ObjectNode out = error != null ? NatsJsJson.error("error_response", NatsJsError.BAD_REQUEST, error.getMessage()) : json;
            if (out.has("error")) {
                apiErrors.incrementAndGet();
            }
            broker.pubsub().publish(ctx, reply, Message.of(reply, NatsJsJson.bytes(out)));
        });
    }

    /** Returns the response, or null for a subject that is not part of the served API (and pull requests). */
    private CompletableFuture<ObjectNode> dispatch(NatsSession session, CallContext ctx, String[] t, NatsClientOp.Pub p) {
        byte[] body = p.payload();
        if (t.length == 1 && t[0].equals("INFO")) {
            return NatsJsStreams.done(accountInfo(ctx));
        }
        if (t.length >= 2 && t[0].equals("STREAM")) {
            if (t.length == 2) {
                return switch (t[1]) {
                    case "NAMES" -> streams.list(ctx, body, true);
                    case "LIST" -> streams.list(ctx, body, false);
                    default -> null;
                };
            }
            if (t.length == 3) {
                String name = t[2];
                return switch (t[1]) {
                    case "CREATE" -> streams.create(ctx, name, body);
                    case "UPDATE" -> streams.update(ctx, name, body);
                    case "INFO" -> streams.info(ctx, name);
                    case "DELETE" -> streams.delete(ctx, name, s -> consumers.dropAll(ctx, s));
                    case "PURGE" -> streams.purge(ctx, name);
                    default -> null;
                };
            }
            if (t.length == 4 && t[1].equals("MSG") && t[2].equals("GET")) {
                return streams.msgGet(ctx, t[3], body);
            }
            return null;
        }
        if (t.length >= 3 && t[0].equals("DIRECT") && t[1].equals("GET")) {
            String last = t.length > 3 ? String.join(".", java.util.Arrays.asList(t).subList(3, t.length)) : null;
            Message reply = streams.directGet(ctx, t[2], last, body);
            if (reply == null) {
                return null; // not enabled for this stream: as if nobody listened
            }
            if (p.replyTo() != null) {
                broker.pubsub().publish(ctx, p.replyTo(), new Message(p.replyTo(), null, reply.value(),
                        reply.headers(), 0, -1, -1));
            }
            return NatsJsStreams.done(null);
        }
        if (t.length >= 3 && t[0].equals("CONSUMER")) {
            String op = t[1];
            if (op.equals("CREATE")) {
                return consumers.create(session, t[2], t.length >= 4 ? t[3] : null, body);
            }
            if (op.equals("DURABLE") && t.length == 5 && t[2].equals("CREATE")) {
                return consumers.create(session, t[3], t[4], body);
            }
            if (op.equals("MSG") && t.length == 5 && t[2].equals("NEXT")) {
                consumers.next(session, t[3], t[4], p.replyTo(), body);
                return NatsJsStreams.done(null);
            }
            if (t.length == 3) {
                return switch (op) {
                    case "NAMES" -> consumers.list(ctx, t[2], body, true);
                    case "LIST" -> consumers.list(ctx, t[2], body, false);
                    default -> null;
                };
            }
            if (t.length == 4) {
                return switch (op) {
                    case "INFO" -> consumers.info(ctx, t[2], t[3]);
                    case "DELETE" -> consumers.delete(ctx, t[2], t[3]);
                    default -> null;
                };
            }
        }
        return null;
    }

    private ObjectNode accountInfo(CallContext ctx) {
        ObjectNode n = NatsJsJson.response("account_info_response");
        n.put("memory", 0);
        n.put("storage", 0);
        n.put("streams", streams.count(ctx));
        n.put("consumers", consumers.count(ctx));
        ObjectNode limits = n.putObject("limits");
        limits.put("max_memory", -1);
        limits.put("max_storage", -1);
        limits.put("max_streams", -1);
        limits.put("max_consumers", -1);
        limits.put("max_ack_pending", -1);
        limits.put("memory_max_stream_bytes", -1);
        limits.put("storage_max_stream_bytes", -1);
        limits.put("max_bytes_required", false);
        ObjectNode api = n.putObject("api");
        api.put("total", apiTotal.get());
        api.put("errors", apiErrors.get());
        return n;
    }

    void connectionClosed(NatsSession session) {
        consumers.connectionClosed(session);
    }

    @Override
    public void close() {
        consumers.close();
    }
}
