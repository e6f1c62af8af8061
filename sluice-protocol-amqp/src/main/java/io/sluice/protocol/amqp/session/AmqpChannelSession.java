package io.sluice.protocol.amqp.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import io.sluice.core.ErrorCode;
import io.sluice.core.SluiceException;
import io.sluice.protocol.amqp.codec.AmqpAccess;
import io.sluice.protocol.amqp.codec.AmqpBasic;
import io.sluice.protocol.amqp.codec.AmqpBasicProperties;
import io.sluice.protocol.amqp.codec.AmqpChannel;
import io.sluice.protocol.amqp.codec.AmqpConfirm;
import io.sluice.protocol.amqp.codec.AmqpExchange;
import io.sluice.protocol.amqp.codec.AmqpFrame;
import io.sluice.protocol.amqp.codec.AmqpMethod;
import io.sluice.protocol.amqp.codec.AmqpProtocolException;
import io.sluice.protocol.amqp.codec.AmqpQueue;
import io.sluice.protocol.amqp.codec.AmqpReplyCode;
import io.sluice.protocol.amqp.codec.AmqpTx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * One AMQP channel: assembles content (method, header, bodies) into publishes and runs the channel's methods against
 * the core in order, through three collaborators that own the channel's state by concern: {@link AmqpDeclarations}
 * (exchanges, queues, bindings), {@link AmqpPublishing} (publishes, confirms, transactions) and
 * {@link AmqpConsuming} (consumers, delivery tags, acknowledgements).
 *
 * <p>Ordering: methods are queued and started in arrival order. Publishes and acknowledgements are pipelined (several
 * may be in flight at once, so a publisher is not limited by the store's latency); every other method waits until
 * everything before it finished, so a {@code basic.get} after a publish sees the message and replies keep the order
 * the client expects. Each step's reply is written on the event loop when its core future completes.
 *
 * <p>Threading: confined to the connection's event loop, like {@link AmqpConnectionSession}; so are the three
 * collaborators.
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

    private final int number;
    private final AmqpConnectionSession conn;
    private final AmqpDeclarations declarations;
    private final AmqpPublishing publishing;
    private final AmqpConsuming consuming;

    private State state = State.OPEN;
    private final ArrayDeque<Step> steps = new ArrayDeque<>();
    private int inFlight;
    private boolean barrierRunning;

    private AmqpBasic.Publish contentMethod;
    private AmqpBasicProperties contentProperties;
    private long contentSize;
    private CompositeByteBuf contentBody;

    AmqpChannelSession(int number, AmqpConnectionSession conn) {
        this.number = number;
        this.conn = conn;
        this.declarations = new AmqpDeclarations(number, conn);
        this.publishing = new AmqpPublishing(number, this, conn, declarations);
        this.consuming = new AmqpConsuming(number, this, conn, declarations, publishing);
    }

    boolean isOpen() {
        return state == State.OPEN;
    }

    static CompletableFuture<Runnable> done(Runnable reply) {
        return CompletableFuture.completedFuture(reply);
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
                }
            }
            case AmqpFrame.Body b -> {
                if (contentProperties == null) {
                    throw new AmqpProtocolException(AmqpReplyCode.UNEXPECTED_FRAME,
                            "content body on channel " + number + " without a content header");
                }
                ByteBuf payload = b.content();
                long received = contentBody == null ? 0 : contentBody.readableBytes();
                if (received + payload.readableBytes() > contentSize) {
                    throw new AmqpProtocolException(AmqpReplyCode.FRAME_ERROR,
                            "content body larger than the " + contentSize + " bytes its header announced");
                }
                if (contentBody == null) {
                    if (payload.readableBytes() == contentSize) {
                        // the common case, a body in one frame: no composite to gather it
                        publishAssembled(payload);
                        return;
                    }
                    contentBody = Unpooled.compositeBuffer(64);
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
        publishing.assembled(p, props, bytes);
    }

    // ---- the ordered step pipeline

    /** Queues a method's work behind everything that arrived before it, gathered acknowledgements included. */
    void enqueue(boolean pipelined, AmqpMethod method, Supplier<CompletableFuture<Runnable>> action) {
        consuming.flushAcks();
        enqueueStep(pipelined, method, action);
    }

    /** Queues a step as is (the gathered acknowledgements themselves). */
    void enqueueStep(boolean pipelined, AmqpMethod method, Supplier<CompletableFuture<Runnable>> action) {
        steps.add(new Step(pipelined, method, action));
        pump();
    }

    private void reply(AmqpMethod method, Runnable reply) {
        enqueue(false, method, () -> CompletableFuture.completedFuture(reply));
    }

    private void pump() {
        while (state == State.OPEN && !steps.isEmpty() && !barrierRunning) {
            Step s = steps.peek();
            if (!s.pipelined()) {
                if (inFlight > 0) {
                    return;
                }
                // the confirms of earlier publishes precede this method's reply (a channel.close-ok, say)
                publishing.sendConfirms();
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
            f.whenComplete((r, e) -> conn.runOnLoop(() -> {
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
        publishing.sendConfirms();
        state = State.CLOSING;
        release();
        conn.sendMethod(number, new AmqpChannel.Close(e.replyCode().code(), e.replyText(), e.classId(), e.methodId()));
    }

    /** Ends consumers, returns unacknowledged messages to their queues and drops pending content. */
    void release() {
        steps.clear();
        publishing.release();
        if (contentBody != null) {
            contentBody.release();
            contentBody = null;
        }
        contentMethod = null;
        contentProperties = null;
        consuming.release();
    }

    // ---- methods

    /** RabbitMQ refuses basic.recover with requeue=false (redelivery to the same consumer) with 540. */
    private static void requeueOnly(boolean requeue, AmqpMethod method) {
        if (!requeue) {
            throw AmqpErrors.error(AmqpReplyCode.NOT_IMPLEMENTED, "requeue=false", method);
        }
    }

    private void onMethod(AmqpMethod method) {
        switch (method) {
            case AmqpBasic.Publish p -> {
                if (p.immediate()) {
                    throw new AmqpProtocolException(AmqpReplyCode.NOT_IMPLEMENTED, "immediate=true",
                            p.classId(), p.methodId());
                }
                contentMethod = p;
            }
            case AmqpBasic.Ack a -> consuming.acknowledge(a, a.deliveryTag(), a.multiple(), false, false);
            case AmqpBasic.Nack n -> consuming.acknowledge(n, n.deliveryTag(), n.multiple(), true, n.requeue());
            case AmqpBasic.Reject r -> consuming.acknowledge(r, r.deliveryTag(), false, true, r.requeue());
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
            case AmqpExchange.Declare d -> enqueue(false, d, () -> declarations.exchangeDeclare(d));
            case AmqpExchange.Delete d -> enqueue(false, d, () -> declarations.exchangeDelete(d));
            case AmqpExchange.Bind b -> enqueue(false, b, () -> declarations.exchangeBind(b));
            case AmqpExchange.Unbind u -> enqueue(false, u, () -> declarations.exchangeUnbind(u));
            case AmqpQueue.Declare d -> enqueue(false, d, () -> declarations.queueDeclare(d));
            case AmqpQueue.Bind b -> enqueue(false, b, () -> declarations.queueBind(b));
            case AmqpQueue.Unbind u -> enqueue(false, u, () -> declarations.queueUnbind(u));
            case AmqpQueue.Purge p -> enqueue(false, p, () -> declarations.queuePurge(p));
            case AmqpQueue.Delete d -> enqueue(false, d, () -> declarations.queueDelete(d));
            case AmqpBasic.Qos q -> reply(q, () -> consuming.qos(q));
            case AmqpBasic.Consume c -> enqueue(false, c, () -> consuming.consume(c));
            case AmqpBasic.Cancel c -> reply(c, () -> consuming.cancel(c));
            case AmqpBasic.Get g -> enqueue(false, g, () -> consuming.get(g));
            case AmqpBasic.Recover r -> {
                requeueOnly(r.requeue(), r);
                enqueue(false, r, () -> consuming.recover(r, true));
            }
            case AmqpBasic.RecoverAsync r -> {
                requeueOnly(r.requeue(), r);
                enqueue(false, r, () -> consuming.recover(r, false));
            }
            case AmqpConfirm.Select s -> reply(s, () -> publishing.confirmSelect(s));
            case AmqpTx.Select s -> reply(s, () -> publishing.txSelect(s));
            case AmqpTx.Commit c -> enqueue(false, c, () -> publishing.commit(c));
            case AmqpTx.Rollback r -> reply(r, () -> publishing.rollback(r));
            default -> throw new AmqpProtocolException(AmqpReplyCode.COMMAND_INVALID,
                    "unexpected method " + method.name() + " from a client", method.classId(), method.methodId());
        }
    }
}
