package io.sluice.protocol.amqp.session;

import io.netty.buffer.Unpooled;
import io.sluice.core.Broker;
import io.sluice.core.CallContext;
import io.sluice.core.ErrorCode;
import io.sluice.core.Message;
import io.sluice.core.SluiceException;
import io.sluice.core.route.ExchangeSpec;
import io.sluice.protocol.amqp.codec.AmqpBasic;
import io.sluice.protocol.amqp.codec.AmqpBasicProperties;
import io.sluice.protocol.amqp.codec.AmqpCommand;
import io.sluice.protocol.amqp.codec.AmqpConfirm;
import io.sluice.protocol.amqp.codec.AmqpMethod;
import io.sluice.protocol.amqp.codec.AmqpReplyCode;
import io.sluice.protocol.amqp.codec.AmqpTx;
import io.sluice.storage.record.Header;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import static io.sluice.protocol.amqp.session.AmqpChannelSession.EXCHANGE_HEADER;

/**
 * One channel's publishing side: basic.publish into the core's exchanges, publisher confirms (the channel's
 * sequence numbers, ack or nack per publish once its core append completed) and transactions (tx.select: publishes
 * and acknowledgements are held until tx.commit runs them, tx.rollback drops them).
 *
 * <p>Publishes are pipelined steps of the channel ({@link AmqpChannelSession}): many may be in flight at once, so
 * the confirm window of a client reaches the store as concurrent appends. Their confirms are coalesced
 * ({@link AmqpConfirms}): sent in order at the end of the loop iteration in which the appends completed. A confirm
 * still follows the append's completion, so in fsync mode it is only sent for a message already durable. Confined
 * to the connection's event loop.
 */
final class AmqpPublishing {

    private final int number;
    private final AmqpChannelSession channel;
    private final AmqpConnectionSession conn;
    private final Broker broker;
    private final CallContext ctx;
    private final AmqpDeclarations declarations;

    private boolean confirmMode;
    private long publishSeq;
    private boolean txMode;
    private List<Supplier<CompletableFuture<Runnable>>> txOps = new ArrayList<>();
    private String lastExchange;
    private Header lastExchangeHeader;
    private final AmqpConfirms confirms = new AmqpConfirms();
    private boolean confirmsScheduled;
    private final Runnable sendConfirmsTask = () -> {
        confirmsScheduled = false;
        sendConfirms();
    };
    private final AmqpConfirms.Sink confirmSink = new AmqpConfirms.Sink() {
        @Override
        public void ack(long seq, boolean multiple) {
            conn.sendMethod(number, new AmqpBasic.Ack(seq, multiple));
        }

        @Override
        public void nack(long seq) {
            conn.sendMethod(number, new AmqpBasic.Nack(seq, false, false));
        }
    };

    AmqpPublishing(int number, AmqpChannelSession channel, AmqpConnectionSession conn,
                   AmqpDeclarations declarations) {
        this.number = number;
        this.channel = channel;
        this.conn = conn;
        this.broker = conn.broker();
        this.ctx = conn.callContext();
        this.declarations = declarations;
    }

    /** A publish whose content is complete: its confirm number is taken now, in arrival order. */
    void assembled(AmqpBasic.Publish p, AmqpBasicProperties props, byte[] bytes) {
        long seq = confirmMode ? ++publishSeq : 0;
        submit(p, () -> publish(p, props, bytes, seq));
    }

    /**
     * Runs publish or acknowledgement work as a pipelined step now, or, in a transaction, at the next commit (in
     * the order it arrived).
     */
    void submit(AmqpMethod method, Supplier<CompletableFuture<Runnable>> action) {
        if (txMode) {
            txOps.add(action);
        } else {
            channel.enqueue(true, method, action);
        }
    }

    boolean inTransaction() {
        return txMode;
    }

    void confirmSelect(AmqpConfirm.Select s) {
        if (txMode) {
            throw AmqpErrors.error(AmqpReplyCode.PRECONDITION_FAILED, "cannot switch from tx to confirm mode", s);
        }
        confirmMode = true;
        if (!s.noWait()) {
            conn.sendMethod(number, new AmqpConfirm.SelectOk());
        }
    }

    void txSelect(AmqpTx.Select s) {
        if (confirmMode) {
            throw AmqpErrors.error(AmqpReplyCode.PRECONDITION_FAILED, "cannot switch from confirm to tx mode", s);
        }
        txMode = true;
        conn.sendMethod(number, new AmqpTx.SelectOk());
    }

    void rollback(AmqpTx.Rollback r) {
        if (!txMode) {
            throw AmqpErrors.error(AmqpReplyCode.PRECONDITION_FAILED, "channel is not transactional", r);
        }
        txOps = new ArrayList<>();
        conn.sendMethod(number, new AmqpTx.RollbackOk());
    }

    /** Drops held transactional work (the channel is closing). */
    void release() {
        txOps.clear();
    }

    private CompletableFuture<Runnable> publish(AmqpBasic.Publish p, AmqpBasicProperties props, byte[] body,
                                                long seq) {
        if (props.userId() != null && !props.userId().equals(conn.user())) {
            throw AmqpErrors.error(AmqpReplyCode.PRECONDITION_FAILED, "user_id property set to '" + props.userId()
                    + "' but authenticated user was '" + conn.user() + "'", p);
        }
        Optional<ExchangeSpec> exchange = broker.exchanges().describe(ctx, p.exchange());
        if (exchange.isEmpty()) {
            throw AmqpErrors.error(AmqpReplyCode.NOT_FOUND, "no exchange '" + p.exchange() + "' in vhost '"
                    + declarations.vhost() + "'", p);
        }
        if (exchange.get().internal()) {
            throw AmqpErrors.error(AmqpReplyCode.ACCESS_REFUSED, "cannot publish to internal exchange '"
                    + p.exchange() + "' in vhost '" + declarations.vhost() + "'", p);
        }
        Message m = AmqpMessages.toMessage(p.routingKey(), props, body, exchangeHeader(p.exchange()));
        Map<String, Object> routingHeaders = props.headers() == null ? Map.of() : props.headers().toJava();
        return broker.exchanges().publish(ctx, p.exchange(), p.routingKey(), routingHeaders, m)
                .handle((result, err) -> () -> {
                    if (err != null) {
                        SluiceException s = SluiceException.from(err);
                        if (confirmMode && s.code() == ErrorCode.QUEUE_FULL) {
                            confirmed(seq, false);
                            return;
                        }
                        // the confirms of the publishes before this one go out before the channel closes
                        sendConfirms();
                        throw AmqpErrors.from(s, p);
                    }
                    if (p.mandatory() && result.unroutable()) {
                        // sent now, so it precedes the (coalesced) confirm of the same publish, as AMQP requires
                        conn.send(new AmqpCommand(number, new AmqpBasic.Return(312, "NO_ROUTE", p.exchange(),
                                p.routingKey()), props, Unpooled.wrappedBuffer(body)));
                    }
                    if (confirmMode) {
                        confirmed(seq, result.rejected() == 0);
                    }
                });
    }

    /**
     * Records a publish's confirm; the confirms of one loop iteration are sent together at its end (a run of acks
     * as one multiple ack), in sequence order.
     */
    private void confirmed(long seq, boolean ack) {
        confirms.record(seq, ack);
        if (!confirmsScheduled) {
            confirmsScheduled = true;
            conn.afterIteration(sendConfirmsTask);
        }
    }

    /** Sends the recorded confirms that are due now (before a reply that must follow them, or at a close). */
    void sendConfirms() {
        if (confirms.hasRecorded() && channel.isOpen()) {
            confirms.drain(confirmSink);
        }
    }

    /** The header naming the exchange of a publish; the last one is kept, as a publisher mostly uses one. */
    private Header exchangeHeader(String exchange) {
        Header h = lastExchangeHeader;
        if (h == null || !exchange.equals(lastExchange)) {
            h = new Header(EXCHANGE_HEADER, exchange.getBytes(StandardCharsets.UTF_8));
            lastExchange = exchange;
            lastExchangeHeader = h;
        }
        return h;
    }

    CompletableFuture<Runnable> commit(AmqpTx.Commit c) {
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
}
