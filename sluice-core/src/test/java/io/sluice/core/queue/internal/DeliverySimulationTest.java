package io.sluice.core.queue.internal;

import static io.sluice.core.queue.internal.QueueFixture.CTX;
import static io.sluice.core.queue.internal.QueueFixture.body;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.Message;
import io.sluice.core.queue.ConsumerSpec;
import io.sluice.core.queue.Delivery;
import io.sluice.core.queue.DeliveryGroup;
import io.sluice.core.queue.DeliveryListener;
import io.sluice.core.queue.PendingEntry;
import io.sluice.core.queue.QueueArguments;
import io.sluice.core.queue.Subscription;
import io.sluice.core.stream.StreamSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded random operations against a queue (and a group on a stream) checked against a simple model after every
 * step: no message is delivered while another consumer holds it, none is delivered after it was acknowledged or
 * dropped, the redelivered flag is right, restarts lose nothing, and in the end every published message was acked
 * or dropped exactly once. Every operation is awaited before the next, so a seed always replays the same run; push
 * deliveries are collected after a round trip through the group's executor (its turns run in order, and a push
 * happens inside the turn that made a message ready).
 */
class DeliverySimulationTest {
    private static final String[] CONSUMERS = {"c0", "c1", "c2"};

    /** What the engine must be doing, message by message (messages are named by body). */
    private static final class Model {
        final Set<String> published = new HashSet<>();
        final Set<String> finished = new HashSet<>();
        final Map<String, String> heldBy = new HashMap<>();
        final Map<String, Long> offsetOf = new HashMap<>();
        final Set<String> deliveredBefore = new HashSet<>();

        void delivered(Delivery d) {
            String m = body(d);
            assertThat(published).as("delivered something never published").contains(m);
            assertThat(finished).as("%s delivered after it was acked or dropped", m).doesNotContain(m);
            assertThat(heldBy.get(m)).as("%s delivered to %s while held by another", m, d.consumer()).isNull();
            assertThat(d.redelivered()).as("redelivered flag of %s", m).isEqualTo(deliveredBefore.contains(m));
            deliveredBefore.add(m);
            heldBy.put(m, d.consumer());
            offsetOf.put(m, d.offset());
        }

        List<String> held(String consumer) {
            return heldBy.entrySet().stream().filter(e -> e.getValue().equals(consumer)).map(Map.Entry::getKey)
                    .sorted().toList();
        }

        long ready() {
            return published.size() - finished.size() - heldBy.size();
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void queueNeverLosesOrDoublyDeliversAMessage(long seed) {
        Random rnd = new Random(seed);
        Model model = new Model();
        ConcurrentLinkedQueue<Delivery> pushed = new ConcurrentLinkedQueue<>();
        DeliveryListener listener = pushed::add;
        Subscription push = null;
        int pushes = 0;
        try (QueueFixture f = new QueueFixture()) {
            DeliveryGroup g = f.declare("q");
            int next = 0;
            for (int step = 0; step < 1000; step++) {
                int op = rnd.nextInt(100);
                String c = CONSUMERS[rnd.nextInt(CONSUMERS.length)];
                if (op >= 93 && op < 97) {
                    // The push consumer "p": subscribe with a small prefetch, or leave (its unacked return).
                    if (push == null) {
                        push = g.subscribe(new ConsumerSpec("p", "conn", 1 + rnd.nextInt(4), false, false, 0),
                                listener);
                    } else {
                        push.close();
                        push = null;
                        // close() only queues the turn that returns p's deliveries: wait for it before the model
                        // moves on (figures are read without a round trip, and publishes bypass the executor).
                        g.pending(0, 0, null, 0, 1).join();
                        model.held("p").forEach(model.heldBy::remove);
                    }
                    op = 100; // handled
                }
                if (op < 30) {
                    int n = 1 + rnd.nextInt(5);
                    for (int i = 0; i < n; i++) {
                        String m = "m" + next++;
                        model.published.add(m);
                        f.publish("q", m);
                    }
                } else if (op < 55) {
                    boolean noAck = rnd.nextInt(10) == 0;
                    for (Delivery d : g.fetch(c, 1 + rnd.nextInt(4), 0, noAck).join()) {
                        model.delivered(d);
                        if (noAck) {
                            model.heldBy.remove(body(d));
                            model.finished.add(body(d));
                        }
                    }
                } else if (op < 75) {
                    List<String> mine = pick(rnd, model.held(c));
                    int n = g.ack(mine.stream().map(model.offsetOf::get).toList()).join();
                    assertThat(n).isEqualTo(mine.size());
                    mine.forEach(m -> {
                        model.heldBy.remove(m);
                        model.finished.add(m);
                    });
                } else if (op < 88) {
                    List<String> mine = pick(rnd, model.held(c));
                    boolean requeue = rnd.nextInt(4) != 0;
                    g.nack(mine.stream().map(model.offsetOf::get).toList(), requeue, 0).join();
                    mine.forEach(m -> {
                        model.heldBy.remove(m);
                        if (!requeue) {
                            model.finished.add(m);
                        }
                    });
                } else if (op < 91) {
                    assertThat(f.broker.queues().purge(CTX, "q").join()).isEqualTo(model.ready());
                    for (String m : model.published) {
                        if (!model.finished.contains(m) && !model.heldBy.containsKey(m)) {
                            model.finished.add(m);
                        }
                    }
                } else if (op < 93) {
                    f.restart();
                    g = f.broker.queues().consumers(CTX, "q");
                    push = null; // its connection is gone with the broker
                    model.heldBy.clear(); // a restart returns every unacked message, marked redelivered
                } else if (op < 100) {
                    var info = f.broker.queues().describe(CTX, "q").orElseThrow();
                    assertThat(info.messages()).isEqualTo(model.ready());
                    assertThat(info.unacked()).isEqualTo(model.heldBy.size());
                }
                if (push != null) {
                    if (rnd.nextInt(3) == 0) {
                        List<String> mine = model.held("p");
                        g.ack(mine.stream().map(model.offsetOf::get).toList()).join();
                        mine.forEach(m -> {
                            model.heldBy.remove(m);
                            model.finished.add(m);
                        });
                    }
                    // A round trip through the group's executor: every push of the turns before it has happened.
                    g.pending(0, 0, null, 0, 1).join();
                    Delivery d;
                    while ((d = pushed.poll()) != null) {
                        model.delivered(d);
                        pushes++;
                    }
                }
            }
            if (push != null) {
                push.close();
                g.pending(0, 0, null, 0, 1).join();
                pushed.forEach(model::delivered);
                pushed.clear();
                model.held("p").forEach(model.heldBy::remove);
            }
            drain(g, model);
            assertThat(pushes).as("the run exercised the push consumer").isPositive();
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {4, 5})
    void streamGroupNeverLosesOrDoublyDeliversAMessage(long seed) {
        Random rnd = new Random(seed);
        Model model = new Model();
        try (QueueFixture f = new QueueFixture()) {
            f.broker.streams().create(CTX, StreamSpec.of("s", 1)).join();
            f.broker.groups().create(CTX, "s", 0, "g", 0, QueueArguments.DEFAULT).join();
            DeliveryGroup g = f.broker.groups().get(CTX, "s", "g").orElseThrow();
            int next = 0;
            for (int step = 0; step < 800; step++) {
                int op = rnd.nextInt(100);
                String c = CONSUMERS[rnd.nextInt(CONSUMERS.length)];
                if (op < 30) {
                    String m = "m" + next++;
                    model.published.add(m);
                    f.broker.streams().partition(CTX, "s", 0)
                            .publish(List.of(Message.of("s", m.getBytes(StandardCharsets.UTF_8)))).join();
                } else if (op < 55) {
                    g.fetch(c, 1 + rnd.nextInt(4), 0, false).join().forEach(model::delivered);
                } else if (op < 75) {
                    List<String> mine = pick(rnd, model.held(c));
                    assertThat(g.ack(mine.stream().map(model.offsetOf::get).toList()).join()).isEqualTo(mine.size());
                    mine.forEach(m -> {
                        model.heldBy.remove(m);
                        model.finished.add(m);
                    });
                } else if (op < 85) {
                    // XCLAIM with min-idle 0: c takes over another consumer's entries.
                    String other = CONSUMERS[rnd.nextInt(CONSUMERS.length)];
                    List<String> theirs = pick(rnd, model.held(other));
                    List<Delivery> got = g.claim(c, theirs.stream().map(model.offsetOf::get).toList(), 0, false, true)
                            .join();
                    assertThat(got).hasSize(theirs.size());
                    got.forEach(d -> model.heldBy.put(body(d), c));
                } else if (op < 88) {
                    f.restart();
                    g = f.broker.groups().get(CTX, "s", "g").orElseThrow();
                    // Groups on streams keep their pending entries, with their owners.
                } else {
                    List<PendingEntry> pel = g.pending(0, Long.MAX_VALUE, null, 0, 100_000).join();
                    Map<Long, String> owners = new HashMap<>();
                    pel.forEach(e -> owners.put(e.offset(), e.consumer()));
                    Map<Long, String> expected = new HashMap<>();
                    model.heldBy.forEach((m, owner) -> expected.put(model.offsetOf.get(m), owner));
                    assertThat(owners).isEqualTo(expected);
                }
            }
            for (String c : CONSUMERS) {
                List<String> mine = model.held(c);
                g.ack(mine.stream().map(model.offsetOf::get).toList()).join();
                mine.forEach(m -> {
                    model.heldBy.remove(m);
                    model.finished.add(m);
                });
            }
            List<Delivery> rest;
            while (!(rest = g.fetch("last", 100, 0, true).join()).isEmpty()) {
                rest.forEach(d -> {
                    model.delivered(d);
                    model.heldBy.remove(body(d));
                    model.finished.add(body(d));
                });
            }
            assertThat(model.finished).isEqualTo(model.published);
        }
    }

    private static void drain(DeliveryGroup g, Model model) {
        for (String c : CONSUMERS) {
            List<String> mine = model.held(c);
            g.ack(mine.stream().map(model.offsetOf::get).toList()).join();
            mine.forEach(m -> {
                model.heldBy.remove(m);
                model.finished.add(m);
            });
        }
        List<Delivery> rest;
        while (!(rest = g.fetch("last", 100, 0, false).join()).isEmpty()) {
            rest.forEach(model::delivered);
            g.ack(rest.stream().map(Delivery::offset).toList()).join();
            rest.forEach(d -> {
                model.heldBy.remove(body(d));
                model.finished.add(body(d));
            });
        }
        assertThat(model.heldBy).isEmpty();
        assertThat(model.finished).isEqualTo(model.published);
    }

    private static List<String> pick(Random rnd, List<String> from) {
        List<String> out = new ArrayList<>();
        for (String m : from) {
            if (rnd.nextBoolean()) {
                out.add(m);
            }
        }
        return out;
    }
}
