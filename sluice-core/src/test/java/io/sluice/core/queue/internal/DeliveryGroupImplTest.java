package io.sluice.core.queue.internal;

import static io.sluice.core.queue.internal.QueueFixture.bodies;
import static io.sluice.core.queue.internal.QueueFixture.consumer;
import static io.sluice.core.queue.internal.QueueFixture.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.core.ErrorCode;
import io.sluice.core.SluiceException;
import io.sluice.core.queue.ConsumerSpec;
import io.sluice.core.queue.Delivery;
import io.sluice.core.queue.DeliveryGroup;
import io.sluice.core.queue.QueueArguments;
import io.sluice.core.queue.SharedPrefetch;
import io.sluice.core.queue.internal.QueueFixture.Collector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeliveryGroupImplTest {
    private final QueueFixture f = new QueueFixture();

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void fetchAckAndRequeueMarksRedelivered() {
        DeliveryGroup g = f.declare("q");
        f.publish("q", "a", "b", "c");

        List<Delivery> first = g.fetch("c1", 2, 0, false).join();
        assertThat(bodies(first)).containsExactly("a", "b");
        assertThat(first).allSatisfy(d -> assertThat(d.redelivered()).isFalse());

        assertThat(g.ack(List.of(first.get(0).offset(), 999L)).join()).isEqualTo(1);
        g.nack(List.of(first.get(1).offset()), true, 0).join();

        List<Delivery> second = g.fetch("c1", 5, 0, false).join();
        assertThat(bodies(second)).containsExactly("b", "c");
        assertThat(second.get(0).redelivered()).isTrue();
        assertThat(second.get(0).deliveryCount()).isEqualTo(2);
        assertThat(second.get(1).redelivered()).isFalse();
        assertThat(g.info().pending()).isEqualTo(2);
        assertThat(g.ack(second.stream().map(Delivery::offset).toList()).join()).isEqualTo(2);
        assertThat(g.fetch("c1", 5, 0, false).join()).isEmpty();
        assertThat(g.info().acked()).isEqualTo(3);
    }

    @Test
    void nackWithoutRequeueDropsWhenNoDeadLetterTarget() {
        DeliveryGroup g = f.declare("q");
        f.publish("q", "a");
        Delivery d = g.fetch("c1", 1, 0, false).join().get(0);
        g.nack(List.of(d.offset()), false, 0).join();
        assertThat(g.fetch("c1", 1, 0, false).join()).isEmpty();
        assertThat(f.broker.queues().describe(QueueFixture.CTX, "q").orElseThrow().messages()).isZero();
    }

    @Test
    void noAckFetchKeepsNothingPending() {
        DeliveryGroup g = f.declare("q");
        f.publish("q", "a", "b");
        assertThat(bodies(g.fetch("c1", 10, 0, true).join())).containsExactly("a", "b");
        assertThat(g.info().pending()).isZero();
    }

    @Test
    void prefetchLimitsUnackedPushDeliveries() {
        DeliveryGroup g = f.declare("q");
        Collector c = subscribe(g, consumer("c1", 2));
        f.publish("q", "1", "2", "3", "4", "5");
        await().until(() -> c.got.size() == 2 && g.info().ready() == 3);
        assertThat(c.bodies()).containsExactly("1", "2");

        g.ack(List.of(c.got.get(0).offset())).join();
        await().until(() -> c.got.size() == 3);
        c.sub.setPrefetch(0);
        await().until(() -> c.got.size() == 5);
        assertThat(c.bodies()).containsExactly("1", "2", "3", "4", "5");
    }

    @Test
    void aSharedLimitSpansConsumersOfDifferentQueues() {
        SharedPrefetch channel = new SharedPrefetch(3);
        DeliveryGroup g1 = f.declare("q1");
        DeliveryGroup g2 = f.declare("q2");
        Collector a = subscribe(g1, new ConsumerSpec("a", "c", 0, false, false, 0, channel));
        f.publish("q1", "a1", "a2", "a3");
        await().until(() -> a.got.size() == 3);
        assertThat(channel.inUse()).isEqualTo(3);

        // the channel is full: the other queue's consumer waits although its own limit (2) has room
        Collector b = subscribe(g2, new ConsumerSpec("b", "c", 2, false, false, 0, channel));
        f.publish("q2", "b1", "b2", "b3");
        await().during(Duration.ofMillis(300)).until(() -> b.got.isEmpty());

        // each settled delivery on q1 lets q2's consumer take one, until its own limit stops it
        g1.ack(List.of(a.got.get(0).offset())).join();
        await().until(() -> b.got.size() == 1);
        g1.ack(List.of(a.got.get(1).offset())).join();
        await().until(() -> b.got.size() == 2);
        g1.ack(List.of(a.got.get(2).offset())).join();
        await().until(() -> channel.inUse() == 2);
        assertThat(b.got).hasSize(2);
        assertThat(g2.info().ready()).isEqualTo(1);

        // a deleted queue gives the credit of its unsettled deliveries back
        f.broker.queues().delete(QueueFixture.CTX, "q2", false, false).join();
        await().until(() -> channel.inUse() == 0);
    }

    @Test
    void autoAckConsumersTakeNoSharedCredit() {
        SharedPrefetch channel = new SharedPrefetch(1);
        DeliveryGroup g = f.declare("q");
        Collector c = subscribe(g, new ConsumerSpec("c", "c", 0, true, false, 0, channel));
        f.publish("q", "1", "2", "3");
        await().until(() -> c.got.size() == 3);
        assertThat(channel.inUse()).isZero();
    }

    @Test
    void roundRobinAmongConsumersWithCapacity() {
        DeliveryGroup g = f.declare("q");
        Collector a = subscribe(g, consumer("a", 0));
        Collector b = subscribe(g, consumer("b", 0));
        await().until(() -> g.info().consumers().size() == 2);
        f.publish("q", "1", "2", "3", "4");
        await().until(() -> a.got.size() + b.got.size() == 4);
        assertThat(a.bodies()).containsExactly("1", "3");
        assertThat(b.bodies()).containsExactly("2", "4");
    }

    @Test
    void higherPriorityConsumersFirstWhileTheyHaveCapacity() {
        DeliveryGroup g = f.declare("q");
        Collector low = subscribe(g, new ConsumerSpec("low", "c", 1, false, false, 0));
        Collector high = subscribe(g, new ConsumerSpec("high", "c", 1, false, false, 5));
        await().until(() -> g.info().consumers().size() == 2);
        f.publish("q", "1", "2", "3");
        await().until(() -> high.got.size() == 1 && low.got.size() == 1 && g.info().ready() == 1);
        assertThat(high.bodies()).containsExactly("1");
        assertThat(low.bodies()).containsExactly("2");
        g.ack(List.of(high.got.get(0).offset())).join();
        await().until(() -> high.got.size() == 2);
        assertThat(high.bodies()).containsExactly("1", "3");
    }

    @Test
    void singleActiveConsumerFailsOverWithRedelivery() {
        QueueArguments sac = new QueueArguments(-1, -1, -1, -1, QueueArguments.DEFAULT.overflow(), 0, null, null, -1,
                true, -1, false);
        DeliveryGroup g = f.declare("q", sac);
        Collector first = subscribe(g, consumer("first", 0));
        Collector second = subscribe(g, consumer("second", 0));
        f.publish("q", "1", "2", "3");
        await().until(() -> first.got.size() == 3 && g.info().ready() == 0);
        assertThat(second.got).isEmpty();

        g.ack(List.of(first.got.get(0).offset())).join();
        first.sub.close();
        await().until(() -> second.got.size() == 2);
        assertThat(second.bodies()).containsExactly("2", "3");
        assertThat(second.got).allSatisfy(d -> assertThat(d.redelivered()).isTrue());
    }

    @Test
    void exclusiveConsumerLocksTheQueue() {
        DeliveryGroup g = f.declare("q");
        Collector ex = subscribe(g, new ConsumerSpec("ex", "c", 0, false, true, 0));
        assertThatThrownBy(() -> g.subscribe(consumer("other", 0), new Collector()))
                .isInstanceOf(SluiceException.class)
                .satisfies(t -> assertThat(((SluiceException) t).code()).isEqualTo(ErrorCode.RESOURCE_LOCKED));
        ex.sub.close();
        Collector normal = subscribe(g, consumer("normal", 0));
        assertThatThrownBy(() -> g.subscribe(new ConsumerSpec("ex2", "c", 0, false, true, 0), new Collector()))
                .satisfies(t -> assertThat(((SluiceException) t).code()).isEqualTo(ErrorCode.RESOURCE_LOCKED));
        normal.sub.close();
    }

    @Test
    void closingASubscriptionReturnsItsUnackedToOthers() {
        DeliveryGroup g = f.declare("q");
        Collector a = subscribe(g, consumer("a", 10));
        f.publish("q", "1", "2");
        await().until(() -> a.got.size() == 2);
        Collector b = subscribe(g, consumer("b", 10));
        a.sub.close();
        await().until(() -> b.got.size() == 2);
        assertThat(b.bodies()).containsExactly("1", "2");
        assertThat(b.got).allSatisfy(d -> assertThat(d.deliveryCount()).isEqualTo(2));
    }

    @Test
    void autoAckPushKeepsNothingPending() {
        DeliveryGroup g = f.declare("q");
        Collector a = subscribe(g, new ConsumerSpec("a", "c", 1, true, false, 0));
        f.publish("q", "1", "2", "3");
        await().until(() -> a.got.size() == 3);
        await().until(() -> g.info().acked() == 3);
        assertThat(g.info().pending()).isZero();
    }

    @Test
    void longPollFetchCompletesWhenAMessageArrives() {
        DeliveryGroup g = f.declare("q");
        CompletableFuture<List<Delivery>> waiting = g.fetch("c1", 5, 60_000, false);
        assertThat(waiting).isNotDone();
        f.publish("q", "late");
        assertThat(bodies(waiting.join())).containsExactly("late");
    }

    @Test
    void nackWithDelayWaitsForTheClock() {
        DeliveryGroup g = f.declare("q");
        f.publish("q", "a");
        Delivery d = g.fetch("c1", 1, 0, false).join().get(0);
        g.nack(List.of(d.offset()), true, 5_000).join();
        assertThat(g.fetch("c1", 1, 0, false).join()).isEmpty();
        f.clock.advance(5_000);
        assertThat(bodies(g.fetch("c1", 1, 0, false).join())).containsExactly("a");
    }

    @Test
    void expiredLeaseRedeliversToAnotherConsumer() {
        QueueArguments lease = new QueueArguments(-1, -1, -1, -1, QueueArguments.DEFAULT.overflow(), 0, null, null,
                -1, false, 30_000, false);
        DeliveryGroup g = f.declare("q", lease);
        f.publish("q", "a");
        Delivery d = g.fetch("slow", 1, 0, false).join().get(0);
        f.clock.advance(10_000);
        g.touch(List.of(d.offset())).join();
        f.clock.advance(25_000);
        assertThat(g.fetch("fast", 1, 0, false).join()).isEmpty(); // touched: lease runs to 40 s
        f.clock.advance(10_000);
        await().until(() -> g.info().pending() == 0);
        Delivery again = g.fetch("fast", 1, 0, false).join().get(0);
        assertThat(again.consumer()).isEqualTo("fast");
        assertThat(again.deliveryCount()).isEqualTo(2);
    }

    @Test
    void aCaughtUpGroupServesAWaitingFetchAndItsAckOnTheCallersThreads() {
        DeliveryGroup g = f.declare("q");
        // Idle and caught up: an (empty) ack runs on this thread, so the future is done when ack returns. Awaited
        // because the turns of the declaration may still be finishing on the pool.
        await().until(() -> g.ack(List.of()).isDone());

        CompletableFuture<List<Delivery>> waiting = g.fetch("c1", 10, 60_000, false);
        assertThat(waiting).isNotDone();
        // The in-memory log tells its listeners on the appending thread: the caught-up group's turn runs there and
        // hands the message to the waiting fetch before the publish returns.
        f.publish("q", "a");
        assertThat(waiting).isDone();
        Delivery d = waiting.join().get(0);
        assertThat(bodies(List.of(d))).containsExactly("a");

        CompletableFuture<Integer> ack = g.ack(List.of(d.offset()));
        assertThat(ack).isDone();
        assertThat(ack.join()).isEqualTo(1);
        assertThat(g.info().pending()).isZero();
    }

    @Test
    void recordsLookedAtHereAndOnThePoolArriveInOrder() {
        DeliveryGroup g = f.declare("q");
        // The first record finds the group caught up (its turn runs on the publisher); from then on the group has a
        // backlog and later records are looked at by turns on the pool.
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < DeliveryGroupImpl.HERE_SCAN_MAX + 10; i++) {
            sent.add("m" + i);
            f.publish("q", "m" + i);
        }
        List<Delivery> got = g.fetch("c1", 1000, 0, false).join();
        assertThat(bodies(got)).containsExactlyElementsOf(sent);
        assertThat(g.ack(got.stream().map(Delivery::offset).toList()).join()).isEqualTo(got.size());
    }

    @Test
    void endActionsRunOnceWhenTheGroupEndsAndAtOnceAfterwards() throws Exception {
        DeliveryGroup g = f.declare("q");
        CompletableFuture<Void> ended = new CompletableFuture<>();
        AtomicInteger unregisteredRuns = new AtomicInteger();
        g.onEnd(() -> ended.complete(null));
        g.onEnd(unregisteredRuns::incrementAndGet).close();

        f.broker.queues().delete(QueueFixture.CTX, "q", false, false).join();

        ended.get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> g.fetch("c1", 1, 0, false).join()).hasCauseInstanceOf(SluiceException.class);
        boolean[] late = new boolean[1];
        g.onEnd(() -> late[0] = true);
        assertThat(late[0]).isTrue(); // already ended: run on the caller
        assertThat(unregisteredRuns).hasValue(0);
    }
}
