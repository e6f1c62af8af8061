package io.sluice.core.queue.internal;

import static io.sluice.core.queue.internal.QueueFixture.CTX;
import static io.sluice.core.queue.internal.QueueFixture.bodies;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.core.Message;
import io.sluice.core.internal.StreamServiceImpl;
import io.sluice.core.queue.Delivery;
import io.sluice.core.queue.DeliveryGroup;
import io.sluice.core.queue.PendingEntry;
import io.sluice.core.queue.QueueArguments;
import io.sluice.core.queue.QueueSpec;
import io.sluice.core.stream.StreamSpec;
import io.sluice.storage.PartitionLog;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Restart replay: the broker is closed and reopened on the same stores (in-memory logs keep their data across close,
 * standing in for files).
 */
class RestartTest {
    private final QueueFixture f = new QueueFixture();

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void unackedQueueMessagesAreRedeliveredAfterARestartAndAckedOnesAreNot() {
        DeliveryGroup g = f.declare("q");
        f.publish("q", "1", "2", "3", "4");
        List<Delivery> ds = g.fetch("c", 3, 0, false).join();
        g.ack(List.of(ds.get(0).offset())).join();
        g.nack(List.of(ds.get(2).offset()), true, 0).join();

        f.restart();

        DeliveryGroup again = f.broker.queues().consumers(CTX, "q");
        assertThat(f.broker.queues().describe(CTX, "q").orElseThrow().messages()).isEqualTo(3);
        List<Delivery> after = again.fetch("c", 10, 0, false).join();
        assertThat(bodies(after)).containsExactly("2", "3", "4");
        assertThat(after.get(0).redelivered()).isTrue();
        assertThat(after.get(0).deliveryCount()).isEqualTo(2);
        assertThat(after.get(1).deliveryCount()).isEqualTo(2);
        assertThat(after.get(2).redelivered()).isFalse();
    }

    @Test
    void transientQueuesDoNotSurviveARestart() {
        f.broker.queues().declare(CTX, new QueueSpec("t", false, null, false, QueueArguments.DEFAULT)).join();
        f.publish("t", "x");
        f.restart();
        assertThat(f.broker.queues().describe(CTX, "t")).isEmpty();
        f.broker.queues().declare(CTX, new QueueSpec("t", false, null, false, QueueArguments.DEFAULT)).join();
        assertThat(f.broker.queues().consumers(CTX, "t").fetch("c", 1, 0, false).join()).isEmpty();
    }

    @Test
    void streamGroupKeepsItsPendingEntriesListAcrossARestart() {
        f.broker.streams().create(CTX, StreamSpec.of("s", 1)).join();
        var p = f.broker.streams().partition(CTX, "s", 0);
        for (int i = 0; i < 4; i++) {
            p.publish(List.of(Message.of("s", ("m" + i).getBytes(StandardCharsets.UTF_8)))).join();
        }
        f.broker.groups().create(CTX, "s", 0, "g", 0, QueueArguments.DEFAULT).join();
        DeliveryGroup g = f.broker.groups().get(CTX, "s", "g").orElseThrow();
        List<Delivery> alice = g.fetch("alice", 2, 0, false).join();
        List<Delivery> bob = g.fetch("bob", 1, 0, false).join();
        g.ack(List.of(bob.get(0).offset())).join();
        g.createConsumer("carol").join();

        f.restart();

        DeliveryGroup again = f.broker.groups().get(CTX, "s", "g").orElseThrow();
        List<PendingEntry> pel = again.pending(0, Long.MAX_VALUE, null, 0, 100).join();
        assertThat(pel).extracting(PendingEntry::offset).containsExactly(alice.get(0).offset(), alice.get(1).offset());
        assertThat(pel).allSatisfy(e -> {
            assertThat(e.consumer()).isEqualTo("alice");
            assertThat(e.deliveryCount()).isEqualTo(1);
        });
        assertThat(again.info().consumers()).containsKeys("alice", "bob", "carol");
        assertThat(bodies(again.pendingDeliveries("alice", -1, 10).join())).containsExactly("m0", "m1");
        assertThat(bodies(again.fetch("bob", 10, 0, false).join())).containsExactly("m3");
    }

    @Test
    void deliveriesJournaledAsRunsReplayToEachEntryWithItsOwnCountAndConsumer() {
        f.broker.streams().create(CTX, StreamSpec.of("s", 1)).join();
        var p = f.broker.streams().partition(CTX, "s", 0);
        List<Message> ms = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ms.add(Message.of("s", ("m" + i).getBytes(StandardCharsets.UTF_8)));
        }
        p.publish(ms).join();
        f.broker.groups().create(CTX, "s", 0, "g", 0, QueueArguments.DEFAULT).join();
        DeliveryGroup g = f.broker.groups().get(CTX, "s", "g").orElseThrow();
        List<Delivery> alice = g.fetch("alice", 5, 0, false).join(); // one run: 0..4
        long first = alice.get(0).offset();
        g.nack(List.of(first + 1, first + 3), true, 0).join();
        // bob gets the two returned entries (second delivery) and then a run of new ones, 5..9
        List<Delivery> bob = g.fetch("bob", 10, 0, false).join();
        assertThat(bob).extracting(Delivery::offset)
                .containsExactly(first + 1, first + 3, first + 5, first + 6, first + 7, first + 8, first + 9);
        g.ack(List.of(first)).join();

        f.restart();

        DeliveryGroup again = f.broker.groups().get(CTX, "s", "g").orElseThrow();
        List<PendingEntry> pel = again.pending(0, Long.MAX_VALUE, null, 0, 100).join();
        assertThat(pel).extracting(e -> (e.offset() - first) + ":" + e.consumer() + ":" + e.deliveryCount())
                .containsExactly("1:bob:2", "2:alice:1", "3:bob:2", "4:alice:1",
                        "5:bob:1", "6:bob:1", "7:bob:1", "8:bob:1", "9:bob:1");
        assertThat(again.fetch("carol", 10, 0, false).join()).isEmpty();
    }

    @Test
    void snapshotsKeepTheStateLogShortAndReplayToTheSameState() {
        DeliveryGroup g = f.declare("q");
        int n = GroupJournal.SNAPSHOT_EVERY + 500;
        var part = f.broker.streams().partition(CTX, "q", 0);
        List<Message> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            batch.add(Message.of("q", Integer.toString(i).getBytes(StandardCharsets.UTF_8)));
        }
        part.publish(batch).join();
        int seen = 0;
        while (seen < n - 3) {
            List<Delivery> ds = g.fetch("c", Math.min(200, n - 3 - seen), 0, false).join();
            g.ack(ds.stream().map(Delivery::offset).toList()).join();
            seen += ds.size();
        }
        List<Delivery> held = g.fetch("c", 2, 0, false).join();

        PartitionLog journal = f.logs.get(StreamServiceImpl.logId(CTX.scope(), GroupJournal.logName("q", ""), 0))
                .orElseThrow();
        await().until(() -> journal.logStartOffset() > 0);

        f.restart();

        DeliveryGroup again = f.broker.queues().consumers(CTX, "q");
        List<Delivery> rest = again.fetch("c", 10, 0, false).join();
        assertThat(rest).extracting(Delivery::offset)
                .containsExactly(held.get(0).offset(), held.get(1).offset(), (long) n - 1);
        assertThat(rest.get(0).redelivered()).isTrue();
    }
}
