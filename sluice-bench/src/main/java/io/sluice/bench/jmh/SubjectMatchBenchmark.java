package io.sluice.bench.jmh;

import io.sluice.core.CallContext;
import io.sluice.core.Message;
import io.sluice.core.internal.BrokerOptions;
import io.sluice.core.internal.DefaultBroker;
import io.sluice.core.pubsub.PatternSyntax;
import io.sluice.core.pubsub.PubSub;
import io.sluice.core.route.TopicMatcher;
import io.sluice.storage.memory.MemoryLogStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * NATS subject matching in the core's transient publish/subscribe (what every core NATS PUB pays), in publishes per
 * second: {@code pubsubPublish} publishes one subject through {@link PubSub#publish} with 10,000 subscriptions in
 * place, of which {@code wildcards} use {@code *} or {@code >}; the listener only counts, so the figure is the
 * matching and dispatch cost. {@code trieMatch} matches the same subjects against the same patterns in a
 * {@link TopicMatcher} trie, as a yardstick for what the pub/sub registry costs per wildcard subscription.
 *
 * <p>Subscriptions: exact {@code orders.r<R>.s<I>} (100 regions), wildcards cycling through {@code orders.r<R>.*},
 * {@code orders.*.s<I>} and {@code orders.r<R>.s<I>.>}. Subjects published are drawn from the exact ones.
 *
 * <p>Run: {@code java -cp sluice-bench/target/classes:$(cat sluice-bench/target/classpath.txt) org.openjdk.jmh.Main
 * SubjectMatchBenchmark -f 1 -wi 1 -i 2 -r 2s}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class SubjectMatchBenchmark {
    static final int SUBSCRIPTIONS = 10_000;
    static final int SUBJECTS = 4_096; // a power of two: the subject index wraps with a mask

    /** How many of the 10,000 subscriptions are wildcard patterns. */
    @Param({"10", "1000"})
    public int wildcards;

    DefaultBroker broker;
    PubSub pubsub;
    final List<AutoCloseable> subscriptions = new ArrayList<>();
    TopicMatcher<Integer> trie;
    final String[] subjects = new String[SUBJECTS];
    final Message message = Message.of("orders", new byte[16]);
    long delivered;
    int next;

    @Setup(Level.Trial)
    public void subscribe() {
        broker = DefaultBroker.start(BrokerOptions.of(new MemoryLogStore(), new MemoryLogStore()));
        pubsub = broker.pubsub();
        trie = TopicMatcher.nats();
        int exact = SUBSCRIPTIONS - wildcards;
        for (int i = 0; i < SUBSCRIPTIONS; i++) {
            String pattern = i < exact ? "orders.r" + (i % 100) + ".s" + i : wildcard(i - exact);
            subscriptions.add(pubsub.subscribe(CallContext.DEFAULT, pattern, PatternSyntax.NATS, null,
                    (subject, m) -> delivered++));
            trie.add(pattern, i);
        }
        SplittableRandom random = new SplittableRandom(42);
        for (int k = 0; k < SUBJECTS; k++) {
            int i = random.nextInt(exact);
            subjects[k] = "orders.r" + (i % 100) + ".s" + i;
        }
    }

    static String wildcard(int w) {
        return switch (w % 3) {
            case 0 -> "orders.r" + (w % 100) + ".*";
            case 1 -> "orders.*.s" + w;
            default -> "orders.r" + (w % 100) + ".s" + w + ".>";
        };
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        for (AutoCloseable s : subscriptions) {
            s.close();
        }
        broker.close();
    }

    private String nextSubject() {
        return subjects[next++ & (SUBJECTS - 1)];
    }

    @Benchmark
    public int pubsubPublish() {
        return pubsub.publish(CallContext.DEFAULT, nextSubject(), message);
    }

    @Benchmark
    public void trieMatch(Blackhole bh) {
        trie.match(nextSubject(), bh::consume);
    }
}
