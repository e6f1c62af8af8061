package io.sluice.core.queue.internal;

import io.sluice.core.CallContext;
import io.sluice.core.Message;
import io.sluice.core.internal.BrokerOptions;
import io.sluice.core.internal.DefaultBroker;
import io.sluice.core.queue.ConsumerSpec;
import io.sluice.core.queue.Delivery;
import io.sluice.core.queue.DeliveryGroup;
import io.sluice.core.queue.DeliveryListener;
import io.sluice.core.queue.QueueArguments;
import io.sluice.core.queue.QueueSpec;
import io.sluice.core.queue.Subscription;
import io.sluice.storage.memory.MemoryLogStore;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A broker over in-memory stores with a manual clock. The stores survive {@link #restart()} (a memory log keeps its
 * data when closed and reopened), which stands in for a restart on disk.
 */
final class QueueFixture implements AutoCloseable {
    static final CallContext CTX = CallContext.DEFAULT;

    final ManualClock clock = new ManualClock(1_700_000_000_000L);
    final MemoryLogStore logs = new MemoryLogStore(clock::millis);
    final MemoryLogStore transientLogs = new MemoryLogStore(clock::millis);
    DefaultBroker broker;

    QueueFixture() {
        broker = DefaultBroker.start(BrokerOptions.of(logs, transientLogs).withClock(clock));
    }

    void restart() {
        broker.close();
        broker = DefaultBroker.start(BrokerOptions.of(logs, transientLogs).withClock(clock));
    }

    @Override
    public void close() {
        broker.close();
    }

    DeliveryGroup declare(String name, QueueArguments args) {
        broker.queues().declare(CTX, new QueueSpec(name, true, null, false, args)).join();
        return broker.queues().consumers(CTX, name);
    }

    DeliveryGroup declare(String name) {
        return declare(name, QueueArguments.DEFAULT);
    }

    void publish(String queue, String... bodies) {
        for (String b : bodies) {
            broker.queues().enqueue(CTX, queue, Message.of(queue, b.getBytes(StandardCharsets.UTF_8))).join();
        }
    }

    void publish(String queue, Message m) {
        broker.queues().enqueue(CTX, queue, m).join();
    }

    static String body(Delivery d) {
        return new String(d.message().value(), StandardCharsets.UTF_8);
    }

    static List<String> bodies(List<Delivery> ds) {
        return ds.stream().map(QueueFixture::body).toList();
    }

    static ConsumerSpec consumer(String name, int prefetch) {
        return new ConsumerSpec(name, "conn-1", prefetch, false, false, 0);
    }

    /** Collects pushed deliveries. */
    static final class Collector implements DeliveryListener {
        final List<Delivery> got = new CopyOnWriteArrayList<>();
        final List<String> cancels = new CopyOnWriteArrayList<>();
        Subscription sub;

        @Override
        public void onDelivery(Delivery delivery) {
            got.add(delivery);
        }

        @Override
        public void onCancel(String reason) {
            cancels.add(reason);
        }

        List<String> bodies() {
            return QueueFixture.bodies(got);
        }

        List<Long> offsets() {
            return got.stream().map(Delivery::offset).toList();
        }
    }

    static Collector subscribe(DeliveryGroup g, ConsumerSpec spec) {
        Collector c = new Collector();
        c.sub = g.subscribe(spec, c);
        return c;
    }
}
