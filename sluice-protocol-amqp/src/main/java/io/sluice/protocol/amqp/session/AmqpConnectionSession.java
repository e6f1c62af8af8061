package io.sluice.protocol.amqp.session;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.SingleThreadEventLoop;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.internal.PlatformDependent;
import io.sluice.core.Broker;
import io.sluice.core.CallContext;
import io.sluice.core.Principal;
import io.sluice.core.Scope;
import io.sluice.protocol.amqp.codec.AmqpAccess;
import io.sluice.protocol.amqp.codec.AmqpChannel;
import io.sluice.protocol.amqp.codec.AmqpConnection;
import io.sluice.protocol.amqp.codec.AmqpFrame;
import io.sluice.protocol.amqp.codec.AmqpFrameDecoder;
import io.sluice.protocol.amqp.codec.AmqpFrameEncoder;
import io.sluice.protocol.amqp.codec.AmqpMethod;
import io.sluice.protocol.amqp.codec.AmqpProtocolException;
import io.sluice.protocol.amqp.codec.AmqpReplyCode;
import io.sluice.protocol.amqp.codec.AmqpTable;
import io.sluice.protocol.amqp.codec.AmqpValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One AMQP 0-9-1 connection: negotiation ({@code start}/{@code start-ok}, {@code tune}/{@code tune-ok},
 * {@code open}), heartbeats, channel 0 and the table of {@link AmqpChannelSession}s. The last handler of the
 * pipeline, after {@link AmqpFrameDecoder} and {@link AmqpFrameEncoder}.
 *
 * <p>Threading: every method runs on the connection's event loop; core callbacks hop onto it before touching state.
 * Nothing here blocks: core calls return futures whose continuations are scheduled back onto the loop.
 *
 * <p>Errors: a hard error (see {@link AmqpReplyCode#isHard()}) sends {@code connection.close} with the reply code,
 * text and failing method, discards further input except {@code close}/{@code close-ok}, and closes the socket on
 * {@code close-ok} or after {@value #CLOSE_TIMEOUT_MS} ms. Missing heartbeats for two intervals close the socket
 * without a close method, as RabbitMQ does.
 */
public final class AmqpConnectionSession extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(AmqpConnectionSession.class);
    static final long CLOSE_TIMEOUT_MS = 1000;
    static final long HANDSHAKE_TIMEOUT_MS = 10_000;
    /** Inbox tasks run per loop task before the loop gets to its I/O again. */
    private static final int INBOX_BATCH = 4096;

    private enum State { AWAIT_HEADER, AWAIT_START_OK, AWAIT_TUNE_OK, AWAIT_OPEN, OPEN, CLOSING, CLOSED }

    private final Broker broker;
    private final AmqpSessionConfig config;
    private final AmqpAuthenticator authenticator;
    private final String connectionId = "amqp-" + UUID.randomUUID();
    private final Map<Integer, AmqpChannelSession> channels = new HashMap<>();
    /** See {@link #runOnLoop}: written by core threads, drained on the event loop. */
    private final Queue<Runnable> inbox = PlatformDependent.newMpscQueue();
    private final AtomicBoolean inboxScheduled = new AtomicBoolean();
    private final Runnable drainInboxTask = this::drainInbox;

    private ChannelHandlerContext ctx;
    private State state = State.AWAIT_HEADER;
    private String user;
    private CallContext callContext;
    private int channelMax;
    private int frameMax = AmqpFrameDecoder.MIN_FRAME_MAX;
    private AmqpTable clientCapabilities = AmqpTable.EMPTY;
    private boolean inRead;
    private boolean flushScheduled;
    private boolean blocked;
    private AutoCloseable alarmSubscription;
    private ScheduledFuture<?> handshakeTimeout;

    public AmqpConnectionSession(Broker broker, AmqpSessionConfig config) {
        this.broker = broker;
        this.config = config;
        this.authenticator = new AmqpAuthenticator(config);
    }

    // ---- accessors for channels

    Broker broker() {
        return broker;
    }

    CallContext callContext() {
        return callContext;
    }

    String connectionId() {
        return connectionId;
    }

    AmqpSessionConfig config() {
        return config;
    }

    String user() {
        return user;
    }

    EventLoop eventLoop() {
        return ctx.channel().eventLoop();
    }

    boolean clientCapability(String name) {
        return Boolean.TRUE.equals(clientCapabilities.getBoolean(name));
    }

    boolean isOpen() {
        return state == State.OPEN && ctx.channel().isActive();
    }

    /**
     * Queues a frame or command for writing; flushed at the end of the current read or of the current loop
     * iteration, so the deliveries and confirms of one burst of core completions leave in one write.
     */
    void send(Object frameOrCommand) {
        if (state == State.CLOSED || !ctx.channel().isActive()) {
            ReferenceCountUtil.release(frameOrCommand);
            return;
        }
        ctx.write(frameOrCommand, ctx.voidPromise());
        if (!inRead && !flushScheduled) {
            flushScheduled = true;
            afterIteration(flushTask);
        }
    }

    private final Runnable flushTask = () -> {
        flushScheduled = false;
        ctx.flush();
    };

    /**
     * Runs {@code task} on the event loop (called from core threads: deliveries, completions of core calls). The
     * tasks wait in an inbox drained by one loop task per burst: a core turn handing over hundreds of deliveries
     * or completed appends wakes the loop once instead of once each. Tasks of one thread run in the order given.
     */
    void runOnLoop(Runnable task) {
        inbox.offer(task);
        if (!inboxScheduled.get() && inboxScheduled.compareAndSet(false, true)) {
            eventLoop().execute(drainInboxTask);
        }
    }

    private void drainInbox() {
        inboxScheduled.set(false);
        for (int i = 0; i < INBOX_BATCH; i++) {
            Runnable task = inbox.poll();
            if (task == null) {
                return;
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("{}: a task failed", connectionId, e);
            }
        }
        // more is queued: let the loop read and write in between
        if (inboxScheduled.compareAndSet(false, true)) {
            eventLoop().execute(drainInboxTask);
        }
    }

    /**
     * Runs {@code task} on the event loop once the tasks queued for the current loop iteration ran: work that
     * many core completions each add to (confirms, acknowledgements, the flush) is then done once per burst
     * instead of once per message. Tasks added while these run still run in the same iteration, in order. Falls
     * back to an ordinary task on loops without that hook (the embedded loop of codec tests).
     */
    void afterIteration(Runnable task) {
        if (ctx.channel().eventLoop() instanceof SingleThreadEventLoop loop) {
            loop.executeAfterEventLoopIteration(task);
        } else {
            ctx.channel().eventLoop().execute(task);
        }
    }

    void sendMethod(int channel, AmqpMethod method) {
        send(new AmqpFrame.Method(channel, method));
    }

    /** Called by a channel whose close handshake finished: its number may be reused. */
    void channelClosed(int number) {
        channels.remove(number);
    }

    // ---- Netty callbacks

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        handshakeTimeout = ctx.executor().schedule(() -> {
            if (state != State.OPEN && state != State.CLOSED) {
                log.debug("{}: handshake not finished in {} ms, closing", connectionId, HANDSHAKE_TIMEOUT_MS);
                ctx.close();
            }
        }, HANDSHAKE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == AmqpFrameDecoder.PROTOCOL_HEADER_ACCEPTED && state == State.AWAIT_HEADER) {
            state = State.AWAIT_START_OK;
            sendMethod(0, new AmqpConnection.Start(0, 9, serverProperties(),
                    AmqpAuthenticator.MECHANISMS.getBytes(StandardCharsets.US_ASCII),
                    "en_US".getBytes(StandardCharsets.US_ASCII)));
            ctx.flush();
        } else if (evt instanceof IdleStateEvent idle) {
            if (idle.state() == IdleState.WRITER_IDLE) {
                ctx.writeAndFlush(AmqpFrame.Heartbeat.INSTANCE, ctx.voidPromise());
            } else if (idle.state() == IdleState.READER_IDLE && ctx.channel().config().isAutoRead()) {
                // a blocked connection is not read, so its heartbeats cannot be seen: RabbitMQ waits too
                log.debug("{}: missed heartbeats from client, closing", connectionId);
                ctx.close();
            }
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    private static AmqpTable serverProperties() {
        AmqpTable capabilities = AmqpTable.builder()
                .put("publisher_confirms", true)
                .put("exchange_exchange_bindings", true)
                .put("basic.nack", true)
                .put("consumer_cancel_notify", true)
                .put("connection.blocked", true)
                .put("consumer_priorities", true)
                .put("authentication_failure_close", true)
                .put("per_consumer_qos", true)
                .put("direct_reply_to", false)
                .build();
        return AmqpTable.builder()
                .put("capabilities", new AmqpValue.Table(capabilities))
                .put("product", "Sluice")
                .put("version", versionString())
                .put("platform", "Java " + Runtime.version().feature())
                .put("cluster_name", "sluice")
                .put("copyright", "Sluice contributors")
                .put("information", "Licensed under the Apache License 2.0")
                .build();
    }

    private static String versionString() {
        String v = AmqpConnectionSession.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        inRead = true;
        try {
            if (!(msg instanceof AmqpFrame frame)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            handleFrame(frame);
        } catch (AmqpProtocolException e) {
            ReferenceCountUtil.release(msg);
            if (e.replyCode().isHard()) {
                connectionError(e);
            } else {
                // a soft error thrown outside a channel is still reported, on the connection
                connectionError(new AmqpProtocolException(AmqpReplyCode.COMMAND_INVALID, e.getMessage(),
                        e.classId(), e.methodId()));
            }
        } catch (RuntimeException e) {
            ReferenceCountUtil.release(msg);
            log.warn("{}: internal error handling {}", connectionId, msg, e);
            connectionError(new AmqpProtocolException(AmqpReplyCode.INTERNAL_ERROR, String.valueOf(e.getMessage())));
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        inRead = false;
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("{}: connection failed", connectionId, cause);
        io.sluice.transport.ProtocolContext.connection(ctx.channel()).error(cause);
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        state = State.CLOSED;
        cleanup();
        ctx.fireChannelInactive();
    }

    private void cleanup() {
        if (handshakeTimeout != null) {
            handshakeTimeout.cancel(false);
        }
        for (AmqpChannelSession ch : new ArrayList<>(channels.values())) {
            ch.release();
        }
        channels.clear();
        if (alarmSubscription != null) {
            try {
                alarmSubscription.close();
            } catch (Exception ignored) {
                // the alarm registry is in memory; nothing to recover
            }
            alarmSubscription = null;
        }
        if (callContext != null) {
            broker.queues().ownerClosed(connectionId);
        }
    }

    // ---- frames

    private void handleFrame(AmqpFrame frame) {
        if (frame instanceof AmqpFrame.Malformed m) {
            connectionError(m.error());
            return;
        }
        if (state == State.CLOSING || state == State.CLOSED) {
            if (frame instanceof AmqpFrame.Method m && m.channel() == 0) {
                if (m.method() instanceof AmqpConnection.CloseOk) {
                    ctx.close();
                } else if (m.method() instanceof AmqpConnection.Close) {
                    ctx.writeAndFlush(new AmqpFrame.Method(0, new AmqpConnection.CloseOk()))
                            .addListener(ChannelFutureListener.CLOSE);
                }
            }
            ReferenceCountUtil.release(frame);
            return;
        }
        if (frame instanceof AmqpFrame.Heartbeat hb) {
            if (hb.channel() != 0) {
                throw new AmqpProtocolException(AmqpReplyCode.UNEXPECTED_FRAME,
                        "heartbeat frame on channel " + hb.channel());
            }
            return;
        }
        if (frame.channel() == 0) {
            if (!(frame instanceof AmqpFrame.Method m)) {
                throw new AmqpProtocolException(AmqpReplyCode.UNEXPECTED_FRAME, "content frame on channel 0");
            }
            handleConnectionMethod(m.method());
            return;
        }
        if (state != State.OPEN) {
            throw new AmqpProtocolException(AmqpReplyCode.CHANNEL_ERROR,
                    "frame on channel " + frame.channel() + " before the connection was opened");
        }
        AmqpChannelSession channel = channels.get(frame.channel());
        if (channel == null) {
            if (frame instanceof AmqpFrame.Method m && m.method() instanceof AmqpChannel.Open) {
                openChannel(frame.channel());
                return;
            }
            AmqpMethod method = frame instanceof AmqpFrame.Method m ? m.method() : null;
            throw new AmqpProtocolException(AmqpReplyCode.CHANNEL_ERROR,
                    "expected 'channel.open' on channel " + frame.channel(),
                    method == null ? 0 : method.classId(), method == null ? 0 : method.methodId());
        }
        channel.onFrame(frame);
    }

    private void openChannel(int number) {
        if (number > channelMax) {
            throw new AmqpProtocolException(AmqpReplyCode.CHANNEL_ERROR,
                    "channel " + number + " is above the negotiated channel-max " + channelMax,
                    AmqpChannel.CLASS_ID, 10);
        }
        AmqpChannelSession ch = new AmqpChannelSession(number, this);
        channels.put(number, ch);
        sendMethod(number, new AmqpChannel.OpenOk());
    }

    private void handleConnectionMethod(AmqpMethod method) {
        switch (state) {
            case AWAIT_START_OK -> {
                if (!(method instanceof AmqpConnection.StartOk ok)) {
                    throw unexpected(method, "connection.start-ok");
                }
                startOk(ok);
            }
            case AWAIT_TUNE_OK -> {
                if (!(method instanceof AmqpConnection.TuneOk ok)) {
                    throw unexpected(method, "connection.tune-ok");
                }
                tuneOk(ok);
            }
            case AWAIT_OPEN -> {
                if (!(method instanceof AmqpConnection.Open open)) {
                    throw unexpected(method, "connection.open");
                }
                open(open);
            }
            case OPEN -> {
                switch (method) {
                    case AmqpConnection.Close close -> {
                        log.debug("{}: client closed the connection: {} {}", connectionId, close.replyCode(),
                                close.replyText());
                        state = State.CLOSED;
                        cleanup();
                        ctx.writeAndFlush(new AmqpFrame.Method(0, new AmqpConnection.CloseOk()))
                                .addListener(ChannelFutureListener.CLOSE);
                    }
                    case AmqpConnection.Blocked b -> {
                    }
                    case AmqpConnection.Unblocked u -> {
                    }
                    case AmqpConnection.UpdateSecret us -> sendMethod(0, new AmqpConnection.UpdateSecretOk());
                    default -> throw new AmqpProtocolException(AmqpReplyCode.COMMAND_INVALID,
                            "unexpected " + method.name() + " on channel 0", method.classId(), method.methodId());
                }
            }
            default -> throw unexpected(method, "nothing");
        }
    }

    private static AmqpProtocolException unexpected(AmqpMethod method, String expected) {
        return new AmqpProtocolException(AmqpReplyCode.COMMAND_INVALID,
                "expected '" + expected + "', got '" + method.name() + "'", method.classId(), method.methodId());
    }

    private void startOk(AmqpConnection.StartOk ok) {
        if (ok.clientProperties().get("capabilities") instanceof AmqpValue.Table caps) {
            clientCapabilities = caps.table();
        }
        if (!AmqpAuthenticator.knows(ok.mechanism())) {
            throw new AmqpProtocolException(AmqpReplyCode.COMMAND_INVALID,
                    "unknown authentication mechanism '" + ok.mechanism() + "'", ok.classId(), ok.methodId());
        }
        InetSocketAddress peer = ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a : null;
        String authenticated = authenticator.authenticate(ok.mechanism(), ok.response(),
                peer == null ? null : peer.getAddress());
        if (authenticated == null) {
            // RabbitMQ's authentication_failure_close: a connection.close with 403, then the socket closes.
            connectionError(new AmqpProtocolException(AmqpReplyCode.ACCESS_REFUSED,
                    "Login was refused using authentication mechanism " + ok.mechanism()
                            + ". For details see the broker logfile.", ok.classId(), ok.methodId()));
            return;
        }
        user = authenticated;
        io.sluice.transport.ProtocolContext.connection(ctx.channel()).user(authenticated).clientName(ok.clientProperties().get("connection_name") instanceof AmqpValue.LongString n ? n.asString() : null);
        state = State.AWAIT_TUNE_OK;
        sendMethod(0, new AmqpConnection.Tune(config.channelMax(), config.frameMax(), config.heartbeatSec()));
    }

    private void tuneOk(AmqpConnection.TuneOk ok) {
        int requestedFrameMax = ok.frameMax();
        if (requestedFrameMax != 0 && Integer.compareUnsigned(requestedFrameMax, AmqpFrameDecoder.MIN_FRAME_MAX) < 0) {
            throw new AmqpProtocolException(AmqpReplyCode.NOT_ALLOWED, "frame_max=" + requestedFrameMax
                    + " < " + AmqpFrameDecoder.MIN_FRAME_MAX + " min size", ok.classId(), ok.methodId());
        }
        if (requestedFrameMax == 0 || Integer.compareUnsigned(requestedFrameMax, config.frameMax()) > 0) {
            if (requestedFrameMax != 0) {
                throw new AmqpProtocolException(AmqpReplyCode.NOT_ALLOWED, "frame_max=" + requestedFrameMax
                        + " > " + config.frameMax() + " max size", ok.classId(), ok.methodId());
            }
            requestedFrameMax = config.frameMax();
        }
        frameMax = requestedFrameMax;
        ctx.pipeline().get(AmqpFrameDecoder.class).frameMax(frameMax);
        ctx.pipeline().get(AmqpFrameEncoder.class).frameMax(frameMax);
        channelMax = ok.channelMax() == 0 ? config.channelMax() : Math.min(ok.channelMax(), config.channelMax());
        if (channelMax == 0) {
            channelMax = 0xFFFF;
        }
        int heartbeat = ok.heartbeat();
        if (heartbeat > 0) {
            ctx.pipeline().addBefore(ctx.name(), "amqp-heartbeat",
                    new IdleStateHandler(heartbeat * 2L, heartbeat, 0, TimeUnit.SECONDS));
        }
        state = State.AWAIT_OPEN;
    }

    private void open(AmqpConnection.Open open) {
        String vhost = open.virtualHost();
        if (!config.allowsVirtualHost(vhost)) {
            throw new AmqpProtocolException(AmqpReplyCode.NOT_ALLOWED,
                    "vhost " + vhost + " not found", open.classId(), open.methodId());
        }
        callContext = new CallContext(new Principal(user, Scope.DEFAULT_TENANT), Scope.ofVirtualHost(vhost));
        io.sluice.transport.ProtocolContext.connection(ctx.channel()).scope(callContext.scope());
        state = State.OPEN;
        if (handshakeTimeout != null) {
            handshakeTimeout.cancel(false);
        }
        sendMethod(0, new AmqpConnection.OpenOk());
        alarmSubscription = broker.alarms().onChange(b -> eventLoop().execute(() -> setBlocked(b)));
        if (broker.alarms().publishingBlocked()) {
            setBlocked(true);
        }
    }

    private void setBlocked(boolean nowBlocked) {
        if (state != State.OPEN || nowBlocked == blocked) {
            return;
        }
        blocked = nowBlocked;
        boolean notify = clientCapability("connection.blocked");
        if (nowBlocked) {
            String reason = broker.alarms().reason();
            if (notify) {
                sendMethod(0, new AmqpConnection.Blocked(reason == null ? "resource alarm" : reason));
            }
        } else {
            if (notify) {
                sendMethod(0, new AmqpConnection.Unblocked());
            }
            ctx.channel().config().setAutoRead(true);
        }
    }

    /** Publishing while an alarm is raised stops reading from the socket until it clears, as RabbitMQ does. */
    void onPublish() {
        if (blocked) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    /** Reports a hard error: connection.close, then the socket closes on close-ok or after a timeout. */
    void connectionError(AmqpProtocolException e) {
        if (state == State.CLOSING || state == State.CLOSED) {
            return;
        }
        log.debug("{}: connection error {}", connectionId, e.replyText());
        boolean negotiated = state != State.AWAIT_HEADER;
        state = State.CLOSING;
        cleanup();
        if (negotiated) {
            ctx.writeAndFlush(new AmqpFrame.Method(0, new AmqpConnection.Close(e.replyCode().code(), e.replyText(),
                    e.classId(), e.methodId())));
        }
        ctx.executor().schedule(() -> {
            ctx.close();
        }, CLOSE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    /** access.request is answered with a zero ticket, as RabbitMQ still does for old clients. */
    static AmqpMethod accessRequestOk() {
        return new AmqpAccess.RequestOk();
    }
}
