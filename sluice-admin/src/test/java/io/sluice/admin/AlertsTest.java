package io.sluice.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.Broker;
import io.sluice.core.ResourceAlarms;
import io.sluice.core.Scope;
import io.sluice.core.offset.GroupOffsetService;
import io.sluice.core.queue.QueueArguments;
import io.sluice.core.queue.QueueInfo;
import io.sluice.core.queue.QueueService;
import io.sluice.core.queue.QueueSpec;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Alert evaluation over a stand-in broker whose queue figures the test sets: raise and clear per threshold,
 * dead-letter queue detection, growth rate between evaluations and health.
 */
class AlertsTest {
    private final List<QueueInfo> queues = new ArrayList<>();
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final AtomicLong diskFree = new AtomicLong(Long.MAX_VALUE);
    private final Clock clock = new Clock() {
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        public Instant instant() {
            return Instant.ofEpochMilli(now.get());
        }
    };

    @SuppressWarnings("unchecked")
    private static <T> T stub(Class<T> type, java.util.function.Function<String, Object> answer) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (p, m, args) -> answer.apply(m.getName()));
    }

    private Alerts alerts(AlertThresholds t) {
        QueueService qs = stub(QueueService.class, m -> m.equals("list") ? List.copyOf(queues) : null);
        GroupOffsetService offsets = stub(GroupOffsetService.class, m -> m.equals("groups") ? Set.of() : null);
        ResourceAlarms alarms = stub(ResourceAlarms.class, m -> m.equals("publishingBlocked") ? false : null);
        Broker broker = stub(Broker.class, m -> switch (m) {
            case "queues" -> qs;
            case "offsets" -> offsets;
            case "alarms" -> alarms;
            default -> null;
        });
        return new Alerts(new BrokerView(broker, List::of), t, clock, diskFree::get);
    }

    private void queue(String name, long ready, String deadLetterTo) {
        queues.removeIf(q -> q.name().equals(name));
        QueueArguments a = deadLetterTo == null ? QueueArguments.DEFAULT : new QueueArguments(-1, -1, -1, -1,
                io.sluice.core.queue.Overflow.DROP_HEAD, 0, "", deadLetterTo, -1, false, -1, false);
        queues.add(new QueueInfo(Scope.DEFAULT, name, new QueueSpec(name, true, null, false, a), ready, 0, 0, 0, -1));
    }

    private static List<String> kinds(Alerts a) {
        return a.active().stream().map(Alerts.Alert::kind).toList();
    }

    @Test
    void deadLetterDepthIsRaisedOnceAndClearedForQueuesOthersDeadLetterTo() {
        Alerts a = alerts(new AlertThresholds(0, 0, 2, 0, 0, "dlq."));
        queue("orders", 0, "orders-failed");
        queue("orders-failed", 1, null);
        a.evaluate();
        assertThat(a.active()).isEmpty();

        queue("orders-failed", 2, null);
        now.addAndGet(1000);
        a.evaluate();
        assertThat(a.active()).singleElement().satisfies(x -> {
            assertThat(x.kind()).isEqualTo("dead-letter-depth");
            assertThat(x.entity()).isEqualTo("default/orders-failed");
            assertThat(x.since()).isEqualTo(1_001_000);
        });
        now.addAndGet(1000);
        a.evaluate();
        assertThat(a.active().get(0).since()).as("still the same alert").isEqualTo(1_001_000);

        queue("orders-failed", 0, null);
        a.evaluate();
        assertThat(a.active()).isEmpty();
    }

    @Test
    void queueDepthSkipsDeadLetterQueuesAndGrowthIsPerMinute() {
        Alerts a = alerts(new AlertThresholds(0, 10, 0, 30, 0, "dlq."));
        queue("work", 10, null);
        queue("dlq.work", 100, null);
        a.evaluate();
        assertThat(kinds(a)).containsExactly("queue-depth");

        now.addAndGet(30_000); // +20 in half a minute = 40/min >= 30
        queue("dlq.work", 120, null);
        a.evaluate();
        assertThat(kinds(a)).containsExactlyInAnyOrder("queue-depth", "dead-letter-growth");

        now.addAndGet(60_000); // +10 in a minute < 30
        queue("dlq.work", 130, null);
        a.evaluate();
        assertThat(kinds(a)).containsExactly("queue-depth");
    }

    @Test
    void lowDiskFreeMakesHealthDown() {
        Alerts a = alerts(new AlertThresholds(0, 0, 0, 0, 1000, "dlq."));
        a.evaluate();
        assertThat(a.healthProblems()).isEmpty();
        diskFree.set(10);
        a.evaluate();
        assertThat(kinds(a)).containsExactly("disk-free");
        assertThat(a.healthProblems()).singleElement().asString().contains("10 bytes free");
    }
}
