package io.sluice.protocol.resp.session;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.sluice.protocol.resp.codec.RespCommand;
import io.sluice.protocol.resp.codec.RespProtocolError;
import io.sluice.protocol.resp.codec.RespReply;
import io.sluice.protocol.resp.codec.RespReplyEncoder;
import io.sluice.protocol.resp.codec.RespVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * One Redis client connection: runs decoded commands one after another and writes their replies in order.
 *
 * <p><b>Threading.</b> Every field is owned by the channel's event loop. A command that waits on the broker (an
 * append, a blocking XREAD) returns an incomplete stage; further commands queue up behind it (pipelining keeps
 * working, replies stay in order; only runs of XADDs, or of XACKs, overlap, see {@link Overlap}) and reading from the socket
 * pauses once {@link #MAX_QUEUED} commands wait. The
 * stage's completion hops back to the event loop before touching state. Out-of-band writes (pub/sub messages) come
 * through {@link #push}, which also hops to the event loop.
 *
 * <p><b>Lifecycle.</b> Created per accepted channel; {@link #channelInactive} releases subscriptions and blocked
 * reads through the close hooks registered by commands.
 */
public final class RespSession extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(RespSession.class);

    /** Commands allowed to wait behind a busy one before the socket stops being read. */
    static final int MAX_QUEUED = 1024;
    /** redis-server's default hard limit for pub/sub clients' output buffers. */
    static final long MAX_PENDING_PUSH_BYTES = 32L * 1024 * 1024;

    private final RespServerContext server;
    private final RespReplyEncoder encoder;
    private final long clientId;
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private final ArrayDeque<Runnable> closeHooks = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    /** Replies not yet written, oldest first; what may follow the head is limited by {@link #overlap}. */
    private final ArrayDeque<CompletableFuture<RespReply>> inflight = new ArrayDeque<>();
    /** Which commands may still start while {@link #inflight} is not empty. */
    private Overlap overlap = Overlap.NONE;
    private boolean closing;
    private boolean authenticated;
    private String clientName;
    private String libName;
    private String libVersion;
    private final long createdAtMillis;
    private RespPubSub pubSub;
    /** Cancels the one blocking read this connection waits in (commands run one at a time), or null. */
    private Runnable blockedCancel;
    /** The last command {@link #indexLags} answered for, and its answer. */
    private RespCommand lagChecked;
    private boolean lagAnswer;
    /** XADDs held until the read burst ends or another command needs them appended first. */
    private final RespAppendBatch appends;
    /** Between a channelRead and its channelReadComplete: more commands of the same burst may still come. */
    private boolean reading;
    /**
     * Small replies of the current event-loop task, encoded back to back and written as one buffer when the task ends
     * (or before anything else is written): a pipelined burst of hundreds of XADD or XACK replies is one outbound
     * message and one iovec instead of hundreds. Null when empty; never held across tasks.
     */
    private io.netty.buffer.ByteBuf batched;
    /** Replies above this size (a long XREADGROUP answer) are written on their own, in a buffer of their size. */
    static final int BATCHED_REPLY_MAX = 8 * 1024;
    /** A batch is written once it holds this much. */
    static final int BATCH_BYTES = 64 * 1024;
    /** Whether an {@link #onCompletion} task is queued and has not started yet (set from any thread). */
    private final java.util.concurrent.atomic.AtomicBoolean completionQueued =
            new java.util.concurrent.atomic.AtomicBoolean();

    RespSession(RespServerContext server, RespReplyEncoder encoder) {
        this.server = server;
        this.encoder = encoder;
        this.clientId = server.nextClientId();
        this.authenticated = !server.authRequired();
        this.createdAtMillis = server.clock().millis();
        this.appends = new RespAppendBatch(server.streams());
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        server.connections().incrementAndGet();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof RespCommand) && !(msg instanceof RespProtocolError)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (closing) {
            return;
        }
        reading = true;
        queue.add(msg);
        if (queue.size() >= MAX_QUEUED) {
            ctx.channel().config().setAutoRead(false);
        }
        drain();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        reading = false;
        appends.flush();
        writeBatched();
        ctx.flush();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        server.connections().decrementAndGet();
        closing = true;
        appends.flush(); // commands the client sent are carried out, as redis-server does; their replies are dropped
        if (batched != null) {
            batched.release();
            batched = null;
        }
        queue.clear();
        inflight.clear();
        if (blockedCancel != null) {
            Runnable cancel = blockedCancel;
            blockedOn(null);
            cancel.run();
        }
        while (!closeHooks.isEmpty()) {
            try {
                closeHooks.pop().run();
            } catch (RuntimeException e) {
                LOG.warn("resp: close hook failed for client {}", clientId, e);
            }
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("resp: closing client {} after {}", clientId, cause.toString());
        io.sluice.transport.ProtocolContext.connection(ctx.channel()).error(cause);
        ctx.close();
    }

    /**
     * Which commands may start before the replies ahead of them are written. A command's effects are issued when it
     * starts, so overlapping is only allowed where issue order alone keeps Redis's one-command-at-a-time semantics:
     * <ul>
     *   <li>{@link #APPEND}: consecutive XADDs to existing streams. Their appends are issued in order under the
     *       stream's lock, so ids and offsets still grow together; the plain ones of a read burst are held and
     *       appended as one record batch per stream ({@link RespAppendBatch}), the others one by one, and storage
     *       covers many with one group commit.</li>
     *   <li>{@link #ACK}: consecutive XACKs, then at most one XREADGROUP. Ids resolve in memory and every group
     *       operation runs on the group's serial executor in issue order, so the read sees the acknowledgements
     *       before it exactly as if it had waited for their replies (a consumer's XACK-then-XREADGROUP loop no longer
     *       waits for the acknowledgement's durable write before asking for more). Nothing overlaps the read.</li>
     * </ul>
     */
    private enum Overlap { NONE, APPEND, ACK }

    /**
     * Runs queued commands until one has to wait or the queue is empty. Replies leave in command order: a command
     * that waits is kept in {@link #inflight} and later commands wait behind it, except as {@link Overlap} allows;
     * overlapped replies are still written in order.
     */
    private void drain() {
        while (!closing && !queue.isEmpty()) {
            Object next = queue.peek();
            lagChecked = null; // asked afresh for each attempt to start a command, then reused by execute()
            Overlap kind = next instanceof RespCommand c ? overlapKind(c) : Overlap.NONE;
            if (!inflight.isEmpty()) {
                if (overlap == Overlap.APPEND && kind == Overlap.APPEND) {
                    // another append in the same run
                } else if (overlap == Overlap.ACK && kind == Overlap.ACK) {
                    // another acknowledgement in the same run
                } else if (overlap == Overlap.ACK && isGroupRead((RespCommand) next)) {
                    overlap = Overlap.NONE; // the read ends the run
                } else {
                    break;
                }
            }
            queue.poll();
            if (next instanceof RespProtocolError error) {
                closing = true;
                writeBatched();
                // Half-close after the reply and keep discarding input for a moment: closing with unread input
                // would send a reset, which can destroy the reply before a client that is still writing reads it.
                ctx.writeAndFlush(error.reply()).addListener(f -> {
                    if (ctx.channel() instanceof io.netty.channel.socket.SocketChannel sc && sc.isActive()) {
                        sc.shutdownOutput().addListener(x -> ctx.executor().schedule(() -> {
                            ctx.close();
                        }, 1, java.util.concurrent.TimeUnit.SECONDS));
                    } else {
                        ctx.close();
                    }
                });
                return;
            }
            CompletionStage<RespReply> stage;
            try {
                stage = execute((RespCommand) next);
            } catch (RespCommandException e) {
                stage = CompletableFuture.completedFuture(e.reply());
            } catch (RuntimeException e) {
                LOG.warn("resp: command failed for client {}", clientId, e);
                stage = CompletableFuture.completedFuture(RespErrors.error("ERR " + e));
            }
            if (stage == null) {
                continue;
            }
            CompletableFuture<RespReply> f = stage.toCompletableFuture();
            if (inflight.isEmpty() && f.isDone()) {
                write(f);
                continue;
            }
            if (inflight.isEmpty()) {
                overlap = kind;
            }
            inflight.add(f);
            f.whenComplete((r, e) -> completed());
        }
        if (!reading || !queue.isEmpty()) {
            appends.flush(); // nothing more comes in this burst, or a command waits for what is held
        }
        if (inflight.isEmpty() && queue.size() < MAX_QUEUED / 2 && !closing && !ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /** Queues one {@link #onCompletion} for any number of replies completed meanwhile, from any thread. */
    private void completed() {
        if (completionQueued.compareAndSet(false, true)) {
            ctx.executor().execute(() -> {
                completionQueued.set(false);
                onCompletion();
            });
        }
    }

    private void onCompletion() {
        while (!inflight.isEmpty() && inflight.peek().isDone()) {
            CompletableFuture<RespReply> f = inflight.poll();
            if (!closing) {
                write(f);
            }
        }
        if (!closing) {
            drain();
        }
        writeBatched();
        ctx.flush();
    }

    /** The overlap class of a command ({@link Overlap}); NONE for anything that must wait its turn. */
    private Overlap overlapKind(RespCommand c) {
        if (!authenticated || (version() == RespVersion.RESP2 && subscriptionCount() > 0)) {
            return Overlap.NONE;
        }
        String name = c.name();
        if (indexLags(c)) {
            return Overlap.NONE; // execute() will first catch the index up off the loop: nothing may pass it
        }
        if (c.argc() >= 4 && name.equals("xack")) {
            return Overlap.ACK;
        }
        if (c.argc() < 5 || !name.equals("xadd")) {
            return Overlap.NONE;
        }
        try {
            return server.streams().exists(c.key()) ? Overlap.APPEND : Overlap.NONE;
        } catch (RuntimeException e) {
            return Overlap.NONE;
        }
    }

    private static boolean isGroupRead(RespCommand c) {
        return c.name().equals("xreadgroup");
    }

    private void write(CompletableFuture<RespReply> f) {
        RespReply reply;
        try {
            reply = f.join();
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof RespCommandException rce) {
                reply = rce.reply();
            } else if (cause instanceof io.sluice.core.SluiceException se) {
                // A catalogued core refusal (bad name, stream deleted meanwhile, ...): an error reply, not a fault.
                LOG.debug("resp: client {}: {}", clientId, se.toString());
                reply = RespErrors.error("ERR " + se.getMessage());
            } else {
                LOG.warn("resp: command failed for client {}", clientId, cause);
                reply = RespErrors.error("ERR " + cause.getMessage());
            }
        }
        if (reply != null) {
            writeReply(reply);
        }
    }

    /** Writes {@code reply} after everything before it: into {@link #batched} when small, else on its own. */
    private void writeReply(RespReply reply) {
        if (!RespReplyEncoder.sizeAtMost(reply, BATCHED_REPLY_MAX)) {
            writeBatched();
            ctx.write(reply);
            return;
        }
        if (batched == null) {
            batched = ctx.alloc().ioBuffer(1024);
        }
        RespReplyEncoder.write(reply, version(), batched);
        if (batched.readableBytes() >= BATCH_BYTES) {
            writeBatched();
        }
    }

    /** Hands {@link #batched} to the channel (not flushed). */
    private void writeBatched() {
        io.netty.buffer.ByteBuf b = batched;
        if (b != null) {
            batched = null;
            ctx.write(b);
        }
    }

    private CompletionStage<RespReply> execute(RespCommand cmd) {
        String name = cmd.name();
        RespCommandTable.Spec spec = server.commands().find(name);
        if (spec == null) {
            return done(RespErrors.unknownCommand(cmd));
        }
        if (!authenticated && !spec.beforeAuth()) {
            return done(RespErrors.error(RespErrors.NOAUTH));
        }
        if (!spec.arityOk(cmd.argc())) {
            return done(RespErrors.wrongArity(name));
        }
        if (version() == RespVersion.RESP2 && subscriptionCount() > 0 && !spec.inSubscribeMode()) {
            return done(RespErrors.notAllowedInSubscribeMode(name));
        }
        if (indexLags(cmd)) {
            String key = indexedKey(cmd);
            // The first id lookup on a stream scans it: do that on the read executor, then run the command here.
            // drain() never overlaps such a command (overlapKind), so nothing is issued out of order meanwhile.
            return server.offLoop(() -> {
                server.streams().warmUp(key);
                return null;
            }).thenComposeAsync(x -> {
                CompletionStage<RespReply> stage = spec.handler().handle(this, cmd);
                appends.flush(); // not run from drain(), which would otherwise see to it
                return stage;
            }, ctx.executor());
        }
        if (!appends.isEmpty() && !name.equals("xadd")) {
            appends.flush(); // drain() starts nothing but XADDs behind held ones; this keeps it true for any caller
        }
        return spec.handler().handle(this, cmd);
    }

    /**
     * Whether {@code c} resolves entry ids on a stream whose id index must first be caught up off the loop. drain()
     * asks before starting a command, then execute() asks again: the second answer is the first one (three stream
     * lookups fewer per XACK).
     */
    private boolean indexLags(RespCommand c) {
        if (c != lagChecked) {
            String key = indexedKey(c);
            lagChecked = c;
            lagAnswer = key != null && server.streams().indexLags(key);
        }
        return lagAnswer;
    }

    /**
     * The stream key of a command that resolves entry ids through the id index, or null: the key is argument 1 of
     * XACK, XCLAIM, XAUTOCLAIM, XPENDING, XRANGE, XREVRANGE, XDEL, XTRIM, XSETID and of XADD with MINID, argument 2
     * of XGROUP and XINFO. (XREAD's lookups already run on the read executor; XREADGROUP {@code >} needs no ids.)
     */
    private static String indexedKey(RespCommand c) {
        String name = c.name();
        if (name.length() < 4 || name.charAt(0) != 'x' || c.argc() < 2) {
            return null;
        }
        return switch (name) {
            case "xack", "xclaim", "xautoclaim", "xpending", "xrange", "xrevrange", "xdel", "xtrim", "xsetid" ->
                    c.key();
            case "xadd" -> hasMinId(c) ? c.key() : null;
            case "xgroup", "xinfo" -> c.argc() > 2 ? c.argString(2) : null;
            default -> null;
        };
    }

    /** XADD with MINID (MAXLEN counts offsets and needs no ids); options come before the id, within 6 arguments. */
    private static boolean hasMinId(RespCommand c) {
        for (int i = 2; i < Math.min(c.argc(), 6); i++) {
            if (c.arg(i).length == 5 && c.argString(i).equalsIgnoreCase("minid")) {
                return true;
            }
        }
        return false;
    }

    RespAppendBatch appends() {
        return appends;
    }

    static CompletionStage<RespReply> done(RespReply reply) {
        return CompletableFuture.completedFuture(reply);
    }

    // ---- state used by command handlers (event loop only) ----

    RespServerContext server() {
        return server;
    }

    long clientId() {
        return clientId;
    }

    RespVersion version() {
        return encoder.version();
    }

    void version(RespVersion v) {
        encoder.version(v);
    }

    boolean authenticated() {
        return authenticated;
    }

    void authenticated(boolean v) {
        authenticated = v;
    }

    String clientName() {
        return clientName;
    }

    void clientName(String name) {
        clientName = name;
        io.sluice.transport.ProtocolContext.connection(ctx.channel()).clientName(name);
    }

    void libInfo(String name, String version) {
        if (name != null) {
            libName = name;
        }
        if (version != null) {
            libVersion = version;
        }
    }

    /** Writes a reply now (for handlers that answer more than once); flushed at the end of the read. */
    void write(RespReply reply) {
        writeReply(reply);
    }

    /**
     * Writes an out-of-band message from any thread, in the connection's current dialect. A subscriber that lets more
     * than {@link #MAX_PENDING_PUSH_BYTES} pile up unread is disconnected, as redis-server's pubsub output buffer
     * limit does, so one slow reader cannot exhaust the broker's memory.
     */
    void push(RespReply reply) {
        if (ctx.executor().inEventLoop()) {
            pushNow(reply);
        } else {
            ctx.executor().execute(() -> pushNow(reply));
        }
    }

    private void pushNow(RespReply reply) {
        if (closing) {
            return;
        }
        var out = ctx.channel().unsafe().outboundBuffer();
        writeBatched(); // only non-empty when pushed from inside this connection's own task
        if (out != null && out.totalPendingWriteBytes() > MAX_PENDING_PUSH_BYTES) {
            LOG.info("resp: closing client {}: pub/sub output above {} bytes", clientId, MAX_PENDING_PUSH_BYTES);
            closing = true;
            ctx.close();
            return;
        }
        ctx.writeAndFlush(reply);
    }

    /** Answers OK, flushes and closes: QUIT. */
    void closeAfter(RespReply reply) {
        closing = true;
        queue.clear();
        writeBatched();
        ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * Marks this client as waiting in a blocking read (INFO's {@code blocked_clients}), with what cancels the wait if
     * the connection closes first; null marks the wait over.
     */
    void blockedOn(Runnable cancel) {
        if ((blockedCancel == null) != (cancel == null)) {
            server.blockedClients().addAndGet(cancel == null ? -1 : 1);
        }
        blockedCancel = cancel;
    }

    /** Registers cleanup run once when the connection goes away. */
    void onClose(Runnable hook) {
        closeHooks.push(hook);
    }

    io.netty.util.concurrent.EventExecutor executor() {
        return ctx.executor();
    }

    boolean isOpen() {
        return !closing && ctx.channel().isActive();
    }

    RespPubSub pubSub() {
        if (pubSub == null) {
            pubSub = new RespPubSub(this);
        }
        return pubSub;
    }

    int subscriptionCount() {
        return pubSub == null ? 0 : pubSub.count();
    }

    /** {@code CLIENT INFO}/{@code CLIENT LIST} line, with redis-server's field names for the fields we know. */
    String infoLine() {
        long now = server.clock().millis();
        return "id=" + clientId
                + " addr=" + address(ctx.channel().remoteAddress())
                + " laddr=" + address(ctx.channel().localAddress())
                + " name=" + (clientName == null ? "" : clientName)
                + " age=" + (now - createdAtMillis) / 1000
                + " db=0"
                + " sub=" + (pubSub == null ? 0 : pubSub.channelCount())
                + " psub=" + (pubSub == null ? 0 : pubSub.patternCount())
                + " multi=-1"
                + " cmd=client|info"
                + " user=default"
                + " resp=" + version().number()
                + " lib-name=" + (libName == null ? "" : libName)
                + " lib-ver=" + (libVersion == null ? "" : libVersion)
                + "\n";
    }

    private static String address(SocketAddress a) {
        if (a instanceof InetSocketAddress inet) {
            return inet.getAddress().getHostAddress() + ":" + inet.getPort();
        }
        return String.valueOf(a);
    }
}
