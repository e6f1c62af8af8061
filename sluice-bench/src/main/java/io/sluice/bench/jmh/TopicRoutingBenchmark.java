package io.sluice.bench.jmh;

import io.sluice.core.CallContext;
import io.sluice.core.internal.BrokerOptions;
import io.sluice.core.internal.DefaultBroker;
import io.sluice.core.internal.ExchangeServiceImpl;
import io.sluice.core.queue.QueueArguments;
import io.sluice.core.queue.QueueSpec;
import io.sluice.core.route.Binding;
import io.sluice.core.route.ExchangeSpec;
import io.sluice.core.route.ExchangeType;
import io.sluice.core.route.TopicMatcher;
import io.sluice.storage.memory.MemoryLogStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Routing one routing key through an AMQP topic exchange holding 10,000 bindings, in routed keys per second.
 * {@code exchangeRoute} goes through the broker's exchange service (read lock, trie walk, destination set: what an
 * AMQP publish pays before the append); {@code matcherOnly} walks the same patterns in a bare
 * {@link TopicMatcher}, isolating the trie from the exchange's bookkeeping.
 *
 * <p>The bindings model a market-data fan-out: 9,000 exact keys {@code m<M>.s<S>.k<I>} (10 markets, 100 sectors),
 * 900 with a one-word wildcard {@code m<M>.*.k<I>}, 90 sector subscriptions {@code m<M>.s<S>.#} and 10 key
 * subscriptions across markets {@code #.k<I>} (a {@code #} at the root is the expensive case: it tries every
 * suffix of every key). The keys routed are drawn from the exact bindings, so each reaches at least one queue; the
 * 10,000 bindings go to 1,000 non-durable queues on an in-memory store (routing, not the append, is measured).
 *
 * <p>Run: {@code java -cp sluice-bench/target/classes:$(cat sluice-bench/target/classpath.txt) org.openjdk.jmh.Main
 * TopicRoutingBenchmark -f 1 -wi 1 -i 2 -r 2s}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class TopicRoutingBenchmark {
    static final int BINDINGS = 10_000;
    static final int QUEUES = 1_000;
    static final int KEYS = 4_096; // a power of two: the key index wraps with a mask

    DefaultBroker broker;
    ExchangeServiceImpl exchanges;
    final TopicMatcher<Binding> matcher = TopicMatcher.amqp();
    final String[] keys = new String[KEYS];
    int next;

    @Setup(Level.Trial)
    public void bind() {
        broker = DefaultBroker.start(BrokerOptions.of(new MemoryLogStore(), new MemoryLogStore()));
        exchanges = (ExchangeServiceImpl) broker.exchanges();
        CallContext ctx = CallContext.DEFAULT;
        exchanges.declare(ctx, new ExchangeSpec("bench.topic", ExchangeType.TOPIC, false, false, false, null, Map.of()))
                .join();
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (int q = 0; q < QUEUES; q++) {
            pending.add(broker.queues().declare(ctx,
                    new QueueSpec("bench.q" + q, false, null, false, QueueArguments.DEFAULT)));
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
        pending.clear();
        for (int i = 0; i < BINDINGS; i++) {
            Binding b = new Binding("bench.topic", "bench.q" + (i % QUEUES), false, pattern(i), Map.of());
            matcher.add(b.routingKey(), b);
            pending.add(exchanges.bind(ctx, b));
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
        SplittableRandom random = new SplittableRandom(42);
        for (int k = 0; k < KEYS; k++) {
            int i = random.nextInt(BINDINGS / 10) * 10 + 1 + random.nextInt(8); // an exact binding's key
            keys[k] = pattern(i);
        }
    }

    /** Binding {@code i}'s key: see the class comment for the mix. */
    static String pattern(int i) {
        int market = i % 10;
        int sector = (i / 10) % 100;
        if (i % 1000 == 0) {
            return "#.k" + i;
        } else if (i % 100 == 0) {
            return "m" + market + ".s" + sector + ".#";
        } else if (i % 10 == 0) {
            return "m" + market + ".*.k" + i;
        }
        return "m" + market + ".s" + sector + ".k" + i;
    }

    @TearDown(Level.Trial)
    public void close() {
        broker.close();
    }

    private String nextKey() {
        return keys[next++ & (KEYS - 1)];
    }

    @Benchmark
    public int exchangeRoute() {
        return exchanges.route(CallContext.DEFAULT, "bench.topic", nextKey(), Map.of()).size();
    }

    @Benchmark
    public void matcherOnly(Blackhole bh) {
        matcher.match(nextKey(), bh::consume);
    }
}
