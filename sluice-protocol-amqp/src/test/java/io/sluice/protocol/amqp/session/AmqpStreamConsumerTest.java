package io.sluice.protocol.amqp.session;

import io.netty.channel.DefaultEventLoop;
import io.sluice.core.CallContext;
import io.sluice.core.Message;
import io.sluice.core.queue.Delivery;
import io.sluice.core.stream.StreamPartition;
import io.sluice.core.stream.StreamSpec;
import io.sluice.core.internal.BrokerOptions;
import io.sluice.core.internal.DefaultBroker;
import io.sluice.storage.memory.MemoryLogStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The stream-queue reader against a real core stream: start offsets, credit, and waiting for new messages. */
class AmqpStreamConsumerTest {

    private DefaultBroker broker;
    private DefaultEventLoop loop;
    private StreamPartition partition;
    private final List<AmqpStreamConsumer> consumers = new ArrayList<>();

    @BeforeEach
    void start() {
        broker = DefaultBroker.start(BrokerOptions.of(new MemoryLogStore(), new MemoryLogStore()));
        loop = new DefaultEventLoop();
        broker.streams().create(CallContext.DEFAULT, StreamSpec.of("s", 1)).join();
        partition = broker.streams().partition(CallContext.DEFAULT, "s", 0);
    }

    @AfterEach
    void stop() {
        consumers.forEach(c -> loop.execute(c::close));
        loop.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        broker.close();
    }

    private void publish(int from, int to) {
        List<Message> batch = new ArrayList<>();
        for (int i = from; i < to; i++) {
            batch.add(Message.of("s", ("m" + i).getBytes(StandardCharsets.UTF_8)));
        }
        partition.publish(batch).join();
    }

    private List<String> bodies(List<Delivery> ds) {
        return ds.stream().map(d -> new String(d.message().value(), StandardCharsets.UTF_8)).toList();
    }

    private AmqpStreamConsumer consumer(AmqpStreamConsumer.StartOffset start, int prefetch, List<Delivery> sink) {
        AmqpStreamConsumer c = new AmqpStreamConsumer(broker, CallContext.DEFAULT, "s", start, prefetch, loop,
                sink::add);
        consumers.add(c);
        loop.execute(c::start);
        loop.submit(() -> { }).syncUninterruptibly(); // started: its start offset is fixed before the test goes on
        return c;
    }

    @Test
    void firstReadsFromTheBeginningWithinCredit() {
        publish(0, 10);
        List<Delivery> got = new CopyOnWriteArrayList<>();
        AmqpStreamConsumer c = consumer(new AmqpStreamConsumer.StartOffset.First(), 4, got);
        await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 4);
        assertThat(bodies(got)).containsExactly("m0", "m1", "m2", "m3");
        loop.execute(() -> c.acked(4));
        await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 8);
        loop.execute(() -> c.acked(4));
        await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 10);
        assertThat(got).extracting(Delivery::offset).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    }

    @Test
    void offsetNextAndLast() {
        publish(0, 6);
        List<Delivery> fromOffset = new CopyOnWriteArrayList<>();
        consumer(new AmqpStreamConsumer.StartOffset.Offset(4), 10, fromOffset);
        List<Delivery> next = new CopyOnWriteArrayList<>();
        consumer(new AmqpStreamConsumer.StartOffset.Next(), 10, next);
        List<Delivery> last = new CopyOnWriteArrayList<>();
        consumer(new AmqpStreamConsumer.StartOffset.Last(), 10, last);
        await().atMost(Duration.ofSeconds(5)).until(() -> fromOffset.size() == 2 && last.size() == 1);
        assertThat(bodies(fromOffset)).containsExactly("m4", "m5");
        assertThat(bodies(last)).containsExactly("m5");
        publish(6, 7);
        await().atMost(Duration.ofSeconds(5)).until(() -> next.size() == 1 && fromOffset.size() == 3);
        assertThat(bodies(next)).containsExactly("m6");
    }

    @Test
    void timestampStartsAtTheFirstMessageAtOrAfterIt() {
        publish(0, 3);
        List<Delivery> got = new CopyOnWriteArrayList<>();
        consumer(new AmqpStreamConsumer.StartOffset.Timestamp(0), 10, got);
        await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 3);
        List<Delivery> future = new CopyOnWriteArrayList<>();
        consumer(new AmqpStreamConsumer.StartOffset.Timestamp(System.currentTimeMillis() + 3_600_000), 10, future);
        publish(3, 4);
        await().atMost(Duration.ofSeconds(5)).until(() -> future.size() == 1);
        assertThat(bodies(future)).containsExactly("m3");
    }
}
