package io.sluice.it.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.MessageProperties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Publisher confirms survive SIGKILL of the broker: a separate JVM ({@link CrashServer}, fsync mode) serves a
 * durable classic queue and a durable {@code x-queue-type=quorum} queue; this test publishes persistent messages with
 * confirms on and consumes with manual acks at the same time, holding a few deliveries unacknowledged, then kills the
 * broker with SIGKILL under load, restarts it on the same data folder and drains both queues. Several rounds.
 *
 * <p>After each restart: every confirmed message that was not acknowledged before the crash is delivered; nothing is
 * delivered that was never published; nothing is delivered twice by one drain; every delivery held unacknowledged at
 * the crash comes back with {@code redelivered=true}. Tolerated and counted: unconfirmed publishes that were stored
 * anyway, and deliveries acknowledged just before the kill whose ack the broker never processed (at-least-once).
 */
@Tag("crash")
class AmqpCrashTest {

    private static final List<String> QUEUES = List.of("crash.classic", "crash.quorum");
    private static final int ROUNDS = 4;
    private static final int WINDOW = 200;
    private static final int HELD_PER_ROUND = 20;

    /** Everything the test saw, per queue, across rounds. */
    private static final class Ledger {
        final Set<String> published = ConcurrentHashMap.newKeySet();
        final Set<String> confirmed = ConcurrentHashMap.newKeySet();
        final Set<String> delivered = ConcurrentHashMap.newKeySet();
        final Set<String> ackSent = ConcurrentHashMap.newKeySet();
        final AtomicInteger nacked = new AtomicInteger();
        int storedUnconfirmed;
        int redeliveredAfterLostAck;
    }

    private record Received(String body, boolean redelivered) {
    }

    @Test
    void confirmedMessagesSurviveSigkillAndUnackedOnesAreRedelivered(@TempDir Path dir) throws Exception {
        Random random = new Random(4242);
        Map<String, Ledger> ledgers = new HashMap<>();
        QUEUES.forEach(q -> ledgers.put(q, new Ledger()));
        CrashBroker broker = CrashBroker.start(dir);
        try {
            try (Connection c = factory(broker.port("amqp")).newConnection()) {
                Channel ch = c.createChannel();
                ch.queueDeclare("crash.classic", true, false, false, Map.of());
                ch.queueDeclare("crash.quorum", true, false, false, Map.of("x-queue-type", "quorum"));
            }
            List<String> report = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                Map<String, Set<String>> held = load(broker, "r" + round, ledgers, 600 + random.nextInt(1000));
                broker = CrashBroker.start(dir);
                for (String q : QUEUES) {
                    Ledger l = ledgers.get(q);
                    Set<String> ackedBefore = new HashSet<>(l.ackSent);
                    List<Received> drained = drain(broker.port("amqp"), q, l);
                    report.add(verify("round " + round + " " + q, l, held.get(q), ackedBefore, drained));
                }
            }
            report.forEach(System.out::println);
            for (String q : QUEUES) {
                Ledger l = ledgers.get(q);
                assertThat(l.nacked.get()).as("nacks from %s", q).isZero();
                assertThat(l.confirmed).as("confirmed publishes to %s", q).hasSizeGreaterThan(200);
            }
        } finally {
            broker.kill();
        }
    }

    /**
     * Publishes to and consumes from every queue for {@code runMillis}, then kills the broker under that load.
     * Returns, per queue, the bodies delivered and held unacknowledged at the kill.
     */
    private Map<String, Set<String>> load(CrashBroker broker, String round, Map<String, Ledger> ledgers,
                                          long runMillis) throws Exception {
        ConnectionFactory f = factory(broker.port("amqp"));
        List<Connection> connections = new ArrayList<>();
        List<Thread> publishers = new ArrayList<>();
        Map<String, Set<String>> held = new HashMap<>();
        AtomicLong stop = new AtomicLong();
        for (String q : QUEUES) {
            Ledger l = ledgers.get(q);
            Set<String> heldHere = ConcurrentHashMap.newKeySet();
            held.put(q, heldHere);
            Connection cc = f.newConnection();
            connections.add(cc);
            Channel consumer = cc.createChannel();
            consumer.basicQos(100);
            AtomicInteger deliveries = new AtomicInteger();
            consumer.basicConsume(q, false, new DefaultConsumer(consumer) {
                @Override
                public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties props, byte[] body)
                        throws java.io.IOException {
                    String b = new String(body, StandardCharsets.UTF_8);
                    l.delivered.add(b);
                    if (deliveries.incrementAndGet() % 5 == 0 && heldHere.size() < HELD_PER_ROUND) {
                        heldHere.add(b); // delivered, never acknowledged: must come back as redelivered
                        return;
                    }
                    l.ackSent.add(b);
                    getChannel().basicAck(env.getDeliveryTag(), false);
                }
            });
            Connection pc = f.newConnection();
            connections.add(pc);
            Channel ch = pc.createChannel();
            ch.confirmSelect();
            ConcurrentNavigableMap<Long, String> outstanding = new ConcurrentSkipListMap<>();
            Semaphore window = new Semaphore(WINDOW);
            ch.addConfirmListener(new ConfirmListener() {
                @Override
                public void handleAck(long seq, boolean multiple) {
                    settle(seq, multiple, l.confirmed);
                }

                @Override
                public void handleNack(long seq, boolean multiple) {
                    l.nacked.incrementAndGet();
                    settle(seq, multiple, new HashSet<>());
                }

                private void settle(long seq, boolean multiple, Set<String> into) {
                    Map<Long, String> done = multiple ? outstanding.headMap(seq, true) : outstanding.subMap(seq, true,
                            seq, true);
                    into.addAll(done.values());
                    window.release(done.size());
                    done.clear();
                }
            });
            Thread t = new Thread(() -> {
                try {
                    for (long i = 0; stop.get() == 0; i++) {
                        if (!window.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                            continue;
                        }
                        String body = q + "-" + round + "-" + i;
                        l.published.add(body);
                        outstanding.put(ch.getNextPublishSeqNo(), body);
                        ch.basicPublish("", q, MessageProperties.PERSISTENT_BASIC,
                                body.getBytes(StandardCharsets.UTF_8));
                    }
                } catch (Exception expected) {
                    // the broker was killed under the publisher
                }
            }, "crash-publisher-" + q);
            t.start();
            publishers.add(t);
        }
        Thread.sleep(runMillis);
        broker.kill();
        stop.set(1);
        for (Thread t : publishers) {
            t.join(10_000);
        }
        connections.forEach(c -> c.abort(1000));
        return held;
    }

    /** Consumes {@code queue} until it is empty, acknowledging every delivery; closes the channel cleanly. */
    private List<Received> drain(int port, String queue, Ledger l) throws Exception {
        List<Received> out = java.util.Collections.synchronizedList(new ArrayList<>());
        try (Connection c = factory(port).newConnection()) {
            Channel ch = c.createChannel();
            ch.basicQos(500);
            AtomicLong lastAt = new AtomicLong(System.nanoTime());
            String tag = ch.basicConsume(queue, false, new DefaultConsumer(ch) {
                @Override
                public void handleDelivery(String t, Envelope env, AMQP.BasicProperties props, byte[] body)
                        throws java.io.IOException {
                    String b = new String(body, StandardCharsets.UTF_8);
                    out.add(new Received(b, env.isRedeliver()));
                    l.ackSent.add(b);
                    lastAt.set(System.nanoTime());
                    getChannel().basicAck(env.getDeliveryTag(), false);
                }
            });
            Channel probe = c.createChannel();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                    probe.queueDeclarePassive(queue).getMessageCount() == 0
                            && System.nanoTime() - lastAt.get() > TimeUnit.MILLISECONDS.toNanos(500));
            ch.basicCancel(tag);
            ch.close(); // after the acks, in channel order: the broker has applied them when this returns
        }
        return out;
    }

    private static String verify(String what, Ledger l, Set<String> held, Set<String> ackedBefore,
                                 List<Received> drained) {
        Set<String> seen = new HashSet<>();
        List<String> invented = new ArrayList<>();
        List<String> twice = new ArrayList<>();
        List<String> heldNotRedelivered = new ArrayList<>();
        int unconfirmed = 0;
        int lostAck = 0;
        for (Received r : drained) {
            if (!l.published.contains(r.body())) {
                invented.add(r.body());
            }
            if (!seen.add(r.body())) {
                twice.add(r.body());
            }
            if (held.contains(r.body()) && !r.redelivered()) {
                heldNotRedelivered.add(r.body());
            }
            if (!l.confirmed.contains(r.body()) && !l.delivered.contains(r.body())) {
                unconfirmed++;
            }
            if (ackedBefore.contains(r.body())) {
                lostAck++;
            }
        }
        List<String> missing = new ArrayList<>();
        Set<String> expected = new HashSet<>(l.confirmed);
        expected.addAll(l.delivered);
        expected.removeAll(ackedBefore);
        for (String b : expected) {
            if (!seen.contains(b)) {
                missing.add(b);
            }
        }
        List<String> heldMissing = held.stream().filter(b -> !seen.contains(b)).toList();
        assertThat(invented).as("%s: delivered but never published", what).isEmpty();
        assertThat(twice).as("%s: delivered twice by one drain", what).isEmpty();
        assertThat(missing).as("%s: confirmed or delivered, not acknowledged, and lost", what).isEmpty();
        assertThat(heldMissing).as("%s: held unacknowledged at the crash, not redelivered", what).isEmpty();
        assertThat(heldNotRedelivered).as("%s: held unacknowledged at the crash, redelivered=false", what).isEmpty();
        l.delivered.addAll(seen);
        l.storedUnconfirmed += unconfirmed;
        l.redeliveredAfterLostAck += lostAck;
        return String.format("%s: published %d, confirmed %d, drained %d (held+redelivered %d, stored though "
                        + "unconfirmed %d, redelivered after an ack lost in the crash %d)", what, l.published.size(),
                l.confirmed.size(), drained.size(), held.size(), unconfirmed, lostAck);
    }

    private static ConnectionFactory factory(int port) {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost("127.0.0.1");
        f.setPort(port);
        f.setAutomaticRecoveryEnabled(false);
        f.setConnectionTimeout(10_000);
        f.setHandshakeTimeout(10_000);
        f.setChannelRpcTimeout(20_000);
        return f;
    }
}
