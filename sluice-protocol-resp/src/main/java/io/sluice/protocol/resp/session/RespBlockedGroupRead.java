package io.sluice.protocol.resp.session;

import io.sluice.core.queue.Delivery;
import io.sluice.core.queue.DeliveryGroup;
import io.sluice.protocol.resp.codec.RespReply;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The BLOCK wait of an XREADGROUP {@code >} on one stream: the wait is the core group's own long-poll
 * ({@link DeliveryGroup#fetch} with a wait), which completes on the group's executor as soon as an entry can be
 * handed out (for a caught-up group, on the log writer that made it readable), so a new entry reaches the client in
 * one hop (group turn → event loop). The general loop of
 * {@link RespBlocking} (several keys, XREAD) needs three: the writer's watermark wake-up to the event loop, a fetch
 * to the group's executor, and its answer back.
 *
 * <p>Blocked clients of one group are served first come, first served, as redis-server serves them. BLOCK 0 waits in
 * slices of {@value RespBlocking#MAX_WAIT_MS} ms. If the connection closes while the fetch waits, the fetch is
 * cancelled, so no entry is handed to the gone client; an entry the group handed out in the instant before the cancel
 * stays pending for that consumer, exactly as if the client had failed just after reading its reply (XAUTOCLAIM
 * recovers it).
 *
 * <p>Threading: started and finished on the connection's event loop; the group's answer hops back there.
 */
final class RespBlockedGroupRead {

    private final RespSession session;
    private final DeliveryGroup group;
    private final String consumer;
    private final int max;
    private final boolean noAck;
    private final Function<List<Delivery>, CompletableFuture<RespReply>> answer;
    private final long deadlineNanos;
    private final CompletableFuture<RespReply> result = new CompletableFuture<>();

    private RespBlockedGroupRead(RespSession session, DeliveryGroup group, String consumer, int max, boolean noAck,
                                 long blockMs, Function<List<Delivery>, CompletableFuture<RespReply>> answer) {
        this.session = session;
        this.group = group;
        this.consumer = consumer;
        this.max = max;
        this.noAck = noAck;
        this.answer = answer;
        this.deadlineNanos = RespBlocking.deadline(blockMs);
    }

    /**
     * Fetches up to {@code max} new entries for {@code consumer}, waiting up to {@code blockMs} (0 = forever) for the
     * first; completes with {@code answer}'s reply, which is null when every fetched entry was dropped (the wait then
     * goes on), or with the null-array reply when the time is up.
     */
    static CompletableFuture<RespReply> run(RespSession session, DeliveryGroup group, String consumer, int max,
                                            boolean noAck, long blockMs,
                                            Function<List<Delivery>, CompletableFuture<RespReply>> answer) {
        RespBlockedGroupRead r = new RespBlockedGroupRead(session, group, consumer, max, noAck, blockMs, answer);
        r.next();
        return r.result;
    }

    private void next() {
        if (!session.isOpen()) {
            result.complete(null);
            return;
        }
        long waitMs = RespBlocking.nextWaitMs(deadlineNanos);
        if (waitMs == 0) {
            result.complete(RespReply.NULL_ARRAY);
            return;
        }
        CompletableFuture<List<Delivery>> fetch;
        try {
            fetch = group.fetch(consumer, max, waitMs, noAck);
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            return;
        }
        session.blockedOn(() -> fetch.cancel(false));
        fetch.thenCompose(answer).whenComplete((reply, err) -> session.executor().execute(() -> {
            session.blockedOn(null);
            if (err != null) {
                result.completeExceptionally(err);
            } else if (reply != null) {
                result.complete(reply);
            } else {
                next();
            }
        }));
    }
}
