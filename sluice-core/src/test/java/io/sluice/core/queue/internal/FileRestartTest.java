package io.sluice.core.queue.internal;

import static io.sluice.core.queue.internal.QueueFixture.CTX;
import static io.sluice.core.queue.internal.QueueFixture.bodies;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.Message;
import io.sluice.core.internal.BrokerOptions;
import io.sluice.core.internal.DefaultBroker;
import io.sluice.core.queue.Delivery;
import io.sluice.core.queue.DeliveryGroup;
import io.sluice.core.queue.PendingEntry;
import io.sluice.core.queue.QueueArguments;
import io.sluice.core.queue.QueueSpec;
import io.sluice.core.stream.StreamSpec;
import io.sluice.storage.log.FileLogStore;
import io.sluice.storage.memory.MemoryLogStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Restart on the file log store: queue definitions, messages and group state come back from disk. */
class FileRestartTest {
    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(1_700_000_000_000L);

    private DefaultBroker open() {
        FileLogStore store = FileLogStore.open(dir, FileLogStore.Options.defaults().withWriterThreads(1)
                .withClock(clock::millis));
        return DefaultBroker.start(BrokerOptions.of(store, new MemoryLogStore(clock::millis)).withClock(clock));
    }

    @Test
    void queueAndStreamGroupStateSurviveAReopenOfTheDataDirectory() {
        List<Delivery> held;
        List<Delivery> alice;
        try (DefaultBroker b = open()) {
            b.queues().declare(CTX, QueueSpec.durable("q")).join();
            for (String m : List.of("1", "2", "3")) {
                b.queues().enqueue(CTX, "q", Message.of("q", m.getBytes(StandardCharsets.UTF_8))).join();
            }
            DeliveryGroup g = b.queues().consumers(CTX, "q");
            held = g.fetch("c", 2, 0, false).join();
            g.ack(List.of(held.get(0).offset())).join();

            b.streams().create(CTX, StreamSpec.of("s", 1)).join();
            var p = b.streams().partition(CTX, "s", 0);
            p.publish(List.of(Message.of("s", "a".getBytes(StandardCharsets.UTF_8)),
                    Message.of("s", "b".getBytes(StandardCharsets.UTF_8)))).join();
            b.groups().create(CTX, "s", 0, "g", 0, QueueArguments.DEFAULT).join();
            alice = b.groups().get(CTX, "s", "g").orElseThrow().fetch("alice", 1, 0, false).join();
            // Each operation's future completes after its turn handed the state records to the log.
        }
        try (DefaultBroker b = open()) {
            DeliveryGroup g = b.queues().consumers(CTX, "q");
            List<Delivery> again = g.fetch("c", 10, 0, false).join();
            assertThat(bodies(again)).containsExactly("2", "3");
            assertThat(again.get(0).redelivered()).isTrue();
            assertThat(again.get(1).redelivered()).isFalse();

            DeliveryGroup sg = b.groups().get(CTX, "s", "g").orElseThrow();
            assertThat(sg.pending(0, Long.MAX_VALUE, null, 0, 10).join()).extracting(PendingEntry::offset,
                    PendingEntry::consumer).containsExactly(org.assertj.core.groups.Tuple.tuple(
                    alice.get(0).offset(), "alice"));
            assertThat(bodies(sg.fetch("bob", 10, 0, false).join())).containsExactly("b");
        }
    }
}
