package io.sluice.core.internal;

import io.sluice.core.CallContext;
import io.sluice.core.Scope;
import io.sluice.core.offset.CommittedOffset;
import io.sluice.core.offset.GroupOffsetService;
import io.sluice.core.offset.PartitionKey;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Consumer offsets as rows of their own compacted table (type {@value #TYPE}); row key
 * {@code tenant SOH namespace SOH group SOH stream SOH partition}, value the JSON of a {@link CommittedOffset}.
 * Reads scan the in-memory rows of the table; groups are few per broker, so a scan per fetch is cheap enough.
 */
public final class GroupOffsetServiceImpl implements GroupOffsetService {
    static final String TYPE = "offset";
    private static final char SEP = '\u0001';

    private final CompactedLogTable table;

    public GroupOffsetServiceImpl(CompactedLogTable table) {
        this.table = table;
    }

    private static String prefix(Scope scope, String group) {
        return scope.tenant() + SEP + scope.namespace() + SEP + group + SEP;
    }

    @Override
    public CompletableFuture<Void> commit(CallContext ctx, String group, Map<PartitionKey, CommittedOffset> offsets) {
        Map<String, byte[]> rows = new LinkedHashMap<>();
        String prefix = prefix(ctx.scope(), group);
        offsets.forEach((k, v) -> rows.put(prefix + k.stream() + SEP + k.partition(), Json.write(v)));
        return table.putAll(TYPE, rows);
    }

    @Override
    public Map<PartitionKey, CommittedOffset> fetch(CallContext ctx, String group, Collection<PartitionKey> partitions) {
        String prefix = prefix(ctx.scope(), group);
        Map<PartitionKey, CommittedOffset> out = new HashMap<>();
        if (partitions != null) {
            for (PartitionKey k : partitions) {
                byte[] v = table.get(TYPE, prefix + k.stream() + SEP + k.partition());
                if (v != null) {
                    out.put(k, Json.read(v, CommittedOffset.class));
                }
            }
            return out;
        }
        table.all(TYPE).forEach((key, v) -> {
            if (key.startsWith(prefix)) {
                String rest = key.substring(prefix.length());
                int sep = rest.lastIndexOf(SEP);
                out.put(new PartitionKey(rest.substring(0, sep), Integer.parseInt(rest.substring(sep + 1))),
                        Json.read(v, CommittedOffset.class));
            }
        });
        return out;
    }

    @Override
    public Set<String> groups(CallContext ctx) {
        String scopePrefix = ctx.scope().tenant() + SEP + ctx.scope().namespace() + SEP;
        Set<String> out = new HashSet<>();
        for (String key : table.all(TYPE).keySet()) {
            if (key.startsWith(scopePrefix)) {
                String rest = key.substring(scopePrefix.length());
                out.add(rest.substring(0, rest.indexOf(SEP)));
            }
        }
        return out;
    }

    @Override
    public CompletableFuture<Void> delete(CallContext ctx, String group, Collection<PartitionKey> partitions) {
        Map<String, byte[]> rows = new LinkedHashMap<>();
        String prefix = prefix(ctx.scope(), group);
        if (partitions == null) {
            for (String key : table.all(TYPE).keySet()) {
                if (key.startsWith(prefix)) {
                    rows.put(key, null);
                }
            }
        } else {
            partitions.forEach(k -> rows.put(prefix + k.stream() + SEP + k.partition(), null));
        }
        return rows.isEmpty() ? CompletableFuture.completedFuture(null) : table.putAll(TYPE, rows);
    }
}
