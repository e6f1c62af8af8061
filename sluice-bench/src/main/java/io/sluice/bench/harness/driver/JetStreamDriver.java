package io.sluice.bench.harness.driver;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.ErrorListener;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.JetStreamSubscription;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.time.Duration;

/**
 * NATS JetStream through jnats: one file-backed stream (one replica) per destination with subject
 * {@code bench.<run>.<dest>}; asynchronous publish with a window of outstanding PubAcks; each subscriber is an
 * pull consumer per stream (durable, deliver-all, explicit ack of every message, at most {@link #MAX_ACK_PENDING}
 * unacknowledged — the same bound as the AMQP prefetch). Pull consumers are what JetStream recommends for new
 * applications and what both nats-server and Sluice serve; messages arrive through a dispatcher, and a refill
 * timer keeps about {@link #PULL_BATCH} messages requested per consumer (each pull request expires after
 * {@link #PULL_EXPIRES}, so an idle consumer costs one request per interval).
 */
public final class JetStreamDriver implements BrokerDriver {
    static final int MAX_ACK_PENDING = 1000;
    static final int PULL_BATCH = 256;
    static final Duration PULL_EXPIRES = Duration.ofSeconds(2);
    private final String url;
    private final int window;
    static final Duration PUB_ACK_TIMEOUT = Duration.ofSeconds(60);
    private Topology topology;
    private String prefix;
    private Connection admin;

    public JetStreamDriver(String host, int port, int window) {
        this.url = "nats://" + host + ":" + port;
        this.window = window;
    }

    /** Reports errors, exceptions and slow consumers on stderr; the default listener also logs every flow-control reply. */
    static final ErrorListener QUIET = new ErrorListener() {
        @Override
        public void errorOccurred(Connection conn, String error) {
            System.err.println("nats error: " + error);
        }

        @Override
        public void exceptionOccurred(Connection conn, Exception exp) {
            System.err.println("nats exception: " + exp);
        }

        @Override
        public void slowConsumerDetected(Connection conn, io.nats.client.Consumer consumer) {
            System.err.println("nats slow consumer detected: messages were dropped");
        }
    };

    static Connection connect(String url, String name) throws Exception {
        // connection timeout: jnats gives up after 2 s, which a server on a machine at load 20-30 can exceed
        // jnats 2.25 gives an asynchronous publish no timeout of its own: its PubAck future is cancelled after the
        // connection's request clean-up interval (5 s by default) and the run would count the message as refused.
        // A server that fsyncs before acknowledging, with a window of PubAcks spread over 1,000 streams (M1), or any
        // server on a machine at load 20-30, legitimately takes longer; the harness's own stall timeout still
        // catches a server that stopped.
        return Nats.connect(new Options.Builder().server(url).connectionName(name).noReconnect()
                .connectionTimeout(Duration.ofSeconds(30)).requestCleanupInterval(PUB_ACK_TIMEOUT)
                .maxMessagesInOutgoingQueue(100_000).errorListener(QUIET).build());
    }

    @Override
    public String serverVersion() throws Exception {
        try (Connection c = connect(url, "bench-version")) {
            return "nats-server " + c.getServerInfo().getVersion();
        }
    }

    private String stream(int d) {
        return prefix + "_" + d;
    }

    private String subject(int d) {
        return "bench." + topology.runId() + "." + d;
    }

    @Override
    public void setUp(Topology topology) throws Exception {
        this.topology = topology;
        this.prefix = "BENCH_" + topology.runId();
        if (admin == null) { // a warm-up pass sets up first; its admin connection serves the measured pass too
            admin = connect(url, "bench-admin");
        }
        JetStreamManagement jsm = admin.jetStreamManagement();
        for (int d = 0; d < topology.destinations(); d++) {
            jsm.addStream(StreamConfiguration.builder().name(stream(d)).subjects(subject(d))
                    .storageType(StorageType.File).replicas(1).build());
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
        Connection conn = connect(url, "bench-publisher");
        JetStream js = conn.jetStream();
        ConfirmWindow confirms = new ConfirmWindow(unconfirmed);
        return new Publisher() {
            @Override
            public void send(int destination, byte[] body) throws Exception {
                confirms.acquire();
                js.publishAsync(subject(destination), body).whenComplete((ack, e) -> {
                    if (e == null && !ack.isDuplicate()) {
                        confirms.confirmed(1);
                    } else {
                        confirms.failed(1, e == null ? "duplicate PubAck for seq " + ack.getSeqno() : e.toString());
                    }
                });
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

    @Override
    public Subscriber subscribe(int index, Sink sink) throws Exception {
        Connection conn = connect(url, "bench-subscriber-" + index);
        JetStream js = conn.jetStream();
        Dispatcher dispatcher = conn.createDispatcher();
        dispatcher.setPendingLimits(10_000_000, 4L << 30);
        ConsumerConfiguration cc = ConsumerConfiguration.builder()
                .deliverPolicy(DeliverPolicy.All).ackPolicy(AckPolicy.Explicit)
                .maxAckPending(MAX_ACK_PENDING).build();
        int n = topology.destinations();
        JetStreamSubscription[] subs = new JetStreamSubscription[n];
        java.util.concurrent.atomic.AtomicIntegerArray received = new java.util.concurrent.atomic.AtomicIntegerArray(n);
        for (int d = 0; d < n; d++) {
            int dest = d;
            PullSubscribeOptions opts = PullSubscribeOptions.builder().stream(stream(d))
                    .durable("bench-" + index).configuration(cc).build();
            subs[d] = js.subscribe(subject(d), dispatcher, msg -> {
                sink.onMessage(msg.getData());
                msg.ack();
                // Ask for the next batch once half of the last one arrived, so the pipe never drains.
                if (received.incrementAndGet(dest) % (PULL_BATCH / 2) == 0) {
                    subs[dest].pullExpiresIn(PULL_BATCH / 2, PULL_EXPIRES);
                }
            }, opts);
            subs[d].pullExpiresIn(PULL_BATCH, PULL_EXPIRES);
        }
        java.util.concurrent.ScheduledExecutorService refill =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "bench-jetstream-refill-" + index);
                    t.setDaemon(true);
                    return t;
                });
        refill.scheduleWithFixedDelay(() -> {
            for (JetStreamSubscription s : subs) {
                try {
                    s.pullExpiresIn(PULL_BATCH, PULL_EXPIRES);
                } catch (RuntimeException e) {
                    return; // connection closing
                }
            }
        }, PULL_EXPIRES.toMillis() / 2, PULL_EXPIRES.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        return () -> {
            refill.shutdownNow();
            conn.close();
        };
    }

    @Override
    public void tearDown() {
        if (admin == null) {
            return;
        }
        try {
            JetStreamManagement jsm = admin.jetStreamManagement();
            for (int d = 0; d < topology.destinations(); d++) {
                jsm.deleteStream(stream(d));
            }
        } catch (Exception e) {
            System.err.println("jetstream teardown (ignored): " + e);
        }
    }

    @Override
    public void close() throws Exception {
        if (admin != null) {
            admin.close();
        }
    }
}
