package io.sluice.bench.harness.driver;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import java.time.Duration;

/**
 * Core NATS through jnats: at-most-once subjects {@code bench.<run>.<dest>}, nothing stored. Each subscriber has its
 * own connection and subscribes to {@code bench.<run>.*}. Core NATS has no publish acknowledgement; the closest
 * bound is a flush (PING/PONG round trip) every {@code window} messages, which guarantees the server has read
 * everything before it, so the publisher cannot outrun the server by more than a window.
 */
public final class NatsDriver implements BrokerDriver {
    private final String url;
    private final int window;
    private Topology topology;

    public NatsDriver(String host, int port, int window) {
        this.url = "nats://" + host + ":" + port;
        this.window = window;
    }

    @Override
    public String serverVersion() throws Exception {
        try (Connection c = JetStreamDriver.connect(url, "bench-version")) {
            return "nats-server " + c.getServerInfo().getVersion();
        }
    }

    @Override
    public boolean stores() {
        return false;
    }

    @Override
    public void setUp(Topology topology) {
        this.topology = topology; // subjects need no creation
    }

    @Override
    public Publisher openPublisher() throws Exception {
        Connection conn = JetStreamDriver.connect(url, "bench-publisher");
        String prefix = "bench." + topology.runId() + ".";
        return new Publisher() {
            private long sent;

            @Override
            public void send(int destination, byte[] body) throws Exception {
                conn.publish(prefix + destination, body);
                if (++sent % window == 0) {
                    conn.flush(Duration.ofSeconds(30));
                }
            }

            @Override
            public void awaitConfirms(Duration timeout) throws Exception {
                conn.flush(timeout);
            }

            @Override
            public void close() throws Exception {
                conn.close();
            }
        };
    }

    @Override
    public Subscriber subscribe(int index, Sink sink) throws Exception {
        Connection conn = JetStreamDriver.connect(url, "bench-subscriber-" + index);
        Dispatcher dispatcher = conn.createDispatcher(msg -> sink.onMessage(msg.getData()));
        dispatcher.setPendingLimits(10_000_000, 4L << 30);
        dispatcher.subscribe("bench." + topology.runId() + ".*");
        conn.flush(Duration.ofSeconds(10)); // the server has the SUB once the PONG is back
        return conn::close;
    }

    @Override
    public void tearDown() {
    }

    @Override
    public void close() {
    }
}
