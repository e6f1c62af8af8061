package io.sluice.admin;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-entity gauges (streams, partitions, consumer groups, queues) and the JVM/process binders, registered in the
 * server's meter registry. Entities come and go without telling this class: {@link #refresh()} (run on the admin
 * timer) re-reads every figure and replaces the rows of each {@link MultiGauge}, so a deleted stream's series
 * disappear at the next refresh and core code needs no metrics hooks. The names and labels are listed in
 * docs/OPERATIONS.md; Prometheus sees {@code sluice.stream.log.end.offset} as {@code sluice_stream_log_end_offset}.
 *
 * <p>Not thread-safe: {@link #refresh()} runs on the admin timer thread only.
 */
public final class BrokerMetrics implements AutoCloseable {
    private final BrokerView view;
    private final Clock clock;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final MultiGauge logEnd;
    private final MultiGauge logStart;
    private final MultiGauge sizeBytes;
    private final MultiGauge segments;
    private final MultiGauge groupCommitted;
    private final MultiGauge groupLag;
    private final MultiGauge queueDepth;
    private final MultiGauge queueUnacked;
    private final MultiGauge queueConsumers;
    private final MultiGauge queueBytes;
    private final MultiGauge queueOldestAge;

    public BrokerMetrics(BrokerView view, MeterRegistry registry, Clock clock) {
        this.view = view;
        this.clock = clock;
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        logEnd = gauge(registry, "sluice.stream.log.end.offset", "Offset the next record appended will get");
        logStart = gauge(registry, "sluice.stream.log.start.offset", "First offset still in the log");
        sizeBytes = gauge(registry, "sluice.stream.size.bytes", "Bytes of the partition's segments");
        segments = gauge(registry, "sluice.stream.segments", "Segment files of the partition");
        groupCommitted = gauge(registry, "sluice.consumer.group.committed.offset", "Committed offset of a group");
        groupLag = gauge(registry, "sluice.consumer.group.lag", "Log end offset minus committed offset");
        queueDepth = gauge(registry, "sluice.queue.messages.ready", "Ready messages of a queue");
        queueUnacked = gauge(registry, "sluice.queue.messages.unacked", "Delivered, unacknowledged messages");
        queueConsumers = gauge(registry, "sluice.queue.consumers", "Consumers subscribed to a queue");
        queueBytes = gauge(registry, "sluice.queue.ready.bytes", "Bytes of the ready messages of a queue");
        queueOldestAge = gauge(registry, "sluice.queue.oldest.message.age.seconds",
                "Age of the oldest ready message (0 when empty)");
    }

    private static MultiGauge gauge(MeterRegistry r, String name, String help) {
        return MultiGauge.builder(name).description(help).register(r);
    }

    /** Re-reads every entity and replaces the gauge rows. */
    public void refresh() {
        List<MultiGauge.Row<?>> end = new ArrayList<>();
        List<MultiGauge.Row<?>> start = new ArrayList<>();
        List<MultiGauge.Row<?>> size = new ArrayList<>();
        List<MultiGauge.Row<?>> segs = new ArrayList<>();
        for (BrokerView.PartitionFigures p : view.partitions(false)) {
            Tags t = Tags.of("tenant", p.stream().scope().tenant(), "namespace", p.stream().scope().namespace(),
                    "stream", p.stream().name(), "partition", Integer.toString(p.partition()));
            end.add(MultiGauge.Row.of(t, p.logEndOffset()));
            start.add(MultiGauge.Row.of(t, p.logStartOffset()));
            size.add(MultiGauge.Row.of(t, p.sizeBytes()));
            segs.add(MultiGauge.Row.of(t, p.segments()));
        }
        logEnd.register(end, true);
        logStart.register(start, true);
        sizeBytes.register(size, true);
        segments.register(segs, true);

        List<MultiGauge.Row<?>> committed = new ArrayList<>();
        List<MultiGauge.Row<?>> lag = new ArrayList<>();
        for (BrokerView.GroupLag g : view.groupLags()) {
            Tags t = Tags.of("tenant", g.scope().tenant(), "namespace", g.scope().namespace(), "group", g.group(),
                    "stream", g.stream(), "partition", Integer.toString(g.partition()));
            committed.add(MultiGauge.Row.of(t, g.committed()));
            lag.add(MultiGauge.Row.of(t, g.lag()));
        }
        groupCommitted.register(committed, true);
        groupLag.register(lag, true);

        List<MultiGauge.Row<?>> depth = new ArrayList<>();
        List<MultiGauge.Row<?>> unacked = new ArrayList<>();
        List<MultiGauge.Row<?>> consumers = new ArrayList<>();
        List<MultiGauge.Row<?>> bytes = new ArrayList<>();
        List<MultiGauge.Row<?>> age = new ArrayList<>();
        long now = clock.millis();
        for (BrokerView.ScopedQueue q : view.queues()) {
            Tags t = Tags.of("tenant", q.scope().tenant(), "namespace", q.scope().namespace(), "queue",
                    q.info().name());
            depth.add(MultiGauge.Row.of(t, q.info().messages()));
            unacked.add(MultiGauge.Row.of(t, q.info().unacked()));
            consumers.add(MultiGauge.Row.of(t, q.info().consumers()));
            bytes.add(MultiGauge.Row.of(t, q.info().bytes()));
            long oldest = q.info().oldestReadyTimestamp();
            age.add(MultiGauge.Row.of(t, oldest < 0 ? 0.0 : Math.max(0, now - oldest) / 1000.0));
        }
        queueDepth.register(depth, true);
        queueUnacked.register(unacked, true);
        queueConsumers.register(consumers, true);
        queueBytes.register(bytes, true);
        queueOldestAge.register(age, true);
    }

    @Override
    public void close() {
        gc.close();
    }
}
