package io.sluice.core.queue.internal;

import static io.sluice.core.queue.internal.QueueFixture.CTX;
import static io.sluice.core.queue.internal.QueueFixture.bodies;
import static io.sluice.core.queue.internal.QueueFixture.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.core.Message;
import io.sluice.core.queue.Delivery;
import io.sluice.core.queue.DeliveryGroup;
import io.sluice.core.queue.Overflow;
import io.sluice.core.queue.QueueArguments;
import io.sluice.core.route.Binding;
import io.sluice.core.route.ExchangeSpec;
import io.sluice.core.route.ExchangeType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** TTL, length limits, priorities, dead-lettering and the delivery limit, with a manual clock. */
class QueueFeaturesTest {
    private final QueueFixture f = new QueueFixture();
    private DeliveryGroup dlq;

    @BeforeEach
    void deadLetterQueue() {
        var ex = f.broker.exchanges();
        ex.declare(CTX, new ExchangeSpec("dlx", ExchangeType.FANOUT, true, false, false, null, Map.of())).join();
        dlq = f.declare("dead");
        ex.bind(CTX, new Binding("dlx", "dead", false, "", Map.of())).join();
    }

    @AfterEach
    void close() {
        f.close();
    }

    private static QueueArguments args(long ttl, long maxLen, long maxBytes, Overflow overflow, int maxPriority,
                                       int deliveryLimit, long expires) {
        return new QueueArguments(ttl, expires, maxLen, maxBytes, overflow, maxPriority, "dlx", null, deliveryLimit,
                false, -1, false);
    }

    private static Message msg(String body) {
        return Message.of("q", body.getBytes(StandardCharsets.UTF_8));
    }

    private List<Delivery> deadLetters(int expected) {
        List<Delivery> out = new ArrayList<>();
        await().until(() -> {
            out.addAll(dlq.fetch("dl", 100, 0, true).join());
            return out.size() >= expected;
        });
        return out;
    }

    private static Map<String, Object> lastDeath(Delivery d) {
        return DeadLetters.deaths(d.message()).get(0);
    }

    @Test
    void rejectedMessagesAreDeadLetteredWithXDeath() {
        DeliveryGroup g = f.declare("q", args(-1, -1, -1, Overflow.DROP_HEAD, 0, -1, -1));
        f.publish("q", "a");
        Delivery d = g.fetch("c", 1, 0, false).join().get(0);
        g.nack(List.of(d.offset()), false, 0).join();

        Delivery dead = deadLetters(1).get(0);
        assertThat(body(dead)).isEqualTo("a");
        Map<String, Object> death = lastDeath(dead);
        assertThat(death).containsEntry("reason", "rejected").containsEntry("queue", "q")
                .containsEntry("count", 1).containsEntry("routing-keys", List.of("q"))
                .containsEntry("time", (int) (f.clock.millis() / 1000));
        assertThat(new String(dead.message().header("x-first-death-reason"), StandardCharsets.UTF_8))
                .isEqualTo("rejected");
        assertThat(new String(dead.message().header("x-first-death-queue"), StandardCharsets.UTF_8)).isEqualTo("q");
    }

    @Test
    void messageTtlExpiresReadyMessagesAtTheHeadOnATimer() {
        DeliveryGroup g = f.declare("q", args(1_000, -1, -1, Overflow.DROP_HEAD, 0, -1, -1));
        f.publish("q", "old1", "old2");
        f.clock.advance(1_500);
        f.publish("q", "new");
        await().until(() -> f.broker.queues().describe(CTX, "q").orElseThrow().messages() == 1);
        List<Delivery> dead = deadLetters(2);
        assertThat(bodies(dead)).containsExactly("old1", "old2");
        assertThat(lastDeath(dead.get(0))).containsEntry("reason", "expired");
        assertThat(bodies(g.fetch("c", 10, 0, false).join())).containsExactly("new");
    }

    @Test
    void perMessageExpirationIsCheckedAtDelivery() {
        DeliveryGroup g = f.declare("q", args(-1, -1, -1, Overflow.DROP_HEAD, 0, -1, -1));
        f.publish("q", new Message("q", null, "short".getBytes(StandardCharsets.UTF_8), List.of(), 0, -1, 500));
        f.publish("q", "long");
        f.clock.advance(600);
        assertThat(bodies(g.fetch("c", 10, 0, false).join())).containsExactly("long");
        Delivery dead = deadLetters(1).get(0);
        assertThat(lastDeath(dead)).containsEntry("reason", "expired").containsEntry("original-expiration", "500");
        assertThat(dead.message().expirationMs()).isEqualTo(-1);
    }

    @Test
    void maxLengthDropHeadDeadLettersTheOldest() {
        DeliveryGroup g = f.declare("q", args(-1, 2, -1, Overflow.DROP_HEAD, 0, -1, -1));
        f.publish("q", "1", "2", "3");
        await().until(() -> f.broker.queues().describe(CTX, "q").orElseThrow().messages() == 2);
        Delivery dead = deadLetters(1).get(0);
        assertThat(body(dead)).isEqualTo("1");
        assertThat(lastDeath(dead)).containsEntry("reason", "maxlen");
        assertThat(bodies(g.fetch("c", 10, 0, false).join())).containsExactly("2", "3");
    }

    @Test
    void maxLengthBytesDropHead() {
        DeliveryGroup g = f.declare("q", args(-1, -1, 8, Overflow.DROP_HEAD, 0, -1, -1));
        f.publish("q", "aaaa", "bbbb", "cccc");
        await().until(() -> f.broker.queues().describe(CTX, "q").orElseThrow().messages() == 2);
        assertThat(bodies(g.fetch("c", 10, 0, false).join())).containsExactly("bbbb", "cccc");
    }

    @Test
    void rejectPublishRefusesNewMessagesWhileFull() {
        DeliveryGroup g = f.declare("q", args(-1, 2, -1, Overflow.REJECT_PUBLISH, 0, -1, -1));
        var qs = f.broker.queues();
        assertThat(qs.enqueue(CTX, "q", msg("1")).join()).isTrue();
        assertThat(qs.enqueue(CTX, "q", msg("2")).join()).isTrue();
        assertThat(qs.enqueue(CTX, "q", msg("3")).join()).isFalse();
        List<Delivery> ds = g.fetch("c", 1, 0, false).join();
        // An unacked message does not count: the queue has room again.
        assertThat(qs.enqueue(CTX, "q", msg("4")).join()).isTrue();
        g.ack(List.of(ds.get(0).offset())).join();
        assertThat(bodies(g.fetch("c", 10, 0, false).join())).containsExactly("2", "4");
        assertThat(dlq.fetch("dl", 10, 0, true).join()).isEmpty();
    }

    @Test
    void aBurstIntoAFullQueueAcceptsExactlyTheMaxLength() {
        // many publishes in flight at once (as a confirm-mode AMQP publisher sends them): the first max-length win,
        // also while a written message's completion has not reached the group yet
        for (int round = 0; round < 20; round++) {
            String name = "burst" + round;
            DeliveryGroup g = f.declare(name, args(-1, 3, -1, Overflow.REJECT_PUBLISH, 0, -1, -1));
            var qs = f.broker.queues();
            List<java.util.concurrent.CompletableFuture<Boolean>> outcomes = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                outcomes.add(qs.enqueue(CTX, name, msg("m" + i)));
            }
            List<Boolean> accepted = outcomes.stream().map(java.util.concurrent.CompletableFuture::join).toList();
            assertThat(accepted.subList(0, 3)).as("round %d", round).containsOnly(true);
            assertThat(accepted.subList(3, 20)).as("round %d", round).containsOnly(false);
            assertThat(bodies(g.fetch("c", 10, 0, false).join())).containsExactly("m0", "m1", "m2");
        }
    }

    @Test
    void aBurstIntoAByteLimitedQueueAcceptsWhatFits() {
        for (int round = 0; round < 20; round++) {
            String name = "bytes" + round;
            DeliveryGroup g = f.declare(name, args(-1, -1, 12, Overflow.REJECT_PUBLISH, 0, -1, -1));
            var qs = f.broker.queues();
            List<java.util.concurrent.CompletableFuture<Boolean>> outcomes = new java.util.ArrayList<>();
            for (int i = 0; i < 10; i++) {
                outcomes.add(qs.enqueue(CTX, name, msg("abc" + i))); // 4 bytes each: three fit in 12
            }
            List<Boolean> accepted = outcomes.stream().map(java.util.concurrent.CompletableFuture::join).toList();
            assertThat(accepted).as("round %d", round).containsExactly(true, true, true, false, false, false, false,
                    false, false, false);
            assertThat(bodies(g.fetch("c", 10, 0, false).join())).containsExactly("abc0", "abc1", "abc2");
        }
    }

    @Test
    void rejectPublishDlxDeadLettersTheRefusedMessage() {
        f.declare("q", args(-1, 1, -1, Overflow.REJECT_PUBLISH_DLX, 0, -1, -1));
        var qs = f.broker.queues();
        assertThat(qs.enqueue(CTX, "q", msg("1")).join()).isTrue();
        assertThat(qs.enqueue(CTX, "q", msg("2")).join()).isFalse();
        Delivery dead = deadLetters(1).get(0);
        assertThat(body(dead)).isEqualTo("2");
        assertThat(lastDeath(dead)).containsEntry("reason", "maxlen");
    }

    @Test
    void higherPrioritiesAreDeliveredFirstThenByArrival() {
        DeliveryGroup g = f.declare("q", args(-1, -1, -1, Overflow.DROP_HEAD, 5, -1, -1));
        int[] prios = {1, 5, 3, 5, -1, 9};
        for (int i = 0; i < prios.length; i++) {
            f.publish("q", new Message("q", null, ("p" + prios[i] + "-" + i).getBytes(StandardCharsets.UTF_8),
                    List.of(), 0, prios[i], -1));
        }
        List<Delivery> ds = g.fetch("c", 10, 0, false).join();
        // 9 is capped at the queue's maximum (5) and keeps its arrival order among the 5s; unset is 0.
        assertThat(bodies(ds)).containsExactly("p5-1", "p5-3", "p9-5", "p3-2", "p1-0", "p-1-4");
        g.nack(List.of(ds.get(3).offset()), true, 0).join();
        f.publish("q", new Message("q", null, "p4".getBytes(StandardCharsets.UTF_8), List.of(), 0, 4, -1));
        assertThat(bodies(g.fetch("c", 10, 0, false).join())).containsExactly("p4", "p3-2");
    }

    @Test
    void deliveryLimitDeadLettersAfterThatManyDeliveries() {
        DeliveryGroup g = f.declare("q", args(-1, -1, -1, Overflow.DROP_HEAD, 0, 2, -1));
        f.publish("q", "poison");
        for (int i = 1; i <= 2; i++) {
            Delivery d = g.fetch("c", 1, 0, false).join().get(0);
            assertThat(d.deliveryCount()).isEqualTo(i);
            g.nack(List.of(d.offset()), true, 0).join();
        }
        assertThat(g.fetch("c", 1, 0, false).join()).isEmpty();
        assertThat(lastDeath(deadLetters(1).get(0))).containsEntry("reason", "delivery_limit");
    }

    @Test
    void unusedQueueExpires() {
        f.declare("q", args(-1, -1, -1, Overflow.DROP_HEAD, 0, -1, 5_000));
        f.clock.advance(4_000);
        f.broker.queues().consumers(CTX, "q").fetch("c", 1, 0, false).join(); // a get counts as use
        f.clock.advance(4_000);
        assertThat(f.broker.queues().describe(CTX, "q")).isPresent();
        f.clock.advance(1_500);
        await().until(() -> f.broker.queues().describe(CTX, "q").isEmpty());
    }

    @Test
    void xDeathCountsRepeatsPerQueueAndReason() {
        Message m = Message.of("rk", new byte[]{1});
        Message once = DeadLetters.annotate(m, "q1", "expired", 1_000_000);
        Message twice = DeadLetters.annotate(once, "q1", "expired", 2_000_000);
        Message third = DeadLetters.annotate(twice, "q2", "rejected", 3_000_000);
        var deaths = DeadLetters.deaths(third);
        assertThat(deaths).hasSize(2);
        assertThat(deaths.get(0)).containsEntry("queue", "q2").containsEntry("count", 1);
        assertThat(deaths.get(1)).containsEntry("queue", "q1").containsEntry("count", 2)
                .containsEntry("time", 2000);
        assertThat(new String(third.header("x-first-death-queue"), StandardCharsets.UTF_8)).isEqualTo("q1");
        assertThat(new String(third.header("x-last-death-queue"), StandardCharsets.UTF_8)).isEqualTo("q2");
        assertThat(third.headers().stream().filter(h -> h.key().equals("x-death"))).hasSize(1);
    }
}
