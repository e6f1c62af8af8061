package io.sluice.protocol.amqp.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import io.sluice.core.Broker;
import io.sluice.core.CallContext;
import io.sluice.core.ErrorCode;
import io.sluice.core.Message;
import io.sluice.core.SluiceException;
import io.sluice.core.queue.ConsumerSpec;
import io.sluice.core.queue.Delivery;
import io.sluice.core.queue.DeliveryGroup;
import io.sluice.core.queue.DeliveryListener;
import io.sluice.core.queue.QueueArguments;
import io.sluice.core.queue.QueueInfo;
import io.sluice.core.queue.QueueSpec;
import io.sluice.core.queue.Subscription;
import io.sluice.core.route.Binding;
import io.sluice.core.route.ExchangeSpec;
import io.sluice.core.route.ExchangeType;
import io.sluice.protocol.amqp.codec.AmqpAccess;
import io.sluice.protocol.amqp.codec.AmqpBasic;
import io.sluice.protocol.amqp.codec.AmqpBasicProperties;
import io.sluice.protocol.amqp.codec.AmqpChannel;
import io.sluice.protocol.amqp.codec.AmqpCommand;
import io.sluice.protocol.amqp.codec.AmqpConfirm;
import io.sluice.protocol.amqp.codec.AmqpExchange;
import io.sluice.protocol.amqp.codec.AmqpFrame;
import io.sluice.protocol.amqp.codec.AmqpMethod;
import io.sluice.protocol.amqp.codec.AmqpProtocolException;
import io.sluice.protocol.amqp.codec.AmqpQueue;
import io.sluice.protocol.amqp.codec.AmqpReplyCode;
import io.sluice.protocol.amqp.codec.AmqpTable;
import io.sluice.protocol.amqp.codec.AmqpTx;
import io.sluice.protocol.amqp.codec.AmqpValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * One AMQP channel: assembles content (method, header, bodies) into publishes, runs the channel's methods against
 * the core in order, and owns the channel's consumers, delivery tags, confirms and transaction.
 *
 * <p>Ordering: methods are queued and started in arrival order. Publishes and acknowledgements are pipelined (several
 * may be in flight at once, so a publisher is not limited by the store's latency); every other method waits until
 * everything before it finished, so a {@code basic.get} after a publish sees the message and replies keep the order
 * the client expects. Each step's reply is written on the event loop when its core future completes.
 *
 * <p>Threading: confined to the connection's event loop, like {@link AmqpConnectionSession}.
 */
final class AmqpChannelSession {

    private static final Logger log = LoggerFactory.getLogger(AmqpChannelSession.class);
    /**
     * Header holding the exchange a message was published to, for basic.deliver and basic.get-ok; the core's
     * dead-lettering reads the same header for x-death.
     */
    static final String EXCHANGE_HEADER = "sluice.exchange";

    private enum State { OPEN, CLOSING, CLOSED }

    /** A queued method: its core work, and the reply to write once that work completed. */
    private record Step(boolean pipelined, AmqpMethod method, Supplier<CompletableFuture<Runnable>> action) {
    }

    /** A delivered, unacknowledged message. */
    private record Unacked(String queue, DeliveryGroup group, long offset, String consumerTag) {
    }

    private final int number;
    private final AmqpConnectionSession conn;
    private final Broker broker;
    private final CallContext ctx;

    private State state = State.OPEN;
    private final ArrayDeque<Step> steps = new ArrayDeque<>();
    private int inFlight;
    private boolean barrierRunning;

    private AmqpBasic.Publish contentMethod;
    private AmqpBasicProperties contentProperties;
    private long contentSize;
    private CompositeByteBuf contentBody;

    private boolean confirmMode;
    private long publishSeq;
    private boolean txMode;
    private List<Supplier<CompletableFuture<Runnable>>> txOps = new ArrayList<>();

    private long nextDeliveryTag = 1;
    private final TreeMap<Long, Unacked> unacked = new TreeMap<>();
    private final Map<String, AmqpConsumer> consumers = new LinkedHashMap<>();
    private int prefetchPerConsumer;
    private int prefetchPerChannel;
    private String lastQueue;

    AmqpChannelSession(int number, AmqpConnectionSession conn) {
        this.number = number;
        this.conn = conn;
        this.broker = conn.broker();
        this.ctx = conn.callContext();
    }

    /** A push consumer on a queue, or on a stream queue read from an offset. */
    private final class AmqpConsumer implements DeliveryListener {
        final String tag;
        final String queue;
        final boolean noAck;
        DeliveryGroup group;
        Subscription subscription;
        AmqpStreamConsumer stream;
        boolean cancelled;

        AmqpConsumer(String tag, String queue, boolean noAck) {
            this.tag = tag;
            this.queue = queue;
            this.noAck = noAck;
        }

        @Override
        public void onDelivery(Delivery delivery) {
            conn.eventLoop().execute(() -> deliver(this, delivery));
        }

        @Override
        public void onCancel(String reason) {
            conn.eventLoop().execute(() -> serverCancelled(this));
        }

        void close() {
            cancelled = true;
            if (subscription != null) {
                subscription.close();
            }
            if (stream != null) {
                stream.close();
            }
        }
    }

    // ---- frames

    void onFrame(AmqpFrame frame) {
        if (state != State.OPEN) {
            onFrameWhileClosing(frame);
            return;
        }
        switch (frame) {
            case AmqpFrame.Method m -> {
                if (contentMethod != null) {
                    throw new AmqpProtocolException(AmqpReplyCode.UNEXPECTED_FRAME, "expected content header for "
                            + "basic.publish, got " + m.method().name(), m.method().classId(), m.method().methodId());
                }
                try {
                    onMethod(m.method());
                } catch (AmqpProtocolException e) {
                    AmqpProtocolException withIds = e.classId() != 0 ? e : new AmqpProtocolException(e.replyCode(),
                            e.getMessage(), m.method().classId(), m.method().methodId());
                    if (withIds.replyCode().isHard()) {
                        throw withIds;
                    }
                    channelError(withIds);
                }
            }
            case AmqpFrame.Header h -> {
                if (contentMethod == null || contentProperties != null) {
                    throw new AmqpProtocolException(AmqpReplyCode.UNEXPECTED_FRAME,
                            "content header on channel " + number + " without a content method");
                }
                if (h.bodySize() > conn.config().maxMessageBytes()) {
                    AmqpBasic.Publish p = contentMethod;
                    contentMethod = null;
                    channelError(AmqpErrors.error(AmqpReplyCode.PRECONDITION_FAILED, "message size "
                            + h.bodySize() + " is larger than configured max size "
                            + conn.config().maxMessageBytes(), p));
                    return;
                }
                contentProperties = h.properties();
                contentSize = h.bodySize();
                if (contentSize == 0) {
                    publishAssembled(Unpooled.EMPTY_BUFFER);
                } else {
                    contentBody = Unpooled.compositeBuffer(64);
                }
            }
            case AmqpFrame.Body b -> {
                if (contentBody == null) {
                    throw new AmqpProtocolException(AmqpReplyCode.UNEXPECTED_FRAME,
                            "content body on channel " + number + " without a content header");
                }
                ByteBuf payload = b.content();
                if (contentBody.readableBytes() + (long) payload.readableBytes() > contentSize) {
                    throw new AmqpProtocolException(AmqpReplyCode.FRAME_ERROR,
                            "content body larger than the " + contentSize + " bytes its header announced");
                }
                contentBody.addComponent(true, payload);
                if (contentBody.readableBytes() == contentSize) {
                    ByteBuf body = contentBody;
                    contentBody = null;
                    publishAssembled(body);
                }
            }
            default -> throw new AmqpProtocolException(AmqpReplyCode.UNEXPECTED_FRAME, "unexpected frame " + frame);
        }
    }

    private void onFrameWhileClosing(AmqpFrame frame) {
        ReferenceCountUtil.release(frame);
        if (frame instanceof AmqpFrame.Method m) {
            if (m.method() instanceof AmqpChannel.CloseOk) {
                state = State.CLOSED;
                conn.channelClosed(number);
            } else if (m.method() instanceof AmqpChannel.Close) {
                state = State.CLOSED;
                conn.sendMethod(number, new AmqpChannel.CloseOk());
                conn.channelClosed(number);
            }
        }
    }

    private void publishAssembled(ByteBuf body) {
        AmqpBasic.Publish p = contentMethod;
        AmqpBasicProperties props = contentProperties;
        contentMethod = null;
        contentProperties = null;
        byte[] bytes = ByteBufUtil.getBytes(body);
        body.release();
        conn.onPublish();
        long seq = confirmMode ? ++publishSeq : 0;
        Supplier<CompletableFuture<Runnable>> action = () -> publish(p, props, bytes, seq);
        if (txMode) {
            txOps.add(action);
        } else {
            enqueue(true, p, action);
        }
    }

    // ---- the ordered step pipeline

    private void enqueue(boolean pipelined, AmqpMethod method, Supplier<CompletableFuture<Runnable>> action) {
        steps.add(new Step(pipelined, method, action));
        pump();
    }

    private void reply(AmqpMethod method, Runnable reply) {
        enqueue(false, method, () -> CompletableFuture.completedFuture(reply));
    }

    private void pump() {
        while (state == State.OPEN && !steps.isEmpty() && !barrierRunning) {
            Step s = steps.peek();
            if (!s.pipelined() && inFlight > 0) {
                return;
            }
            steps.poll();
            CompletableFuture<Runnable> f;
            try {
                f = s.action().get();
            } catch (RuntimeException e) {
                fail(e, s.method());
                return;
            }
            if (f.isDone()) {
                if (!finish(s, f.handle((r, e) -> e == null ? r : failing(e)).join())) {
                    return;
                }
                continue;
            }
            if (s.pipelined()) {
                inFlight++;
            } else {
                barrierRunning = true;
            }
            f.whenComplete((r, e) -> conn.eventLoop().execute(() -> {
                if (s.pipelined()) {
                    inFlight--;
                } else {
                    barrierRunning = false;
                }
                if (state != State.OPEN) {
                    return;
                }
                if (finish(s, e == null ? r : failing(e))) {
                    pump();
                }
            }));
        }
    }

    private static Runnable failing(Throwable e) {
        return () -> {
            throw e instanceof RuntimeException re ? re : new java.util.concurrent.CompletionException(e);
        };
    }

    /** Runs a step's reply; false when it failed (the channel or connection is then closing). */
    private boolean finish(Step s, Runnable reply) {
        try {
            if (reply != null) {
                reply.run();
            }
            return state == State.OPEN;
        } catch (RuntimeException e) {
            fail(e, s.method());
            return false;
        }
    }

    private void fail(Throwable t, AmqpMethod method) {
        Throwable c = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
        AmqpProtocolException e;
        if (c instanceof AmqpProtocolException pe) {
            e = pe.classId() == 0 && method != null
                    ? new AmqpProtocolException(pe.replyCode(), pe.getMessage(), method.classId(), method.methodId())
                    : pe;
        } else {
            SluiceException s = SluiceException.from(c);
            if (s.code() == ErrorCode.INTERNAL) {
                log.warn("channel {}: internal error in {}", number, method == null ? "?" : method.name(), c);
            }
            e = AmqpErrors.from(s, method == null ? new AmqpChannel.Close(0, "", 0, 0) : method);
        }
        if (e.replyCode().isHard()) {
            conn.connectionError(e);
        } else {
            channelError(e);
        }
    }

    /** Closes this channel with a soft error, releasing its consumers and unacknowledged messages. */
    void channelError(AmqpProtocolException e) {
        if (state != State.OPEN) {
            return;
        }
        state = State.CLOSING;
        release();
        conn.sendMethod(number, new AmqpChannel.Close(e.replyCode().code(), e.replyText(), e.classId(), e.methodId()));
    }

    /** Ends consumers, returns unacknowledged messages to their queues and drops pending content. */
    void release() {
        steps.clear();
        txOps.clear();
        if (contentBody != null) {
            contentBody.release();
            contentBody = null;
        }
        contentMethod = null;
        contentProperties = null;
        for (AmqpConsumer c : consumers.values()) {
            c.close();
        }
        consumers.clear();
        // A closed subscription returns its own unacknowledged deliveries; only basic.get ones are left to return.
        requeueAll(unacked.values().stream().filter(u -> u.consumerTag() == null).toList());
        unacked.clear();
    }

    private void requeueAll(java.util.Collection<Unacked> entries) {
        Map<DeliveryGroup, List<Long>> byGroup = new HashMap<>();
        for (Unacked u : entries) {
            if (u.group() != null) {
                byGroup.computeIfAbsent(u.group(), g -> new ArrayList<>()).add(u.offset());
            }
        }
        byGroup.forEach((g, offsets) -> g.nack(offsets, true, 0));
    }

    // ---- methods

    private void onMethod(AmqpMethod method) {
        switch (method) {
            case AmqpBasic.Publish p -> {
                if (p.immediate()) {
                    throw new AmqpProtocolException(AmqpReplyCode.NOT_IMPLEMENTED, "immediate=true",
                            p.classId(), p.methodId());
                }
                contentMethod = p;
            }
            case AmqpBasic.Ack a -> acknowledge(a, a.deliveryTag(), a.multiple(), false, false);
            case AmqpBasic.Nack n -> acknowledge(n, n.deliveryTag(), n.multiple(), true, n.requeue());
            case AmqpBasic.Reject r -> acknowledge(r, r.deliveryTag(), false, true, r.requeue());
            case AmqpChannel.Close c -> enqueue(false, c, () -> CompletableFuture.completedFuture(() -> {
                state = State.CLOSED;
                release();
                conn.sendMethod(number, new AmqpChannel.CloseOk());
                conn.channelClosed(number);
            }));
            case AmqpChannel.CloseOk c -> {
            }
            case AmqpChannel.Open o -> throw new AmqpProtocolException(AmqpReplyCode.CHANNEL_ERROR,
                    "second 'channel.open' seen", o.classId(), o.methodId());
            case AmqpChannel.Flow f -> {
                if (!f.active()) {
                    throw new AmqpProtocolException(AmqpReplyCode.NOT_IMPLEMENTED, "active=false",
                            f.classId(), f.methodId());
                }
                reply(f, () -> conn.sendMethod(number, new AmqpChannel.FlowOk(true)));
            }
            case AmqpChannel.FlowOk f -> {
            }
            case AmqpAccess.Request r -> reply(r, () -> conn.sendMethod(number, new AmqpAccess.RequestOk()));
            case AmqpExchange.Declare d -> enqueue(false, d, () -> exchangeDeclare(d));
            case AmqpExchange.Delete d -> enqueue(false, d, () -> exchangeDelete(d));
            case AmqpExchange.Bind b -> enqueue(false, b, () -> bind(b, new Binding(b.source(), b.destination(),
                    true, b.routingKey(), javaArgs(b.arguments())), true, b.noWait(), new AmqpExchange.BindOk()));
            case AmqpExchange.Unbind u -> enqueue(false, u, () -> bind(u, new Binding(u.source(), u.destination(),
                    true, u.routingKey(), javaArgs(u.arguments())), false, u.noWait(), new AmqpExchange.UnbindOk()));
            case AmqpQueue.Declare d -> enqueue(false, d, () -> queueDeclare(d));
            case AmqpQueue.Bind b -> enqueue(false, b, () -> bind(b, new Binding(b.exchange(), queueName(b.queue()),
                    false, b.routingKey(), javaArgs(b.arguments())), true, b.noWait(), new AmqpQueue.BindOk()));
            case AmqpQueue.Unbind u -> enqueue(false, u, () -> bind(u, new Binding(u.exchange(),
                    queueName(u.queue()), false, u.routingKey(), javaArgs(u.arguments())), false, false,
                    new AmqpQueue.UnbindOk()));
            case AmqpQueue.Purge p -> enqueue(false, p, () -> queuePurge(p));
            case AmqpQueue.Delete d -> enqueue(false, d, () -> queueDelete(d));
            case AmqpBasic.Qos q -> reply(q, () -> {
                if (q.prefetchSize() != 0) {
                    throw AmqpErrors.error(AmqpReplyCode.NOT_IMPLEMENTED, "prefetch_size!=0 (" + q.prefetchSize()
                            + ")", q);
                }
                if (q.global()) {
                    prefetchPerChannel = q.prefetchCount();
                } else {
                    prefetchPerConsumer = q.prefetchCount();
                }
                conn.sendMethod(number, new AmqpBasic.QosOk());
            });
            case AmqpBasic.Consume c -> enqueue(false, c, () -> consume(c));
            case AmqpBasic.Cancel c -> reply(c, () -> {
                AmqpConsumer consumer = consumers.remove(c.consumerTag());
                if (consumer != null) {
                    consumer.close();
                }
                if (!c.noWait()) {
                    conn.sendMethod(number, new AmqpBasic.CancelOk(c.consumerTag()));
                }
            });
            case AmqpBasic.Get g -> enqueue(false, g, () -> get(g));
            case AmqpBasic.Recover r -> enqueue(false, r, () -> recover(r, true));
            case AmqpBasic.RecoverAsync r -> enqueue(false, r, () -> recover(r, false));
            case AmqpConfirm.Select s -> reply(s, () -> {
                if (txMode) {
                    throw AmqpErrors.error(AmqpReplyCode.PRECONDITION_FAILED,
                            "cannot switch from tx to confirm mode", s);
                }
                confirmMode = true;
                if (!s.noWait()) {
                    conn.sendMethod(number, new AmqpConfirm.SelectOk());
                }
            });
            case AmqpTx.Select s -> reply(s, () -> {
                if (confirmMode) {
                    throw AmqpErrors.error(AmqpReplyCode.PRECONDITION_FAILED,
                            "cannot switch from confirm to tx mode", s);
                }
                txMode = true;
                conn.sendMethod(number, new AmqpTx.SelectOk());
            });
            case AmqpTx.Commit c -> enqueue(false, c, () -> commit(c));
            case AmqpTx.Rollback r -> reply(r, () -> {
                if (!txMode) {
                    throw AmqpErrors.error(AmqpReplyCode.PRECONDITION_FAILED, "channel is not transactional", r);
                }
                txOps = new ArrayList<>();
                conn.sendMethod(number, new AmqpTx.RollbackOk());
            });
            default -> throw new AmqpProtocolException(AmqpReplyCode.COMMAND_INVALID,
                    "unexpected method " + method.name() + " from a client", method.classId(), method.methodId());
        }
    }

    private static Map<String, Object> javaArgs(AmqpTable args) {
        return args == null ? Map.of() : args.toJava();
    }

    private String queueName(String name) {
        if (name.isEmpty()) {
            if (lastQueue == null) {
                throw new AmqpProtocolException(AmqpReplyCode.NOT_FOUND, "no previously declared queue");
            }
            return lastQueue;
        }
        return name;
    }

    private String vhost() {
        return ctx.scope().namespace().equals(io.sluice.core.Scope.DEFAULT_NAMESPACE) ? "/" : ctx.scope().namespace();
    }

    private Optional<QueueInfo> describeQueue(String name) {
        return broker.queues().describe(ctx, name);
    }

    /** RabbitMQ refuses every use of another connection's exclusive queue with 405 RESOURCE_LOCKED. */
    private void checkNotLocked(QueueInfo info, AmqpMethod method) {
        String owner = info.spec().exclusiveOwner();
        if (owner != null && !owner.equals(conn.connectionId())) {
            throw AmqpErrors.error(AmqpReplyCode.RESOURCE_LOCKED, "cannot obtain exclusive access to locked queue '"
                    + info.name() + "' in vhost '" + vhost() + "'", method);
        }
    }

    private QueueInfo existingQueue(String name, AmqpMethod method) {
        QueueInfo info = describeQueue(name).orElseThrow(() -> AmqpErrors.error(AmqpReplyCode.NOT_FOUND,
                "no queue '" + name + "' in vhost '" + vhost() + "'", method));
        checkNotLocked(info, method);
        return info;
    }

    private static CompletableFuture<Runnable> done(Runnable reply) {
        return CompletableFuture.completedFuture(reply);
    }

    // ---- exchanges

    private CompletableFuture<Runnable> exchangeDeclare(AmqpExchange.Declare d) {
        String name = d.exchange();
        if (d.passive()) {
            Optional<ExchangeSpec> existing = broker.exchanges().describe(ctx, name);
            if (existing.isEmpty()) {
                throw AmqpErrors.error(AmqpReplyCode.NOT_FOUND, "no exchange '" + name + "' in vhost '" + vhost()
                        + "'", d);
            }
            return done(() -> {
                if (!d.noWait()) {
                    conn.sendMethod(number, new AmqpExchange.DeclareOk());
                }
            });
        }
        ExchangeType type;
        try {
            type = ExchangeType.parse(d.type());
        } catch (IllegalArgumentException e) {
            throw AmqpErrors.error(AmqpReplyCode.COMMAND_INVALID, "invalid exchange type '" + d.type() + "'", d);
        }
        if (name.isEmpty() || name.startsWith("amq.")) {
            Optional<ExchangeSpec> existing = broker.exchanges().describe(ctx, name);
            if (existing.isPresent() && existing.get().type() == type) {
                return done(() -> {
                    if (!d.noWait()) {
                        conn.sendMethod(number, new AmqpExchange.DeclareOk());
                    }
                });
            }
            throw AmqpErrors.error(AmqpReplyCode.ACCESS_REFUSED, "exchange name '" + name
                    + "' contains reserved prefix 'amq.*'", d);
        }
        AmqpTable args = d.arguments() == null ? AmqpTable.EMPTY : d.arguments();
        String alternate = null;
        Map<String, Object> rest = new LinkedHashMap<>();
        for (var e : args.entries().entrySet()) {
            if (e.getKey().equals("alternate-exchange") && e.getValue() instanceof AmqpValue.LongString s) {
                alternate = s.asString();
            } else {
                rest.put(e.getKey(), e.getValue().toJava());
            }
        }
        ExchangeSpec spec = new ExchangeSpec(name, type, d.durable(), d.autoDelete(), d.internal(), alternate, rest);
        return broker.exchanges().declare(ctx, spec).thenApply(s -> () -> {
            if (!d.noWait()) {
                conn.sendMethod(number, new AmqpExchange.DeclareOk());
            }
        });
    }

    private CompletableFuture<Runnable> exchangeDelete(AmqpExchange.Delete d) {
        if (d.exchange().isEmpty() || d.exchange().startsWith("amq.")) {
            throw AmqpErrors.error(AmqpReplyCode.ACCESS_REFUSED, "operation not permitted on exchange '"
                    + d.exchange() + "'", d);
        }
        Runnable ok = () -> {
            if (!d.noWait()) {
                conn.sendMethod(number, new AmqpExchange.DeleteOk());
            }
        };
        if (broker.exchanges().describe(ctx, d.exchange()).isEmpty()) {
            return done(ok); // deleting a missing exchange succeeds, as in RabbitMQ
        }
        return broker.exchanges().delete(ctx, d.exchange(), d.ifUnused()).thenApply(v -> ok);
    }

    private CompletableFuture<Runnable> bind(AmqpMethod method, Binding binding, boolean add, boolean noWait,
                                             AmqpMethod ok) {
        if (binding.source().isEmpty() || (!binding.toExchange() && binding.destination().isEmpty())) {
            throw AmqpErrors.error(AmqpReplyCode.ACCESS_REFUSED,
                    "operation not permitted on the default exchange", method);
        }
        if (broker.exchanges().describe(ctx, binding.source()).isEmpty()) {
            throw AmqpErrors.error(AmqpReplyCode.NOT_FOUND, "no exchange '" + binding.source() + "' in vhost '"
                    + vhost() + "'", method);
        }
        if (binding.toExchange()) {
            if (broker.exchanges().describe(ctx, binding.destination()).isEmpty()) {
                throw AmqpErrors.error(AmqpReplyCode.NOT_FOUND, "no exchange '" + binding.destination()
                        + "' in vhost '" + vhost() + "'", method);
            }
        } else {
            existingQueue(binding.destination(), method);
        }
        CompletableFuture<Void> f = add ? broker.exchanges().bind(ctx, binding) : broker.exchanges().unbind(ctx, binding);
        return f.thenApply(v -> () -> {
            if (!noWait) {
                conn.sendMethod(number, ok);
            }
        });
    }

    // ---- queues

    private CompletableFuture<Runnable> queueDeclare(AmqpQueue.Declare d) {
        String name = d.queue();
        if (d.passive()) {
            QueueInfo info = existingQueue(queueName(name), d);
            lastQueue = info.name();
            return done(() -> {
                if (!d.noWait()) {
                    conn.sendMethod(number, new AmqpQueue.DeclareOk(info.name(), (int) info.messages(),
                            info.consumers()));
                }
            });
        }
        if (name.startsWith("amq.")) {
            throw AmqpErrors.error(AmqpReplyCode.ACCESS_REFUSED, "queue name '" + name
                    + "' contains reserved prefix 'amq.*'", d);
        }
        QueueArguments args;
        try {
            args = AmqpQueueArguments.parse(d.arguments());
        } catch (AmqpProtocolException e) {
            throw AmqpErrors.error(e.replyCode(), e.getMessage(), d);
        }
        if (args.streamBacked() && (!d.durable() || d.exclusive() || d.autoDelete())) {
            throw AmqpErrors.error(AmqpReplyCode.PRECONDITION_FAILED,
                    "invalid property 'durable', 'exclusive' or 'auto-delete' for stream queue '" + name + "'", d);
        }
        describeQueue(name).ifPresent(existing -> checkNotLocked(existing, d));
        QueueSpec spec = new QueueSpec(name, d.durable(), d.exclusive() ? conn.connectionId() : null, d.autoDelete(),
                args);
        return broker.queues().declare(ctx, spec).thenApply(info -> () -> {
            lastQueue = info.name();
            if (!d.noWait()) {
                conn.sendMethod(number, new AmqpQueue.DeclareOk(info.name(), (int) info.messages(),
                        info.consumers()));
            }
        });
    }

    private CompletableFuture<Runnable> queuePurge(AmqpQueue.Purge p) {
        String name = queueName(p.queue());
        existingQueue(name, p);
        return broker.queues().purge(ctx, name).thenApply(n -> () -> {
            if (!p.noWait()) {
                conn.sendMethod(number, new AmqpQueue.PurgeOk((int) (long) n));
            }
        });
    }

    private CompletableFuture<Runnable> queueDelete(AmqpQueue.Delete d) {
        String name = queueName(d.queue());
        Optional<QueueInfo> info = describeQueue(name);
        Runnable okEmpty = () -> {
            if (!d.noWait()) {
                conn.sendMethod(number, new AmqpQueue.DeleteOk(0));
            }
        };
        if (info.isEmpty()) {
            return done(okEmpty); // deleting a missing queue succeeds, as in RabbitMQ
        }
        checkNotLocked(info.get(), d);
        if (d.ifUnused() && info.get().consumers() > 0) {
            throw AmqpErrors.error(AmqpReplyCode.PRECONDITION_FAILED, "queue '" + name + "' in vhost '" + vhost()
                    + "' in use", d);
        }
        if (d.ifEmpty() && info.get().messages() > 0) {
            throw AmqpErrors.error(AmqpReplyCode.PRECONDITION_FAILED, "queue '" + name + "' in vhost '" + vhost()
                    + "' is not empty", d);
        }
        return broker.queues().delete(ctx, name, d.ifUnused(), d.ifEmpty()).thenApply(n -> () -> {
            if (!d.noWait()) {
                conn.sendMethod(number, new AmqpQueue.DeleteOk((int) (long) n));
            }
        });
    }

    // ---- publish

    private CompletableFuture<Runnable> publish(AmqpBasic.Publish p, AmqpBasicProperties props, byte[] body,
                                                long seq) {
        if (props.userId() != null && !props.userId().equals(conn.user())) {
            throw AmqpErrors.error(AmqpReplyCode.PRECONDITION_FAILED, "user_id property set to '" + props.userId()
                    + "' but authenticated user was '" + conn.user() + "'", p);
        }
        Optional<ExchangeSpec> exchange = broker.exchanges().describe(ctx, p.exchange());
        if (exchange.isEmpty()) {
            throw AmqpErrors.error(AmqpReplyCode.NOT_FOUND, "no exchange '" + p.exchange() + "' in vhost '"
                    + vhost() + "'", p);
        }
        if (exchange.get().internal()) {
            throw AmqpErrors.error(AmqpReplyCode.ACCESS_REFUSED, "cannot publish to internal exchange '"
                    + p.exchange() + "' in vhost '" + vhost() + "'", p);
        }
        Message m = AmqpMessages.toMessage(p.routingKey(), props, body);
        List<io.sluice.storage.record.Header> headers = new ArrayList<>(m.headers());
        headers.add(new io.sluice.storage.record.Header(EXCHANGE_HEADER,
                p.exchange().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        m = m.withHeaders(headers);
        Map<String, Object> routingHeaders = props.headers() == null ? Map.of() : props.headers().toJava();
        return broker.exchanges().publish(ctx, p.exchange(), p.routingKey(), routingHeaders, m)
                .handle((result, err) -> () -> {
                    if (err != null) {
                        SluiceException s = SluiceException.from(err);
                        if (confirmMode && s.code() == ErrorCode.QUEUE_FULL) {
                            conn.sendMethod(number, new AmqpBasic.Nack(seq, false, false));
                            return;
                        }
                        throw AmqpErrors.from(s, p);
                    }
                    if (p.mandatory() && result.unroutable()) {
                        conn.send(new AmqpCommand(number, new AmqpBasic.Return(312, "NO_ROUTE", p.exchange(),
                                p.routingKey()), props, Unpooled.wrappedBuffer(body)));
                    }
                    if (confirmMode) {
                        conn.sendMethod(number, result.rejected() > 0 ? new AmqpBasic.Nack(seq, false, false)
                                : new AmqpBasic.Ack(seq, false));
                    }
                });
    }

    // ---- transactions

    private CompletableFuture<Runnable> commit(AmqpTx.Commit c) {
        if (!txMode) {
            throw AmqpErrors.error(AmqpReplyCode.PRECONDITION_FAILED, "channel is not transactional", c);
        }
        List<Supplier<CompletableFuture<Runnable>>> ops = txOps;
        txOps = new ArrayList<>();
        List<CompletableFuture<Runnable>> started = new ArrayList<>(ops.size());
        for (Supplier<CompletableFuture<Runnable>> op : ops) {
            started.add(op.get());
        }
        return CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).handle((v, e) -> () -> {
            for (CompletableFuture<Runnable> f : started) {
                f.join().run();
            }
            conn.sendMethod(number, new AmqpTx.CommitOk());
        });
    }

    // ---- acknowledgements

    private void acknowledge(AmqpMethod method, long tag, boolean multiple, boolean negative, boolean requeue) {
        List<Unacked> selected = new ArrayList<>();
        if (multiple) {
            NavigableMap<Long, Unacked> head = tag == 0 ? unacked : unacked.headMap(tag, true);
            selected.addAll(head.values());
            head.clear();
        } else {
            Unacked u = unacked.remove(tag);
            if (u == null) {
                throw AmqpErrors.error(AmqpReplyCode.PRECONDITION_FAILED, "unknown delivery tag " + tag, method);
            }
            selected.add(u);
        }
        if (selected.isEmpty()) {
            return;
        }
        Supplier<CompletableFuture<Runnable>> action = () -> {
            Map<DeliveryGroup, List<Long>> byGroup = new HashMap<>();
            for (Unacked u : selected) {
                if (u.group() != null) {
                    byGroup.computeIfAbsent(u.group(), g -> new ArrayList<>()).add(u.offset());
                }
            }
            List<CompletableFuture<?>> all = new ArrayList<>();
            byGroup.forEach((g, offsets) -> all.add(negative ? g.nack(offsets, requeue, 0) : g.ack(offsets)));
            for (Unacked u : selected) {
                if (u.group() == null) {
                    AmqpConsumer c = consumers.get(u.consumerTag());
                    if (c != null && c.stream != null) {
                        c.stream.acked(1);
                    }
                }
            }
            return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(v -> () -> {
            });
        };
        if (txMode) {
            txOps.add(action);
        } else {
            enqueue(true, method, action);
        }
    }

    private CompletableFuture<Runnable> recover(AmqpMethod method, boolean reply) {
        List<Unacked> all = new ArrayList<>(unacked.values());
        unacked.clear();
        List<CompletableFuture<?>> futures = new ArrayList<>();
        Map<DeliveryGroup, List<Long>> byGroup = new HashMap<>();
        for (Unacked u : all) {
            if (u.group() != null) {
                byGroup.computeIfAbsent(u.group(), g -> new ArrayList<>()).add(u.offset());
            }
        }
        byGroup.forEach((g, offsets) -> futures.add(g.nack(offsets, true, 0)));
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).thenApply(v -> () -> {
            if (reply) {
                conn.sendMethod(number, new AmqpBasic.RecoverOk());
            }
        });
    }

    // ---- consumers

    private int effectivePrefetch() {
        if (prefetchPerConsumer == 0) {
            return prefetchPerChannel;
        }
        if (prefetchPerChannel == 0) {
            return prefetchPerConsumer;
        }
        return Math.min(prefetchPerConsumer, prefetchPerChannel);
    }

    private CompletableFuture<Runnable> consume(AmqpBasic.Consume c) {
        String queue = queueName(c.queue());
        String tag = c.consumerTag().isEmpty()
                ? "amq.ctag-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) : c.consumerTag();
        if (consumers.containsKey(tag)) {
            throw AmqpErrors.error(AmqpReplyCode.NOT_ALLOWED, "attempt to reuse consumer tag '" + tag + "'", c);
        }
        QueueInfo info = existingQueue(queue, c);
        AmqpTable args = c.arguments() == null ? AmqpTable.EMPTY : c.arguments();
        int priority = 0;
        if (args.containsKey("x-priority")) {
            Long p = args.getLong("x-priority");
            if (p == null) {
                throw AmqpErrors.error(AmqpReplyCode.PRECONDITION_FAILED, "invalid arg 'x-priority'", c);
            }
            priority = (int) (long) p;
        }
        AmqpConsumer consumer = new AmqpConsumer(tag, queue, c.noAck());
        if (info.spec().arguments().streamBacked()) {
            if (c.noAck()) {
                throw AmqpErrors.error(AmqpReplyCode.PRECONDITION_FAILED,
                        "consumers of stream queues must acknowledge (no-ack is not allowed)", c);
            }
            if (effectivePrefetch() == 0) {
                throw AmqpErrors.error(AmqpReplyCode.PRECONDITION_FAILED,
                        "consumers of stream queues need a prefetch count (basic.qos)", c);
            }
            AmqpStreamConsumer.StartOffset start = AmqpStreamConsumer.StartOffset.parse(args.get("x-stream-offset"));
            if (start == null) {
                throw AmqpErrors.error(AmqpReplyCode.PRECONDITION_FAILED, "invalid arg 'x-stream-offset'", c);
            }
            consumer.stream = new AmqpStreamConsumer(broker, ctx, queue, start, effectivePrefetch(),
                    conn.eventLoop(), d -> deliver(consumer, d));
        } else {
            DeliveryGroup group = broker.queues().consumers(ctx, queue);
            consumer.group = group;
            ConsumerSpec spec = new ConsumerSpec(conn.connectionId() + "/" + number + "/" + tag, conn.connectionId(),
                    effectivePrefetch(), c.noAck(), c.exclusive(), priority);
            try {
                consumer.subscription = group.subscribe(spec, consumer);
            } catch (RuntimeException e) {
                SluiceException s = SluiceException.from(e);
                if (s.code() == ErrorCode.RESOURCE_LOCKED) {
                    throw AmqpErrors.error(AmqpReplyCode.ACCESS_REFUSED, "queue '" + queue + "' in vhost '"
                            + vhost() + "' in exclusive use", c);
                }
                throw e;
            }
        }
        consumers.put(tag, consumer);
        if (!c.noWait()) {
            conn.sendMethod(number, new AmqpBasic.ConsumeOk(tag));
        }
        if (consumer.stream != null) {
            consumer.stream.start();
        }
        return done(null);
    }

    private void deliver(AmqpConsumer consumer, Delivery d) {
        if (state != State.OPEN || consumer.cancelled) {
            return;
        }
        long tag = nextDeliveryTag++;
        if (!consumer.noAck) {
            unacked.put(tag, new Unacked(consumer.queue, consumer.group, d.offset(), consumer.tag));
        }
        Message m = d.message();
        String exchange = AmqpMessages.text(m.header(EXCHANGE_HEADER));
        AmqpBasicProperties props = deliveryProperties(m, d);
        if (consumer.stream != null) {
            // RabbitMQ tells stream consumers each message's offset, so they can resume from it
            AmqpTable h = props.headers() == null ? AmqpTable.EMPTY : props.headers();
            props = props.withHeaders(h.with("x-stream-offset", new AmqpValue.Int64(d.offset())));
        }
        conn.send(new AmqpCommand(number, new AmqpBasic.Deliver(consumer.tag, tag, d.redelivered(),
                exchange == null ? "" : exchange, m.subject() == null ? "" : m.subject()), props,
                Unpooled.wrappedBuffer(m.value() == null ? new byte[0] : m.value())));
    }

    private static AmqpBasicProperties deliveryProperties(Message m, Delivery d) {
        AmqpBasicProperties props = AmqpMessages.properties(stripInternal(m));
        return AmqpDeadLetters.withDeathHeaders(props, m);
    }

    private static Message stripInternal(Message m) {
        if (m.header(EXCHANGE_HEADER) == null) {
            return m;
        }
        List<io.sluice.storage.record.Header> hs = new ArrayList<>(m.headers().size());
        for (var h : m.headers()) {
            if (!h.key().equals(EXCHANGE_HEADER)) {
                hs.add(h);
            }
        }
        return m.withHeaders(hs);
    }

    private void serverCancelled(AmqpConsumer consumer) {
        if (consumers.get(consumer.tag) != consumer) {
            return;
        }
        consumers.remove(consumer.tag);
        consumer.close();
        if (state == State.OPEN && conn.clientCapability("consumer_cancel_notify")) {
            conn.sendMethod(number, new AmqpBasic.Cancel(consumer.tag, true));
        }
    }

    private CompletableFuture<Runnable> get(AmqpBasic.Get g) {
        String queue = queueName(g.queue());
        QueueInfo info = existingQueue(queue, g);
        if (info.spec().arguments().streamBacked()) {
            throw AmqpErrors.error(AmqpReplyCode.PRECONDITION_FAILED,
                    "basic.get is not supported by stream queues", g);
        }
        DeliveryGroup group = broker.queues().consumers(ctx, queue);
        return group.fetch(conn.connectionId() + "/" + number + "/get", 1, 0, g.noAck()).thenApply(list -> () -> {
            if (list.isEmpty()) {
                conn.sendMethod(number, new AmqpBasic.GetEmpty());
                return;
            }
            Delivery d = list.getFirst();
            long tag = nextDeliveryTag++;
            if (!g.noAck()) {
                unacked.put(tag, new Unacked(queue, group, d.offset(), null));
            }
            Message m = d.message();
            String exchange = AmqpMessages.text(m.header(EXCHANGE_HEADER));
            long remaining = describeQueue(queue).map(QueueInfo::messages).orElse(0L);
            conn.send(new AmqpCommand(number, new AmqpBasic.GetOk(tag, d.redelivered(),
                    exchange == null ? "" : exchange, m.subject() == null ? "" : m.subject(), (int) remaining),
                    deliveryProperties(m, d), Unpooled.wrappedBuffer(m.value() == null ? new byte[0] : m.value())));
        });
    }
}
