package io.sluice.core.queue.internal;

import static io.sluice.core.queue.internal.QueueFixture.CTX;
import static io.sluice.core.queue.internal.QueueFixture.bodies;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.core.ErrorCode;
import io.sluice.core.Message;
import io.sluice.core.SluiceException;
import io.sluice.core.queue.Delivery;
import io.sluice.core.queue.DeliveryGroup;
import io.sluice.core.queue.GroupService;
import io.sluice.core.queue.PendingEntry;
import io.sluice.core.queue.QueueArguments;
import io.sluice.core.stream.StreamPartition;
import io.sluice.core.stream.StreamSpec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Groups on streams with Redis consumer-group semantics. */
class GroupServiceImplTest {
    private final QueueFixture f = new QueueFixture();
    private final GroupService groups = f.broker.groups();
    private StreamPartition stream;

    @BeforeEach
    void stream() {
        f.broker.streams().create(CTX, StreamSpec.of("s", 1)).join();
        stream = f.broker.streams().partition(CTX, "s", 0);
        append("m0", "m1", "m2");
    }

    @AfterEach
    void close() {
        f.close();
    }

    private void append(String... bodies) {
        for (String b : bodies) {
            stream.publish(List.of(Message.of("s", b.getBytes(StandardCharsets.UTF_8)))).join();
        }
    }

    private DeliveryGroup group(String name, long start) {
        assertThat(groups.create(CTX, "s", 0, name, start, QueueArguments.DEFAULT).join()).isTrue();
        return groups.get(CTX, "s", name).orElseThrow();
    }

    @Test
    void createIsOnceAndNeedsTheStream() {
        group("g", 0);
        assertThat(groups.create(CTX, "s", 0, "g", 0, QueueArguments.DEFAULT).join()).isFalse();
        assertThat(groups.list(CTX, "s")).extracting(DeliveryGroup::name).containsExactly("g");
        assertThatThrownBy(() -> groups.create(CTX, "nope", 0, "g", 0, QueueArguments.DEFAULT).join())
                .satisfies(t -> assertThat(SluiceException.from(t).code()).isEqualTo(ErrorCode.STREAM_NOT_FOUND));
        assertThat(groups.delete(CTX, "s", "g").join()).isTrue();
        assertThat(groups.delete(CTX, "s", "g").join()).isFalse();
        assertThat(groups.get(CTX, "s", "g")).isEmpty();
    }

    @Test
    void groupsReadIndependentlyAndNeverDeleteStreamData() {
        DeliveryGroup a = group("a", 0);
        DeliveryGroup fromEnd = group("b", stream.logEndOffset());
        List<Delivery> got = a.fetch("x", 10, 0, false).join();
        assertThat(bodies(got)).containsExactly("m0", "m1", "m2");
        a.ack(got.stream().map(Delivery::offset).toList()).join();
        assertThat(fromEnd.fetch("y", 10, 0, false).join()).isEmpty();
        append("m3");
        assertThat(bodies(fromEnd.fetch("y", 10, 0, false).join())).containsExactly("m3");
        assertThat(stream.logStartOffset()).isZero();
        assertThat(a.info().cursor()).isEqualTo(3);
    }

    @Test
    void blockingReadWakesOnAppend() {
        DeliveryGroup g = group("g", stream.logEndOffset());
        var waiting = g.fetch("c", 10, 60_000, false);
        append("late");
        assertThat(bodies(waiting.join())).containsExactly("late");
    }

    @Test
    void claimTransfersIdleEntriesAndBumpsTheirCount() {
        DeliveryGroup g = group("g", 0);
        List<Delivery> alice = g.fetch("alice", 2, 0, false).join();
        List<Long> offsets = alice.stream().map(Delivery::offset).toList();
        f.clock.advance(10_000);
        assertThat(g.claim("bob", offsets, 20_000, false, true).join()).isEmpty();
        List<Delivery> bob = g.claim("bob", offsets, 5_000, false, true).join();
        assertThat(bodies(bob)).containsExactly("m0", "m1");
        assertThat(bob).allSatisfy(d -> assertThat(d.deliveryCount()).isEqualTo(2));
        List<PendingEntry> pel = g.pending(0, Long.MAX_VALUE, null, 0, 10).join();
        assertThat(pel).extracting(PendingEntry::consumer).containsExactly("bob", "bob");
        assertThat(g.info().consumers()).containsEntry("alice", 0L).containsEntry("bob", 2L);
        // FORCE claims an existing message that was never delivered (without it, nothing happens).
        assertThat(g.claim("carol", List.of(2L), 0, false, false).join()).isEmpty();
        assertThat(bodies(g.claim("carol", List.of(2L), 0, true, false).join())).containsExactly("m2");
    }

    @Test
    void claimCanSetTheDeliveryTimeAndCountAndARestartKeepsThem() {
        DeliveryGroup g = group("g", 0);
        g.fetch("alice", 2, 0, false).join();
        long now = f.clock.millis();
        // XCLAIM IDLE 60000 RETRYCOUNT 7
        assertThat(g.claim("bob", List.of(0L), 0, false, true, now - 60_000, 7).join())
                .singleElement().satisfies(d -> assertThat(d.deliveryCount()).isEqualTo(7));
        // XCLAIM TIME <in the future> JUSTID: the time is taken as now, the count is left as it was
        g.claim("carol", List.of(1L), 0, false, false, now + 60_000, -1).join();
        assertThat(g.pending(0, Long.MAX_VALUE, null, 0, 10).join()).containsExactly(
                new PendingEntry(0, "bob", 7, now - 60_000), new PendingEntry(1, "carol", 1, now));
        f.restart();
        DeliveryGroup again = f.broker.groups().get(CTX, "s", "g").orElseThrow();
        assertThat(again.pending(0, Long.MAX_VALUE, null, 0, 10).join()).containsExactly(
                new PendingEntry(0, "bob", 7, now - 60_000), new PendingEntry(1, "carol", 1, now));
    }

    @Test
    void pendingFiltersByRangeConsumerIdleAndCount() {
        DeliveryGroup g = group("g", 0);
        g.fetch("alice", 1, 0, false).join();
        f.clock.advance(1_000);
        g.fetch("bob", 2, 0, false).join();
        assertThat(g.pending(0, 10, "bob", 0, 10).join()).extracting(PendingEntry::offset).containsExactly(1L, 2L);
        assertThat(g.pending(0, 10, null, 500, 10).join()).extracting(PendingEntry::consumer)
                .containsExactly("alice");
        assertThat(g.pending(1, 1, null, 0, 10).join()).extracting(PendingEntry::offset).containsExactly(1L);
        assertThat(g.pending(0, 10, null, 0, 2).join()).hasSize(2);
        assertThat(g.pending(0, 10, null, 0, 10).join().get(0).lastDeliveredAt())
                .isEqualTo(f.clock.millis() - 1_000);
    }

    @Test
    void setCursorRereadsAndKeepsPending() {
        DeliveryGroup g = group("g", 0);
        List<Delivery> first = g.fetch("c", 10, 0, false).join();
        g.ack(List.of(first.get(0).offset())).join();
        g.setCursor(0).join();
        List<Delivery> again = g.fetch("d", 10, 0, false).join();
        assertThat(bodies(again)).containsExactly("m0", "m1", "m2");
        assertThat(again.get(0).deliveryCount()).isEqualTo(1);
        assertThat(again.get(1).deliveryCount()).isEqualTo(2);
        assertThat(g.pending(0, 10, null, 0, 10).join()).extracting(PendingEntry::consumer)
                .containsExactly("d", "d", "d");
    }

    @Test
    void consumersAreCreatedAndDeletedWithTheirPendingEntries() {
        DeliveryGroup g = group("g", 0);
        assertThat(g.createConsumer("idle").join()).isTrue();
        assertThat(g.createConsumer("idle").join()).isFalse();
        g.fetch("busy", 2, 0, false).join();
        assertThat(g.info().consumers()).containsOnlyKeys("idle", "busy");
        assertThat(g.deleteConsumer("busy").join()).isEqualTo(2);
        assertThat(g.pending(0, 10, null, 0, 10).join()).isEmpty();
        assertThat(g.deleteConsumer("busy").join()).isZero();
        // Dropped entries are not redelivered: the cursor already passed them.
        assertThat(bodies(g.fetch("idle", 10, 0, false).join())).containsExactly("m2");
    }

    @Test
    void ackWaitLeaseRedeliversOnStreams() {
        QueueArguments wait = new QueueArguments(-1, -1, -1, -1, QueueArguments.DEFAULT.overflow(), 0, null, null,
                -1, false, 30_000, false);
        assertThat(groups.create(CTX, "s", 0, "js", 0, wait).join()).isTrue();
        DeliveryGroup g = groups.get(CTX, "s", "js").orElseThrow();
        Delivery d = g.fetch("c", 1, 0, false).join().get(0);
        f.clock.advance(31_000);
        await().until(() -> g.info().pending() == 0);
        Delivery again = g.fetch("c", 1, 0, false).join().get(0);
        assertThat(again.offset()).isEqualTo(d.offset());
        assertThat(again.deliveryCount()).isEqualTo(2);
    }

    @Test
    void deletingTheStreamDeletesItsGroups() {
        group("g", 0);
        f.broker.streams().delete(CTX, "s").join();
        await().until(() -> groups.get(CTX, "s", "g").isEmpty());
        f.restart();
        assertThat(f.broker.groups().get(CTX, "s", "g")).isEmpty();
    }
}
