package io.sluice.admin;

import io.sluice.core.Broker;
import io.sluice.core.CallContext;
import io.sluice.core.Scope;
import io.sluice.core.offset.CommittedOffset;
import io.sluice.core.offset.PartitionKey;
import io.sluice.core.queue.QueueInfo;
import io.sluice.core.stream.StreamInfo;
import io.sluice.core.stream.StreamPartition;
import io.sluice.storage.LogStats;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Read-only figures of every scope of the broker, gathered on demand for metrics, alerts and listings. The core API
 * answers per scope; the list of every stream (and so of every scope) comes from the broker's implementation, passed
 * in as a supplier so this module needs no internal type.
 *
 * <p>Thread-safe: every call reads the core's in-memory state.
 */
public final class BrokerView {
    private final Broker broker;
    private final Supplier<List<StreamInfo>> allStreams;

    public BrokerView(Broker broker, Supplier<List<StreamInfo>> allStreams) {
        this.broker = broker;
        this.allStreams = allStreams;
    }

    public Broker broker() {
        return broker;
    }

    /** Every scope that holds a stream or a queue log, plus the default scope. */
    public Set<Scope> scopes() {
        Set<Scope> s = new LinkedHashSet<>();
        s.add(Scope.DEFAULT);
        for (StreamInfo i : allStreams.get()) {
            s.add(i.scope());
        }
        return s;
    }

    /** One partition's figures. */
    public record PartitionFigures(StreamInfo stream, int partition, long logStartOffset, long logEndOffset,
                                   long highWatermark, long sizeBytes, int segments) {
    }

    public List<PartitionFigures> partitions(boolean includeQueueLogs) {
        List<PartitionFigures> out = new ArrayList<>();
        for (StreamInfo s : allStreams.get()) {
            if (!includeQueueLogs && s.kind() != StreamInfo.Kind.STREAM) {
                continue;
            }
            CallContext ctx = CallContext.BROKER.in(s.scope());
            for (int p = 0; p < s.partitions(); p++) {
                try {
                    StreamPartition sp = broker.streams().partition(ctx, s.name(), p);
                    LogStats st = sp.stats();
                    out.add(new PartitionFigures(s, p, sp.logStartOffset(), sp.logEndOffset(), sp.highWatermark(),
                            st.sizeInBytes(), st.segmentCount()));
                } catch (RuntimeException deletedMeanwhile) {
                    // the stream went away between listing and reading: skip it this round
                }
            }
        }
        return out;
    }

    /** A queue with its scope. */
    public record ScopedQueue(Scope scope, QueueInfo info) {
    }

    public List<ScopedQueue> queues() {
        List<ScopedQueue> out = new ArrayList<>();
        for (Scope s : scopes()) {
            for (QueueInfo q : broker.queues().list(CallContext.BROKER.in(s))) {
                out.add(new ScopedQueue(s, q));
            }
        }
        return out;
    }

    /** A consumer group's committed position in one partition and its lag behind the log end. */
    public record GroupLag(Scope scope, String group, String stream, int partition, long committed, long logEnd,
                           long lag) {
    }

    public List<GroupLag> groupLags() {
        List<GroupLag> out = new ArrayList<>();
        for (Scope s : scopes()) {
            CallContext ctx = CallContext.BROKER.in(s);
            for (String g : broker.offsets().groups(ctx)) {
                out.addAll(lags(ctx, g));
            }
        }
        return out;
    }

    /** The lag of every partition {@code group} committed in, in {@code ctx}'s scope. */
    public List<GroupLag> lags(CallContext ctx, String group) {
        List<GroupLag> out = new ArrayList<>();
        for (Map.Entry<PartitionKey, CommittedOffset> e : broker.offsets().fetch(ctx, group, null).entrySet()) {
            PartitionKey k = e.getKey();
            long end;
            try {
                end = broker.streams().partition(ctx, k.stream(), k.partition()).logEndOffset();
            } catch (RuntimeException gone) {
                end = -1;
            }
            long committed = e.getValue().offset();
            out.add(new GroupLag(ctx.scope(), group, k.stream(), k.partition(), committed, end,
                    end < 0 ? 0 : Math.max(0, end - committed)));
        }
        out.sort((a, b) -> a.stream().equals(b.stream()) ? Integer.compare(a.partition(), b.partition())
                : a.stream().compareTo(b.stream()));
        return out;
    }

    /**
     * Whether {@code queue} receives dead letters: another queue of its scope dead-letters through the default
     * exchange with it as routing key, or its name follows the dead-letter naming convention of {@code t}.
     */
    public boolean isDeadLetterQueue(ScopedQueue queue, List<ScopedQueue> all, AlertThresholds t) {
        String name = queue.info().name();
        if (t.isDeadLetterQueue(name)) {
            return true;
        }
        for (ScopedQueue q : all) {
            var args = q.info().spec().arguments();
            if (q.scope().equals(queue.scope()) && args != null && "".equals(args.deadLetterExchange())
                    && name.equals(args.deadLetterRoutingKey())) {
                return true;
            }
        }
        return false;
    }
}
