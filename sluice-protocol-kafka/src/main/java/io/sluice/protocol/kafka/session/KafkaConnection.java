package io.sluice.protocol.kafka.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.sluice.core.CallContext;
import io.sluice.protocol.kafka.codec.KafkaProtocolException;
import io.sluice.protocol.kafka.codec.KafkaRequest;
import io.sluice.protocol.kafka.codec.KafkaResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * One client connection: decodes request headers, hands requests to the dispatcher one at a time and writes the
 * responses in request order, which Kafka clients require (they match responses to requests by order and check the
 * correlation id). Like Kafka's socket server, a connection has at most one request in processing; later requests
 * wait in a queue, and reading from the socket pauses while the queue is long.
 *
 * <p>All state is touched on the channel's event loop only.
 */
public final class KafkaConnection extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaConnection.class);
    private static final int MAX_QUEUED = 16;

    private final KafkaDispatcher dispatcher;
    private final CallContext call;
    private final ArrayDeque<KafkaRequest> queue = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private String clientHost = "";
    private boolean busy;
    private boolean closed;

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
        if (queue.size() >= MAX_QUEUED) {
            ctx.channel().config().setAutoRead(false);
        }
        if (!busy) {
            processNext();
        }
    }

    private void processNext() {
        KafkaRequest req = queue.poll();
        if (req == null || closed) {
            busy = false;
            if (req != null) {
                req.release();
            }
            return;
        }
        busy = true;
        if (queue.size() < MAX_QUEUED / 2 && !ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
        }
        dispatcher.dispatch(req, clientHost, call).whenComplete((resp, err) -> {
            if (ctx.executor().inEventLoop()) {
                done(req, resp, err);
            } else {
                ctx.executor().execute(() -> done(req, resp, err));
            }
        });
    }

    private void done(KafkaRequest req, KafkaResponse resp, Throwable err) {
        req.release();
        if (err != null) {
            fail(err);
            return;
        }
        if (resp != null && !closed) {
            ctx.writeAndFlush(resp).addListener(f -> {
                if (!f.isSuccess()) {
                    LOG.debug("write failed on {}", ctx.channel(), f.cause());
                    ctx.close();
                }
            });
        }
        processNext();
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
        closed = true;
        busy = false;
        KafkaRequest r;
        while ((r = queue.poll()) != null) {
            r.release();
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        closed = true;
        KafkaRequest r;
        while ((r = queue.poll()) != null) {
            r.release();
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("connection error on {}", ctx.channel(), cause);
        io.sluice.transport.ProtocolContext.connection(ctx.channel()).error(cause);
        closeNow();
    }
}
