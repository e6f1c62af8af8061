package io.sluice.protocol.kafka.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.sluice.core.CallContext;
import io.sluice.protocol.kafka.codec.KafkaProtocolException;
import io.sluice.protocol.kafka.codec.KafkaRequest;
import io.sluice.protocol.kafka.codec.KafkaResponse;
import io.sluice.protocol.kafka.message.KafkaApiKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * One client connection: decodes request headers, hands requests to the dispatcher and writes the responses in
 * request order, which Kafka clients require (they match responses to requests by order and check the correlation
 * id). Later requests wait in a queue, and reading from the socket pauses while the queue is long.
 *
 * <p>Like Kafka's socket server, a connection normally has one request in processing. The exception is a run of
 * Produce requests: the next Produce is dispatched as soon as the previous one has <i>enqueued</i> its appends
 * (the handler returned), not when they completed. Appends of one partition are ordered by that enqueueing, so the
 * log sees the batches in request order (idempotent sequences stay valid), while a producer's in-flight requests
 * (up to {@code max.in.flight.requests.per.connection}, 5 by default) share one fsync of the log (group commit)
 * instead of paying one each. Any other api waits until everything before it completed, so requests whose
 * effects a later request may depend on (AddPartitionsToTxn before Produce, EndTxn after it) keep Kafka's order.
 *
 * <p>All state is touched on the channel's event loop only.
 */
public final class KafkaConnection extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaConnection.class);
    private static final int MAX_QUEUED = 16;

    private final KafkaDispatcher dispatcher;
    private final CallContext call;
    /** Received, not yet dispatched. */
    private final ArrayDeque<KafkaRequest> queue = new ArrayDeque<>();
    /** Dispatched, in request order; the head is the next response to write. */
    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private String clientHost = "";
    private boolean closed;

    /** A dispatched request and, once its handler finished, the outcome. */
    private static final class InFlight {
        final KafkaRequest request;
        boolean done;
        KafkaResponse response;
        Throwable error;

        InFlight(KafkaRequest request) {
            this.request = request;
        }
    }

    public KafkaConnection(KafkaDispatcher dispatcher, CallContext call) {
        this.dispatcher = dispatcher;
        this.call = call;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress a) {
            clientHost = "/" + a.getAddress().getHostAddress();
        }
        super.channelActive(ctx);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closed) {
            ((ByteBuf) msg).release();
            return;
        }
        KafkaRequest req;
        try {
            req = KafkaRequest.parse((ByteBuf) msg);
        } catch (KafkaProtocolException e) {
            fail(e);
            return;
        }
        io.sluice.transport.ProtocolContext.connection(ctx.channel()).clientId(req.clientId()); // shown by the admin API
        queue.add(req);
        if (queue.size() + inFlight.size() >= MAX_QUEUED) {
            ctx.channel().config().setAutoRead(false);
        }
        dispatchReady();
    }

    /** Whether {@code next} may start while the requests in flight have not completed. */
    private boolean mayStart(KafkaRequest next) {
        if (inFlight.isEmpty()) {
            return true;
        }
        if (next.apiKey() != KafkaApiKey.PRODUCE) {
            return false;
        }
        for (InFlight f : inFlight) {
            if (f.request.apiKey() != KafkaApiKey.PRODUCE) {
                return false;
            }
        }
        return true;
    }

    private void dispatchReady() {
        KafkaRequest next;
        while (!closed && (next = queue.peek()) != null && mayStart(next)) {
            queue.poll();
            InFlight f = new InFlight(next);
            inFlight.add(f);
            dispatcher.dispatch(next, clientHost, call, ctx.executor()).whenComplete((resp, err) -> {
                if (ctx.executor().inEventLoop()) {
                    done(f, resp, err);
                } else {
                    ctx.executor().execute(() -> done(f, resp, err));
                }
            });
        }
        if (queue.size() + inFlight.size() < MAX_QUEUED / 2 && !ctx.channel().config().isAutoRead() && !closed) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    private void done(InFlight f, KafkaResponse resp, Throwable err) {
        f.done = true;
        f.response = resp;
        f.error = err;
        if (closed) {
            inFlight.remove(f);
            f.request.release();
            return;
        }
        InFlight head;
        boolean wrote = false;
        while ((head = inFlight.peek()) != null && head.done) {
            inFlight.poll();
            head.request.release();
            if (head.error != null) {
                fail(head.error);
                return;
            }
            if (head.response != null) {
                ctx.write(head.response).addListener(w -> {
                    if (!w.isSuccess()) {
                        LOG.debug("write failed on {}", ctx.channel(), w.cause());
                        ctx.close();
                    }
                });
                wrote = true;
            }
        }
        if (wrote) {
            ctx.flush();
        }
        dispatchReady();
    }

    private void fail(Throwable err) {
        io.sluice.transport.ProtocolContext.connection(ctx.channel()).error(err);
        if (err instanceof KafkaProtocolException) {
            LOG.info("closing {}: {}", ctx.channel().remoteAddress(), err.getMessage());
        } else {
            LOG.warn("closing {} after an unexpected failure", ctx.channel().remoteAddress(), err);
        }
        closeNow();
    }

    private void closeNow() {
        releaseAll();
        ctx.close();
    }

    /** Releases what is queued and what finished but was not written; unfinished requests release in done(). */
    private void releaseAll() {
        closed = true;
        KafkaRequest r;
        while ((r = queue.poll()) != null) {
            r.release();
        }
        for (Iterator<InFlight> it = inFlight.iterator(); it.hasNext(); ) {
            InFlight f = it.next();
            if (f.done) {
                it.remove();
                f.request.release();
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        releaseAll();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("connection error on {}", ctx.channel(), cause);
        io.sluice.transport.ProtocolContext.connection(ctx.channel()).error(cause);
        closeNow();
    }
}
