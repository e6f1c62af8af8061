package io.sluice.admin;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Threshold alerts (consumer lag, queue depth, dead-letter depth and growth, disk free) and the node's health.
 * {@link #evaluate()} runs on the admin timer; an alert is logged once when it is raised and once when it clears, not
 * at every evaluation. Health is DOWN while the broker blocks publishers (memory or disk alarm) or the disk-free alert
 * is raised; other alerts are warnings that leave the node UP.
 *
 * <p>Thread-safe: {@link #evaluate()} runs on one thread; readers get immutable snapshots.
 */
public final class Alerts {
    private static final Logger log = LoggerFactory.getLogger(Alerts.class);

    /** One raised alert. {@code key} identifies it across evaluations (kind plus entity). */
    public record Alert(String key, String kind, String entity, String message, double value, double threshold,
                        long since) {
    }

    private final BrokerView view;
    private final AlertThresholds t;
    private final Clock clock;
    private final LongSupplier diskFree;
    private final Map<String, Long> lastDeadLetterDepth = new HashMap<>();
    private long lastEvaluation = -1;
    private volatile Map<String, Alert> active = Map.of();

    /**
     * @param dataDir folder whose file system is checked for free space; null disables the disk check
     */
    public Alerts(BrokerView view, AlertThresholds thresholds, Clock clock, Path dataDir) {
        this(view, thresholds, clock, dataDir == null ? () -> Long.MAX_VALUE : () -> dataDir.toFile().getUsableSpace());
    }

    Alerts(BrokerView view, AlertThresholds thresholds, Clock clock, LongSupplier diskFree) {
        this.view = view;
        this.t = thresholds;
        this.clock = clock;
        this.diskFree = diskFree;
    }

    /** Recomputes every alert; logs the ones raised and cleared since the last call. */
    public void evaluate() {
        long now = clock.millis();
        Map<String, Alert> next = new LinkedHashMap<>();
        Map<String, Alert> prev = active;
        if (t.consumerLag() > 0) {
            for (BrokerView.GroupLag g : view.groupLags()) {
                if (g.lag() >= t.consumerLag()) {
                    String entity = g.group() + "/" + g.stream() + "/" + g.partition();
                    add(next, prev, "consumer-lag", entity, "consumer group " + g.group() + " lags " + g.lag()
                            + " records behind " + g.stream() + "-" + g.partition(), g.lag(), t.consumerLag(), now);
                }
            }
        }
        List<BrokerView.ScopedQueue> queues = view.queues();
        double minutes = lastEvaluation < 0 ? 0 : (now - lastEvaluation) / 60_000.0;
        Map<String, Long> depths = new HashMap<>();
        for (BrokerView.ScopedQueue q : queues) {
            String name = q.scope().namespace() + "/" + q.info().name();
            long depth = q.info().messages();
            if (view.isDeadLetterQueue(q, queues, t)) {
                depths.put(name, depth);
                if (t.deadLetterDepth() > 0 && depth >= t.deadLetterDepth()) {
                    add(next, prev, "dead-letter-depth", name, "dead-letter queue " + q.info().name() + " holds "
                            + depth + " messages", depth, t.deadLetterDepth(), now);
                }
                Long before = lastDeadLetterDepth.get(name);
                if (t.deadLetterGrowthPerMinute() > 0 && before != null && minutes > 0) {
                    double rate = (depth - before) / minutes;
                    if (rate >= t.deadLetterGrowthPerMinute()) {
                        add(next, prev, "dead-letter-growth", name, "dead-letter queue " + q.info().name()
                                + " grows by " + Math.round(rate) + " messages/min", rate,
                                t.deadLetterGrowthPerMinute(), now);
                    }
                }
            } else if (t.queueDepth() > 0 && depth >= t.queueDepth()) {
                add(next, prev, "queue-depth", name, "queue " + q.info().name() + " holds " + depth
                        + " ready messages", depth, t.queueDepth(), now);
            }
        }
        lastDeadLetterDepth.clear();
        lastDeadLetterDepth.putAll(depths);
        lastEvaluation = now;
        long free = diskFree.getAsLong();
        if (t.diskFreeBytes() > 0 && free < t.diskFreeBytes()) {
            add(next, prev, "disk-free", "data", "data folder has " + free + " bytes free", free,
                    t.diskFreeBytes(), now);
        }
        for (Alert a : next.values()) {
            if (!prev.containsKey(a.key())) {
                log.warn("alert raised: {} ({} >= threshold {})", a.message(), a.value(), a.threshold());
            }
        }
        for (Alert a : prev.values()) {
            if (!next.containsKey(a.key())) {
                log.info("alert cleared: {} {}", a.kind(), a.entity());
            }
        }
        active = Map.copyOf(next);
    }

    private static void add(Map<String, Alert> next, Map<String, Alert> prev, String kind, String entity,
                            String message, double value, double threshold, long now) {
        String key = kind + ":" + entity;
        Alert old = prev.get(key);
        next.put(key, new Alert(key, kind, entity, message, value, threshold, old == null ? now : old.since()));
    }

    public List<Alert> active() {
        List<Alert> out = new ArrayList<>(active.values());
        out.sort((a, b) -> a.key().compareTo(b.key()));
        return out;
    }

    /** Reasons the node is not healthy; empty when it is UP. */
    public List<String> healthProblems() {
        List<String> out = new ArrayList<>();
        if (view.broker().alarms().publishingBlocked()) {
            out.add("publishers blocked: " + view.broker().alarms().reason());
        }
        for (Alert a : active.values()) {
            if (a.kind().equals("disk-free")) {
                out.add(a.message());
            }
        }
        return out;
    }
}
