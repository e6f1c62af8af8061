package io.sluice.protocol.amqp.session;

import io.netty.buffer.Unpooled;
import io.sluice.core.Broker;
import io.sluice.core.CallContext;
import io.sluice.core.ErrorCode;
import io.sluice.core.Message;
import io.sluice.core.SluiceException;
import io.sluice.core.queue.ConsumerSpec;
import io.sluice.core.queue.Delivery;
import io.sluice.core.queue.DeliveryGroup;
import io.sluice.core.queue.DeliveryListener;
import io.sluice.core.queue.QueueInfo;
import io.sluice.core.queue.SharedPrefetch;
import io.sluice.core.queue.Subscription;
import io.sluice.protocol.amqp.codec.AmqpBasic;
import io.sluice.protocol.amqp.codec.AmqpBasicProperties;
import io.sluice.protocol.amqp.codec.AmqpCommand;
import io.sluice.protocol.amqp.codec.AmqpMethod;
import io.sluice.protocol.amqp.codec.AmqpReplyCode;
import io.sluice.protocol.amqp.codec.AmqpTable;
import io.sluice.protocol.amqp.codec.AmqpValue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import static io.sluice.protocol.amqp.session.AmqpChannelSession.EXCHANGE_HEADER;
import static io.sluice.protocol.amqp.session.AmqpChannelSession.done;

/**
 * One channel's consuming side: push consumers (on queues, and on stream queues read from an offset), basic.get,
 * basic.qos, delivery tags and the unacknowledged deliveries behind them, ack/nack/reject and basic.recover.
 *
 * <p>Deliveries arrive from the core on its threads and are written on the connection's event loop; everything
 * here is confined to that loop. Acknowledgements go through {@link AmqpPublishing#submit} so that a transaction
 * holds them until commit.
 */
final class AmqpConsuming {

    /** A delivered, unacknowledged message. */
    private record Unacked(String queue, DeliveryGroup group, long offset, String consumerTag) {
    }

    private final int number;
    private final AmqpChannelSession channel;
    private final AmqpConnectionSession conn;
    private final Broker broker;
    private final CallContext ctx;
    private final AmqpDeclarations declarations;
    private final AmqpPublishing publishing;

    private long nextDeliveryTag = 1;
    private final TreeMap<Long, Unacked> unacked = new TreeMap<>();
    private final Map<String, AmqpConsumer> consumers = new LinkedHashMap<>();
    private int prefetchPerConsumer;
    private int prefetchPerChannel;
    /** basic.qos global=true: one limit over every queue consumer of this channel, as RabbitMQ applies it. */
    private final SharedPrefetch channelPrefetch = new SharedPrefetch(0);

    AmqpConsuming(int number, AmqpChannelSession channel, AmqpConnectionSession conn, AmqpDeclarations declarations,
                  AmqpPublishing publishing) {
        this.number = number;
        this.channel = channel;
        this.conn = conn;
        this.broker = conn.broker();
        this.ctx = conn.callContext();
        this.declarations = declarations;
        this.publishing = publishing;
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
        boolean detached;

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

        /** basic.cancel: no more deliveries, but the client may still settle what it holds, as in RabbitMQ. */
        void detach() {
            cancelled = true;
            detached = true;
            if (subscription != null) {
                subscription.detach();
            }
            if (stream != null) {
                stream.close();
            }
        }
    }

    void qos(AmqpBasic.Qos q) {
        if (q.prefetchSize() != 0) {
            throw AmqpErrors.error(AmqpReplyCode.NOT_IMPLEMENTED, "prefetch_size!=0 (" + q.prefetchSize() + ")", q);
        }
        if (q.global()) {
            prefetchPerChannel = q.prefetchCount();
            channelPrefetch.setLimit(q.prefetchCount());
        } else {
            prefetchPerConsumer = q.prefetchCount();
        }
        conn.sendMethod(number, new AmqpBasic.QosOk());
    }

    void cancel(AmqpBasic.Cancel c) {
        AmqpConsumer consumer = consumers.remove(c.consumerTag());
        if (consumer != null) {
            consumer.detach();
        }
        if (!c.noWait()) {
            conn.sendMethod(number, new AmqpBasic.CancelOk(c.consumerTag()));
        }
    }

    /**
     * Ends consumers and returns the unacknowledged deliveries nobody else returns to their queues (the channel is
     * closing): those of basic.get and of consumers cancelled earlier. A closed subscription returns its own.
     */
    void release() {
        List<Unacked> orphans = unacked.values().stream()
                .filter(u -> u.consumerTag() == null || !consumers.containsKey(u.consumerTag())).toList();
        for (AmqpConsumer c : consumers.values()) {
            c.close();
        }
        consumers.clear();
        requeueAll(orphans);
        unacked.clear();
    }

    private void requeueAll(Collection<Unacked> entries) {
        Map<DeliveryGroup, List<Long>> byGroup = new HashMap<>();
        for (Unacked u : entries) {
            if (u.group() != null) {
                byGroup.computeIfAbsent(u.group(), g -> new ArrayList<>()).add(u.offset());
            }
        }
        byGroup.forEach((g, offsets) -> g.nack(offsets, true, 0));
    }

    void acknowledge(AmqpMethod method, long tag, boolean multiple, boolean negative, boolean requeue) {
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
        publishing.submit(method, action);
    }

    CompletableFuture<Runnable> recover(AmqpMethod method, boolean reply) {
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

    /**
     * The limit of a stream-queue consumer, which reads outside the core's delivery groups and so cannot share the
     * channel's credit: the smaller of the channel's and the consumer's limit.
     */
    private int effectivePrefetch() {
        if (prefetchPerConsumer == 0) {
            return prefetchPerChannel;
        }
        if (prefetchPerChannel == 0) {
            return prefetchPerConsumer;
        }
        return Math.min(prefetchPerConsumer, prefetchPerChannel);
    }

    CompletableFuture<Runnable> consume(AmqpBasic.Consume c) {
        String queue = declarations.queueName(c.queue());
        String tag = c.consumerTag().isEmpty()
                ? "amq.ctag-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) : c.consumerTag();
        if (consumers.containsKey(tag)) {
            throw AmqpErrors.error(AmqpReplyCode.NOT_ALLOWED, "attempt to reuse consumer tag '" + tag + "'", c);
        }
        QueueInfo info = declarations.existingQueue(queue, c);
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
                    prefetchPerConsumer, c.noAck(), c.exclusive(), priority, channelPrefetch);
            try {
                consumer.subscription = group.subscribe(spec, consumer);
            } catch (RuntimeException e) {
                SluiceException s = SluiceException.from(e);
                if (s.code() == ErrorCode.RESOURCE_LOCKED) {
                    throw AmqpErrors.error(AmqpReplyCode.ACCESS_REFUSED, "queue '" + queue + "' in vhost '"
                            + declarations.vhost() + "' in exclusive use", c);
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
        if (!channel.isOpen() || consumer.cancelled) {
            if (consumer.detached && !consumer.noAck && consumer.group != null) {
                // dispatched before the cancel reached the queue: nobody will settle it, so it goes back
                consumer.group.nack(List.of(d.offset()), true, 0);
            }
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
        if (channel.isOpen() && conn.clientCapability("consumer_cancel_notify")) {
            conn.sendMethod(number, new AmqpBasic.Cancel(consumer.tag, true));
        }
    }

    CompletableFuture<Runnable> get(AmqpBasic.Get g) {
        String queue = declarations.queueName(g.queue());
        QueueInfo info = declarations.existingQueue(queue, g);
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
            long remaining = declarations.describeQueue(queue).map(QueueInfo::messages).orElse(0L);
            conn.send(new AmqpCommand(number, new AmqpBasic.GetOk(tag, d.redelivered(),
                    exchange == null ? "" : exchange, m.subject() == null ? "" : m.subject(), (int) remaining),
                    deliveryProperties(m, d), Unpooled.wrappedBuffer(m.value() == null ? new byte[0] : m.value())));
        });
    }
}
