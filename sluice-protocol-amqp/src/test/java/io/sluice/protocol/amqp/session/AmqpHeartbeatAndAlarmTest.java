package io.sluice.protocol.amqp.session;

import com.rabbitmq.client.BlockedListener;
import com.rabbitmq.client.Connection;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.core.Broker;
import io.sluice.core.ResourceAlarms;
import io.sluice.core.internal.ResourceAlarmsImpl;
import io.sluice.core.kv.KeyValueStore;
import io.sluice.core.offset.GroupOffsetService;
import io.sluice.core.pubsub.PubSub;
import io.sluice.core.queue.GroupService;
import io.sluice.core.queue.QueueService;
import io.sluice.core.route.ExchangeService;
import io.sluice.core.stream.StreamService;
import io.sluice.protocol.amqp.codec.AmqpConnection;
import io.sluice.protocol.amqp.codec.AmqpFrame;
import io.sluice.protocol.amqp.codec.AmqpTable;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Heartbeats in both directions and connection.blocked under a resource alarm. */
class AmqpHeartbeatAndAlarmTest {

    @Test
    void serverSendsHeartbeatsAndClosesASilentClient() throws Exception {
        try (AmqpTestServer server = new AmqpTestServer(); AmqpRawClient raw = new AmqpRawClient(server.port())) {
            raw.write(new byte[]{'A', 'M', 'Q', 'P', 0, 0, 9, 1});
            raw.expect(AmqpConnection.Start.class);
            raw.send(0, new AmqpConnection.StartOk(AmqpTable.EMPTY, "PLAIN",
                    "\0guest\0guest".getBytes(StandardCharsets.UTF_8), "en_US"));
            AmqpConnection.Tune tune = raw.expect(AmqpConnection.Tune.class);
            raw.send(0, new AmqpConnection.TuneOk(tune.channelMax(), tune.frameMax(), 1));
            raw.send(0, new AmqpConnection.Open("/"));
            raw.expect(AmqpConnection.OpenOk.class);
            // silent for one interval: the server's heartbeat arrives; silent for two: it hangs up
            assertThat(raw.read()).isEqualTo(AmqpFrame.Heartbeat.INSTANCE);
            AmqpFrame f;
            do {
                f = raw.read();
            } while (f instanceof AmqpFrame.Heartbeat);
            assertThat(f).as("end of stream after missed heartbeats").isNull();
        }
    }

    @Test
    void clientHeartbeatsKeepTheConnectionOpen() throws Exception {
        try (AmqpTestServer server = new AmqpTestServer()) {
            com.rabbitmq.client.ConnectionFactory f = server.factory();
            f.setRequestedHeartbeat(1);
            try (Connection c = f.newConnection()) {
                long until = System.nanoTime() + Duration.ofMillis(3500).toNanos();
                await().atMost(Duration.ofSeconds(5)).until(() -> System.nanoTime() > until);
                assertThat(c.isOpen()).isTrue();
                assertThat(c.createChannel().isOpen()).isTrue();
            }
        }
    }

    @Test
    void resourceAlarmBlocksAndUnblocksPublishers() throws Exception {
        AtomicLong heapUsed = new AtomicLong(10);
        ResourceAlarmsImpl alarms = new ResourceAlarmsImpl(0.5, 0, heapUsed::get, () -> 100, () -> Long.MAX_VALUE);
        try (AmqpTestServer server = new AmqpTestServer(AmqpSessionConfig.defaults(), b -> new AlarmedBroker(b, alarms));
             Connection c = server.factory().newConnection()) {
            List<String> events = new CopyOnWriteArrayList<>();
            c.addBlockedListener(new BlockedListener() {
                @Override
                public void handleBlocked(String reason) {
                    events.add("blocked:" + reason);
                }

                @Override
                public void handleUnblocked() {
                    events.add("unblocked");
                }
            });
            heapUsed.set(90);
            alarms.check();
            await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 1);
            assertThat(events.getFirst()).isEqualTo("blocked:memory high watermark");
            heapUsed.set(10);
            alarms.check();
            await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 2);
            assertThat(events.get(1)).isEqualTo("unblocked");
        }
    }

    /** The real broker with test-driven alarms. */
    private record AlarmedBroker(Broker delegate, ResourceAlarms alarms) implements Broker {
        public StreamService streams() { return delegate.streams(); }
        public QueueService queues() { return delegate.queues(); }
        public GroupService groups() { return delegate.groups(); }
        public ExchangeService exchanges() { return delegate.exchanges(); }
        public PubSub pubsub() { return delegate.pubsub(); }
        public GroupOffsetService offsets() { return delegate.offsets(); }
        public KeyValueStore kv() { return delegate.kv(); }
        public CompletableFuture<Long> nextProducerId() { return delegate.nextProducerId(); }
        public Clock clock() { return delegate.clock(); }
        public MeterRegistry meters() { return delegate.meters(); }
        public java.util.concurrent.Executor blockingExecutor() { return delegate.blockingExecutor(); }
        public String clusterId() { return delegate.clusterId(); }
        public int nodeId() { return delegate.nodeId(); }
        public void close() { }
    }
}
