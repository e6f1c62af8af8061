package io.sluice.core.internal;

import io.sluice.core.CallContext;
import io.sluice.core.kv.KeyValueStore;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Protocol state rows in the metadata table, type {@code kv.<space>}, row key {@code tenant SOH namespace SOH key}.
 */
public final class KeyValueStoreImpl implements KeyValueStore {
    private static final char SEP = '\u0001';
    private final MetadataLog table;

    public KeyValueStoreImpl(MetadataLog table) {
        this.table = table;
    }

    private static String row(CallContext ctx, String key) {
        return ctx.scope().tenant() + SEP + ctx.scope().namespace() + SEP + key;
    }

    @Override
    public CompletableFuture<Void> put(CallContext ctx, String space, String key, byte[] value) {
        return table.put("kv." + space, row(ctx, key), value);
    }

    @Override
    public Optional<byte[]> get(CallContext ctx, String space, String key) {
        return Optional.ofNullable(table.all("kv." + space).get(row(ctx, key)));
    }

    @Override
    public Map<String, byte[]> scan(CallContext ctx, String space) {
        String prefix = ctx.scope().tenant() + SEP + ctx.scope().namespace() + SEP;
        Map<String, byte[]> out = new HashMap<>();
        table.all("kv." + space).forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }
}
