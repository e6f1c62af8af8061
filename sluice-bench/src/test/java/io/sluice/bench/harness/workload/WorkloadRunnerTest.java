package io.sluice.bench.harness.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.bench.harness.driver.BrokerDriver;
import io.sluice.bench.harness.driver.Publisher;
import io.sluice.bench.harness.driver.Sink;
import io.sluice.bench.harness.driver.Subscriber;
import io.sluice.bench.harness.driver.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;

/**
 * The runner's verification against a scripted in-memory driver: this checks the harness's own bookkeeping (that a
 * lost or reordered delivery fails the run), not any broker's behaviour.
 */
class WorkloadRunnerTest {
    private static final Duration STALL = Duration.ofMillis(300);

    /** Delivers synchronously to every subscriber; can drop chosen messages or hold one back to deliver it late. */
    static final class ScriptedDriver implements BrokerDriver {
        private final LongPredicate drop;
        private final long holdBack;
        private final List<Sink> sinks = new ArrayList<>();
        private Topology topology;
        final List<String> setUps = new ArrayList<>();
        boolean tornDown;

        ScriptedDriver(LongPredicate drop, long holdBack) {
            this.drop = drop;
            this.holdBack = holdBack;
        }

        @Override
        public String serverVersion() {
            return "scripted";
        }

        @Override
        public void setUp(Topology topology) {
            this.topology = topology;
            setUps.add(topology.runId());
        }

        @Override
        public Publisher openPublisher() {
            return new Publisher() {
                private long n;
                private byte[] held;

                @Override
                public void send(int destination, byte[] body) {
                    long seq = n++;
                    if (drop.test(seq)) {
                        return;
                    }
                    if (seq == holdBack) {
                        held = body;
                        return;
                    }
                    sinks.forEach(s -> s.onMessage(body));
                    if (held != null && seq == holdBack + 2) {
                        byte[] late = held;
                        held = null;
                        sinks.forEach(s -> s.onMessage(late));
                    }
                }

                @Override
                public void awaitConfirms(Duration timeout) {
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public Subscriber subscribe(int index, Sink sink) {
            assertThat(index).isLessThan(topology.subscribers());
            sinks.add(sink);
            return () -> sinks.remove(sink);
        }

        @Override
        public void tearDown() {
            tornDown = true;
        }

        @Override
        public void close() {
        }
    }

    private static RunSpec spec(long messages, int destinations, int subscribers, int rate) {
        return new RunSpec(messages, 64, destinations, subscribers, rate, 0, STALL, 0);
    }

    @Test
    void cleanRunVerifiesAndCountsEveryDelivery() throws Exception {
        ScriptedDriver driver = new ScriptedDriver(seq -> false, -1);
        Outcome o = new WorkloadRunner(driver, null, "t").run(Workload.F1, spec(1_000, 1, 3, 0));
        assertThat(o.problems()).isEmpty();
        assertThat(o.deliveries()).isEqualTo(3_000);
        assertThat(driver.tornDown).isTrue();
    }

    @Test
    void aWarmUpPassRunsFirstOnItsOwnDestinationsAndIsNotCounted() throws Exception {
        ScriptedDriver driver = new ScriptedDriver(seq -> false, -1);
        RunSpec withWarmUp = new RunSpec(1_000, 64, 1, 2, 0, 300, STALL, 0);
        Outcome o = new WorkloadRunner(driver, null, "t").run(Workload.F1, withWarmUp);
        assertThat(o.problems()).isEmpty();
        assertThat(driver.setUps).containsExactly("tw", "t");
        assertThat(o.deliveries()).isEqualTo(2_000);
        assertThat(o.extra()).containsEntry("warmup_messages", 300L);
    }

    @Test
    void aLossInTheWarmUpFailsTheRun() throws Exception {
        ScriptedDriver driver = new ScriptedDriver(seq -> seq == 5, -1);
        Outcome o = new WorkloadRunner(driver, null, "t").run(Workload.T1, new RunSpec(100, 64, 1, 1, 0, 50, STALL, 0));
        assertThat(o.ok()).isFalse();
        assertThat(o.problems()).singleElement().asString().startsWith("warm-up: ").contains("LOST 1 of 50");
        assertThat(driver.setUps).containsExactly("tw");
    }

    @Test
    void lostMessageFailsTheRun() throws Exception {
        Outcome o = new WorkloadRunner(new ScriptedDriver(seq -> seq == 500, -1), null, "t").run(Workload.T1, spec(1_000, 1, 1, 0));
        assertThat(o.ok()).isFalse();
        assertThat(o.problems()).singleElement().asString().contains("LOST 1 of 1000").contains("first missing seq 500");
    }

    @Test
    void lostMessageFailsEveryFanOutSubscriber() throws Exception {
        Outcome o = new WorkloadRunner(new ScriptedDriver(seq -> seq == 7, -1), null, "t").run(Workload.F1, spec(100, 1, 4, 0));
        assertThat(o.problems()).hasSize(4).allSatisfy(p -> assertThat(p).contains("LOST 1 of 100"));
    }

    @Test
    void reorderedMessageFailsTheRun() throws Exception {
        Outcome o = new WorkloadRunner(new ScriptedDriver(seq -> false, 10), null, "t").run(Workload.T1, spec(100, 1, 1, 0));
        assertThat(o.problems()).singleElement().asString().contains("out of order").contains("seq 10");
    }

    @Test
    void roundRobinOverManyDestinationsIsInOrderPerDestination() throws Exception {
        Outcome o = new WorkloadRunner(new ScriptedDriver(seq -> false, -1), null, "t").run(Workload.M1, spec(2_000, 100, 1, 0));
        assertThat(o.problems()).isEmpty();
        assertThat(o.extra()).containsKey("setup_seconds");
    }

    @Test
    void pacedRunRecordsLatencyForEveryMessageAfterWarmUp() throws Exception {
        RunSpec paced = new RunSpec(200, 64, 1, 1, 20_000, 50, STALL, 0);
        Outcome o = new WorkloadRunner(new ScriptedDriver(seq -> false, -1), null, "t").run(Workload.L1, paced);
        assertThat(o.problems()).isEmpty();
        assertThat(o.latency().count()).isEqualTo(150);
    }

    @Test
    void replayThatDeliversNothingFails() throws Exception {
        // the scripted driver delivers only to subscribers present at publish time: R1 subscribes after publishing
        Outcome o = new WorkloadRunner(new ScriptedDriver(seq -> false, -1), null, "t").run(Workload.R1, spec(50, 1, 1, 0));
        assertThat(o.problems()).singleElement().asString().contains("LOST 50 of 50");
    }

    /** Stores what is published and hands it to each subscriber on subscription, as a broker with a backlog does. */
    static final class BacklogDriver implements BrokerDriver {
        final List<byte[]> stored = new ArrayList<>();
        final List<String> events = new ArrayList<>();

        @Override
        public String serverVersion() {
            return "backlog";
        }

        @Override
        public void setUp(Topology topology) {
        }

        @Override
        public Publisher openPublisher() {
            events.add("publisher");
            return publisher();
        }

        @Override
        public Publisher openFillPublisher(int window) {
            events.add("fill publisher, window " + window);
            return publisher();
        }

        private Publisher publisher() {
            return new Publisher() {
                @Override
                public void send(int destination, byte[] body) {
                    stored.add(body);
                }

                @Override
                public void awaitConfirms(Duration timeout) {
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public Subscriber subscribe(int index, Sink sink) {
            events.add("subscribe");
            stored.forEach(sink::onMessage);
            return () -> { };
        }

        @Override
        public void tearDown() {
        }

        @Override
        public void close() {
        }
    }

    @Test
    void replayFillsThroughTheBulkPathAndMakesTheCacheColdBeforeReading() throws Exception {
        BacklogDriver driver = new BacklogDriver();
        WorkloadRunner.Options prep = new WorkloadRunner.Options(7, () -> {
            driver.events.add("cold");
            return "dropped by the test";
        }, false);
        Outcome o = new WorkloadRunner(driver, null, "t", prep).run(Workload.R1, spec(50, 1, 1, 0));
        assertThat(o.problems()).isEmpty();
        assertThat(driver.events).containsExactly("fill publisher, window 7", "cold", "subscribe");
        assertThat(o.extra()).containsEntry("replay_cache", "dropped by the test").containsEntry("fill_window", 7);
    }
}
