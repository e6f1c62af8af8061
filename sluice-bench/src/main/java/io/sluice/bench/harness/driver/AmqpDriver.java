package io.sluice.bench.harness.driver;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.MessageProperties;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * AMQP 0-9-1 through the RabbitMQ Java client: one durable queue per destination (declared with
 * {@code x-queue-type} when a queue type is given: {@code quorum} by default), persistent messages
 * (delivery mode 2) with publisher confirms bounded by a {@link ConfirmWindow}, consumers with manual
 * {@code basic.ack} per message and a prefetch of {@link #PREFETCH}.
 *
 * <p>Single subscriber: messages go through the default exchange straight to queue {@code i}. Fan-out (several
 * subscribers): one topic exchange with one queue per subscriber bound by {@code bench.#}, publishing with routing
 * key {@code bench.<dest>}. A queue is consumed destructively, so each subscriber has its own queue.
 */
public final class AmqpDriver implements BrokerDriver {
    static final int PREFETCH = 1000;
    private final ConnectionFactory factory = new ConnectionFactory();
    private final int window;
    private final String queueType;
    private Topology topology;
    private String prefix;
    private Connection admin;

    public AmqpDriver(String host, int port, String user, String password, int window, String queueType) {
        factory.setHost(host);
        factory.setPort(port);
        factory.setUsername(user);
        factory.setPassword(password);
        factory.setAutomaticRecoveryEnabled(false); // a broken connection must fail the run, not be papered over
        this.window = window;
        this.queueType = queueType == null || queueType.isBlank() || queueType.equals("none") ? null : queueType;
    }

    @Override
    public String serverVersion() throws Exception {
        try (Connection c = factory.newConnection("bench-version")) {
            Object product = c.getServerProperties().get("product");
            Object version = c.getServerProperties().get("version");
            return (product == null ? "" : product + " ") + (version == null ? "" : version);
        }
    }

    private String queue(int i) {
        return prefix + ".q" + i;
    }

    private String exchange() {
        return prefix + ".x";
    }

    @Override
    public void setUp(Topology topology) throws Exception {
        this.topology = topology;
        this.prefix = "bench-" + topology.runId();
        if (admin == null) { // a warm-up pass sets up first; its admin connection serves the measured pass too
            admin = factory.newConnection("bench-admin");
        }
        Map<String, Object> args = queueType == null ? null : Map.of("x-queue-type", queueType);
        try (Channel ch = admin.createChannel()) {
            if (topology.fanOut()) {
                ch.exchangeDeclare(exchange(), "topic", true);
                for (int s = 0; s < topology.subscribers(); s++) {
                    ch.queueDeclare(queue(s), true, false, false, args);
                    ch.queueBind(queue(s), exchange(), "bench.#");
                }
            } else {
                for (int d = 0; d < topology.destinations(); d++) {
                    ch.queueDeclare(queue(d), true, false, false, args);
                }
            }
        }
    }

    @Override
    public Publisher openPublisher() throws Exception {
        return publisher(window);
    }

    @Override
    public Publisher openFillPublisher(int fillWindow) throws Exception {
        return publisher(fillWindow);
    }

    private Publisher publisher(int unconfirmed) throws Exception {
        Connection conn = factory.newConnection("bench-publisher");
        Channel ch = conn.createChannel();
        ch.confirmSelect();
        ConfirmWindow confirms = new ConfirmWindow(unconfirmed);
        NavigableSet<Long> outstanding = new ConcurrentSkipListSet<>();
        ch.addConfirmListener(
                (tag, multiple) -> confirms.confirmed(settle(outstanding, tag, multiple)),
                (tag, multiple) -> confirms.failed(settle(outstanding, tag, multiple), "basic.nack for delivery tag " + tag));
        boolean fanOut = topology.fanOut();
        return new Publisher() {
            @Override
            public void send(int destination, byte[] body) throws Exception {
                confirms.acquire();
                outstanding.add(ch.getNextPublishSeqNo());
                if (fanOut) {
                    ch.basicPublish(exchange(), "bench." + destination, MessageProperties.PERSISTENT_BASIC, body);
                } else {
                    ch.basicPublish("", queue(destination), MessageProperties.PERSISTENT_BASIC, body);
                }
            }

            @Override
            public void awaitConfirms(Duration timeout) throws Exception {
                confirms.awaitAll(timeout);
            }

            @Override
            public void close() throws Exception {
                conn.close();
            }
        };
    }

    /** Removes the settled delivery tags and says how many there were; {@code multiple} settles all up to tag. */
    static int settle(NavigableSet<Long> outstanding, long tag, boolean multiple) {
        if (!multiple) {
            return outstanding.remove(tag) ? 1 : 0;
        }
        NavigableSet<Long> done = outstanding.headSet(tag, true);
        int n = 0;
        while (done.pollFirst() != null) {
            n++;
        }
        return n;
    }

    @Override
    public Subscriber subscribe(int index, Sink sink) throws Exception {
        Connection conn = factory.newConnection("bench-subscriber-" + index);
        Channel ch = conn.createChannel();
        ch.basicQos(PREFETCH);
        DefaultConsumer consumer = new DefaultConsumer(ch) {
            @Override
            public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties props, byte[] body) throws IOException {
                sink.onMessage(body);
                ch.basicAck(env.getDeliveryTag(), false);
            }
        };
        if (topology.fanOut()) {
            ch.basicConsume(queue(index), false, consumer);
        } else {
            for (int d = 0; d < topology.destinations(); d++) {
                ch.basicConsume(queue(d), false, consumer); // returns once consume-ok arrived: ready when done
            }
        }
        return () -> {
            if (conn.isOpen()) {
                conn.close();
            }
        };
    }

    @Override
    public void tearDown() {
        if (admin == null) {
            return;
        }
        try (Channel ch = admin.createChannel()) {
            int queues = topology.fanOut() ? topology.subscribers() : topology.destinations();
            for (int q = 0; q < queues; q++) {
                ch.queueDelete(queue(q));
            }
            if (topology.fanOut()) {
                ch.exchangeDelete(exchange());
            }
        } catch (Exception e) {
            System.err.println("amqp teardown (ignored): " + e);
        }
    }

    @Override
    public void close() throws Exception {
        if (admin != null && admin.isOpen()) {
            admin.close();
        }
    }
}
