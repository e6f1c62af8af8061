package io.sluice.protocol.nats.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.internal.PlatformDependent;
import io.sluice.core.CallContext;
import io.sluice.core.Principal;
import io.sluice.core.Scope;
import io.sluice.core.connection.Connection;
import io.sluice.protocol.nats.codec.NatsClientOp;
import io.sluice.protocol.nats.codec.NatsConnectOptions;
import io.sluice.protocol.nats.codec.NatsError;
import io.sluice.protocol.nats.codec.NatsHeaders;
import io.sluice.protocol.nats.codec.NatsServerInfo;
import io.sluice.protocol.nats.codec.NatsServerEncoder;
import io.sluice.protocol.nats.codec.NatsServerOp;
import io.sluice.transport.ProtocolContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One NATS client connection: turns decoded {@link NatsClientOp}s into core calls and core deliveries into
 * {@code MSG}/{@code HMSG} frames.
 *
 * <p>Threading: every {@code channelRead}, timer and lifecycle callback runs on the channel's event loop, which owns the
 * subscription table and connection state. {@link #deliver} is the one entry point called from other threads (the
 * publisher's event loop, core delivery threads); it never blocks: it accounts the bytes it queues and cuts the
 * connection off as a slow consumer once more than {@code max_pending} bytes wait to be written, so a stuck
 * subscriber costs the publisher nothing but a queued write.
 *
 * <p>Lifecycle: INFO on activation; CONNECT (required first when authentication is configured, within
 * {@code auth_timeout}); server PINGs every {@code ping_interval}, closing as stale after {@code max_pings_out}
 * unanswered ones; on close all subscriptions are removed from the core.
 */
public final class NatsSession extends SimpleChannelInboundHandler<NatsClientOp> {

    private static final Logger LOG = LoggerFactory.getLogger(NatsSession.class);

    private final NatsServerContext server;
    private final long clientId;
    private final Map<String, NatsSubscription> subscriptions = new HashMap<>();
    private final AtomicLong pendingBytes = new AtomicLong();
    private final AtomicBoolean cutOff = new AtomicBoolean();
    /** Plain JetStream acks of the current read burst, applied when it ends (event loop only). */
    final NatsJsAckBatch acks = new NatsJsAckBatch();
    /** Stream captures of the current read burst, appended when it ends (event loop only). */
    final NatsJsPublishBatch publishes;

    /** Set once in channelActive; read by delivering threads. */
    private volatile Channel channel;
    private volatile CallContext callContext = CallContext.DEFAULT;
    /** The broker's record of this connection (listed by the admin API); set once in channelActive. */
    private volatile Connection connection = Connection.detached("nats");
    /**
     * Deliveries waiting to be written, from any thread; drained on the event loop by one task per burst, which
     * writes them all and flushes once. One queue for every producer keeps per-connection order and costs one task
     * and one flush per burst instead of a write task and a flush task per message.
     */
    private final Queue<NatsServerOp.Msg> outbound = PlatformDependent.newMpscQueue();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drain;
    /** Set once by CONNECT on the event loop; read by delivering threads. */
    private volatile NatsConnectOptions options;
    private int pingsOut;
    private ScheduledFuture<?> pingTimer;
    private ScheduledFuture<?> authTimer;

    public NatsSession(NatsServerContext server) {
        this.server = server;
        this.clientId = server.nextClientId();
        this.publishes = new NatsJsPublishBatch(server.jetStream());
    }

    public long clientId() {
        return clientId;
    }

    /** Who this connection acts as in core calls. */
    public CallContext callContext() {
        return callContext;
    }

    boolean isOpen() {
        return channel != null && channel.isActive() && !cutOff.get();
    }

    /** Whether the client asked to receive its own publishes (CONNECT {@code echo}, default true). */
    boolean echo() {
        NatsConnectOptions o = options;
        return o == null || o.echoEnabled();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        connection = ProtocolContext.connection(channel);
        NatsConfig config = server.config();
        String clientIp = channel.remoteAddress() instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : null;
        NatsServerInfo info = new NatsServerInfo(server.serverId(), config.serverName(), NatsServerContext.PROTOCOL_VERSION,
                1, "java" + Runtime.version().feature(), server.advertisedHost(), server.advertisedPort(), true,
                config.authRequired() ? Boolean.TRUE : null, config.maxPayload(),
                config.jetStream() ? Boolean.TRUE : null, clientId, clientIp);
        ctx.writeAndFlush(info.toOp());
        long pingMs = config.pingInterval().toMillis();
        pingTimer = ctx.executor().scheduleAtFixedRate(this::ping, pingMs, pingMs, TimeUnit.MILLISECONDS);
        if (config.authRequired()) {
            authTimer = ctx.executor().schedule(() -> {
                if (options == null) {
                    fail(NatsError.AUTHORIZATION_TIMEOUT);
                }
            }, config.authTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        publishes.flush();
        acks.flush();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        publishes.flush();
        acks.flush();
        if (pingTimer != null) {
            pingTimer.cancel(false);
        }
        if (authTimer != null) {
            authTimer.cancel(false);
        }
        for (NatsSubscription sub : subscriptions.values()) {
            close(sub);
        }
        subscriptions.clear();
        server.jetStream().connectionClosed(this);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("NATS connection {} failed", clientId, cause);
        connection.error(cause);
        ctx.close();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, NatsClientOp op) {
        if (cutOff.get()) {
            return;
        }
        if (options == null && server.config().authRequired() && !(op instanceof NatsClientOp.Connect)) {
            fail(NatsError.AUTHORIZATION_VIOLATION);
            return;
        }
        switch (op) {
            case NatsClientOp.Connect c -> connect(c);
            case NatsClientOp.Pub p -> publish(p);
            case NatsClientOp.Sub s -> subscribe(s);
            case NatsClientOp.Unsub u -> unsubscribe(u);
            case NatsClientOp.Ping p -> control(NatsServerOp.Pong.INSTANCE);
            case NatsClientOp.Pong p -> pingsOut = 0;
        }
    }

    private void connect(NatsClientOp.Connect c) {
        NatsConnectOptions o;
        try {
            o = NatsConnectOptions.parse(c.json());
        } catch (IllegalArgumentException e) {
            fail(NatsError.PARSER_ERROR);
            return;
        }
        NatsConfig config = server.config();
        if (config.token() != null && !secretEquals(config.token(), o.authToken())) {
            fail(NatsError.AUTHORIZATION_VIOLATION);
            return;
        }
        if (config.user() != null && !(config.user().equals(o.user()) && secretEquals(config.password(), o.pass()))) {
            fail(NatsError.AUTHORIZATION_VIOLATION);
            return;
        }
        if (authTimer != null) {
            authTimer.cancel(false);
        }
        options = o;
        connection.user(config.user() == null ? null : o.user()).clientName(o.name());
        if (config.user() != null) {
            callContext = new CallContext(new Principal(o.user(), Scope.DEFAULT_TENANT), Scope.DEFAULT);
        }
        ok();
    }

    /** Compares secrets in time independent of where they differ. */
    private static boolean secretEquals(String expected, String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8));
    }

    private void publish(NatsClientOp.Pub p) {
        connection.messagesReceived(1);
        if (p.headers() != null && options != null && !options.headers()) {
            fail(NatsError.HEADERS_NOT_SUPPORTED);
            return;
        }
        // Like nats-server, subjects are only checked in pedantic mode: JetStream API subjects legitimately carry
        // wildcards (a consumer's filter subject in CONSUMER.CREATE).
        if (options != null && options.pedantic() && (!NatsSubjects.isValidPublish(p.subject())
                || (p.replyTo() != null && !NatsSubjects.isValidPublish(p.replyTo())))) {
            error(NatsError.INVALID_PUBLISH_SUBJECT);
            return;
        }
        ok();
        if (server.jetStream().handles(p.subject())) {
            server.jetStream().handle(this, p);
            return;
        }
        CompletionStage<NatsRouting.PublishResult> published = server.routing().publish(this, p);
        if (p.replyTo() == null) {
            return; // nothing to answer: no PubAck, no no-responders status
        }
        // Completes at once for transient subjects; a stream capture completes on a storage thread, which sends the
        // PubAck itself: the reply goes through the thread-safe core pub/sub and deliver(), whose queue keeps the
        // storage's completion order, so a hop to the event loop first would only add a task per message.
        published.whenComplete((result, error) -> {
            if (error != null) {
                LOG.debug("publish to {} failed", p.subject(), error);
                return;
            }
            afterPublish(p, result);
        });
    }

    /** Sends the PubAck for a stream capture, or the no-responders status for an unanswered request. Any thread. */
    private void afterPublish(NatsClientOp.Pub p, NatsRouting.PublishResult result) {
        if (result.streamAck() != null) {
            server.routing().reply(callContext, p.replyTo(), result.streamAck());
        } else if (result.receivers() == 0 && wantsNoResponders()) {
            byte[] block = NatsHeaders.status(503, null).encode();
            if (channel.eventLoop().inEventLoop()) {
                deliverLocally(p.replyTo(), p.replyTo(), null, block, new byte[0]);
            } else {
                execute(() -> deliverLocally(p.replyTo(), p.replyTo(), null, block, new byte[0]));
            }
        }
    }

    boolean wantsNoResponders() {
        NatsConnectOptions o = options;
        return o != null && o.noResponders() && o.headers();
    }

    private void subscribe(NatsClientOp.Sub s) {
        if (!NatsSubjects.isValidSubscription(s.subject()) || (s.queue() != null && s.queue().isEmpty())) {
            error(NatsError.INVALID_SUBJECT);
            return;
        }
        if (subscriptions.containsKey(s.sid())) {
            ok();
            return;
        }
        NatsSubscription sub = new NatsSubscription(s.sid(), s.subject(), s.queue());
        subscriptions.put(s.sid(), sub);
        sub.handle = server.routing().subscribe(this, sub);
        ok();
    }

    private void unsubscribe(NatsClientOp.Unsub u) {
        NatsSubscription sub = subscriptions.get(u.sid());
        if (sub != null) {
            if (u.maxMsgs() > 0 && sub.delivered.get() < u.maxMsgs()) {
                sub.maxMsgs = u.maxMsgs();
            } else {
                subscriptions.remove(u.sid());
                close(sub);
            }
        }
        ok();
    }

    private void close(NatsSubscription sub) {
        sub.closed = true;
        AutoCloseable h = sub.handle;
        if (h != null) {
            try {
                h.close();
            } catch (Exception e) {
                LOG.debug("closing subscription {} failed", sub.sid, e);
            }
        }
    }

    /**
     * Delivers one routed message to one of this connection's subscriptions. Thread-safe and non-blocking.
     *
     * @param delivered the subject shown to the client (for JetStream deliveries, the stored message's subject)
     */
    void deliver(NatsSubscription sub, String delivered, String replyTo, byte[] headers, byte[] payload) {
        if (cutOff.get() || !sub.tryDeliver()) {
            return;
        }
        if (headers != null && options != null && !options.headers()) {
            headers = null;
        }
        write(new NatsServerOp.Msg(delivered, sub.sid, replyTo, headers, payload));
        connection.messagesSent(1);
        if (sub.reachedMax()) {
            channel.eventLoop().execute(() -> {
                if (subscriptions.remove(sub.sid, sub)) {
                    close(sub);
                }
            });
        }
    }

    /**
     * Delivers a message addressed to {@code target} to this connection's own subscriptions that match it, without
     * going through the core: used for replies that only the requester can want (no-responders status, JetStream pull
     * deliveries). Returns whether any subscription matched. Must run on the event loop.
     */
    boolean deliverLocally(String target, String shownSubject, String replyTo, byte[] headers, byte[] payload) {
        List<NatsSubscription> subs = localSubscriptions(target);
        for (NatsSubscription sub : subs) {
            deliver(sub, shownSubject, replyTo, headers, payload);
        }
        return !subs.isEmpty();
    }

    /**
     * This connection's subscriptions that match {@code target}, as a snapshot (delivering may remove one that
     * reached its maximum). Must run on the event loop.
     */
    List<NatsSubscription> localSubscriptions(String target) {
        assert channel.eventLoop().inEventLoop();
        List<NatsSubscription> out = null;
        for (NatsSubscription sub : subscriptions.values()) {
            if (NatsSubjectMatch.matches(sub.subject, target)) {
                if (out == null) {
                    out = new ArrayList<>(2);
                }
                out.add(sub);
            }
        }
        return out == null ? List.of() : out;
    }

    /** Runs a task on this connection's event loop. */
    void execute(Runnable task) {
        channel.eventLoop().execute(task);
    }

    private static long accountedSize(NatsServerOp.Msg msg) {
        return msg.bodySize() + msg.subject().length() + 48L;
    }

    private void write(NatsServerOp.Msg msg) {
        long size = accountedSize(msg);
        long pending = pendingBytes.addAndGet(size);
        if (pending > server.config().maxPending()) {
            slowConsumer();
            pendingBytes.addAndGet(-size);
            return;
        }
        outbound.offer(msg);
        if (drainScheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(drainTask);
        }
    }

    /** The first buffer of a burst; later ones are {@link #BURST_BUFFER_BYTES}, so a lone PubAck stays small. */
    private static final int FIRST_BUFFER_BYTES = 4 << 10;
    private static final int BURST_BUFFER_BYTES = 64 << 10;

    /**
     * Encodes every queued delivery into as few buffers as fit them and flushes once: one buffer per burst instead of
     * one per message saves an allocation and an outbound-buffer entry per message. Only the last write of a burst
     * carries a promise: writes complete in order, so its completion releases the whole burst's bytes from the
     * {@code max_pending} account. Event loop only.
     */
    private void drain() {
        // Cleared before polling: a delivery queued after the last poll below schedules a new drain.
        drainScheduled.set(false);
        ByteBuf buf = null;
        long bytes = 0;
        for (NatsServerOp.Msg m; (m = outbound.poll()) != null; ) {
            int size = NatsServerEncoder.maxEncodedSize(m);
            if (buf != null && buf.writableBytes() < size) {
                channel.write(buf, channel.voidPromise());
                buf = channel.alloc().ioBuffer(Math.max(size, BURST_BUFFER_BYTES));
            } else if (buf == null) {
                buf = channel.alloc().ioBuffer(Math.max(size, FIRST_BUFFER_BYTES));
            }
            NatsServerEncoder.encode(m, buf);
            bytes += accountedSize(m);
        }
        if (buf == null) {
            return;
        }
        long burst = bytes;
        ChannelPromise promise = channel.newPromise();
        promise.addListener(f -> pendingBytes.addAndGet(-burst));
        channel.write(buf, promise);
        channel.flush();
    }

    private void slowConsumer() {
        if (cutOff.compareAndSet(false, true)) {
            server.metrics().slowConsumers.increment();
            LOG.info("NATS connection {} cut off as a slow consumer: more than {} bytes pending", clientId,
                    server.config().maxPending());
            channel.eventLoop().execute(() -> channel.writeAndFlush(NatsServerOp.Err.of(NatsError.SLOW_CONSUMER))
                    .addListener(ChannelFutureListener.CLOSE));
            // The error may never get through a full socket buffer: do not wait for it.
            channel.eventLoop().schedule(() -> channel.close(), 1, TimeUnit.SECONDS);
        }
    }

    /** Writes a control frame in order with this connection's other output. Event loop only. */
    void send(NatsServerOp op) {
        control(op);
    }

    /** Writes a control frame after the deliveries queued before it, so that the connection's output keeps order. */
    private ChannelFuture control(NatsServerOp op) {
        drain();
        return channel.writeAndFlush(op);
    }

    private void ok() {
        NatsConnectOptions o = options;
        if (o != null && o.verbose()) {
            control(NatsServerOp.Ok.INSTANCE);
        }
    }

    private void error(NatsError error) {
        control(NatsServerOp.Err.of(error));
        if (error.fatal()) {
            channel.close();
        }
    }

    private void fail(NatsError error) {
        if (cutOff.compareAndSet(false, true)) {
            channel.writeAndFlush(NatsServerOp.Err.of(error)).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void ping() {
        if (pingsOut >= server.config().maxPingsOut()) {
            fail(NatsError.STALE_CONNECTION);
            return;
        }
        pingsOut++;
        control(NatsServerOp.Ping.INSTANCE);
    }
}
