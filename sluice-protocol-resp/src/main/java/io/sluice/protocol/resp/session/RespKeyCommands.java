package io.sluice.protocol.resp.session;

import io.sluice.protocol.resp.codec.RespCommand;
import io.sluice.protocol.resp.codec.RespReply;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static io.sluice.protocol.resp.session.RespSession.done;

/**
 * The generic key commands a Redis Streams application uses on its stream keys: DEL and UNLINK (the same here: a
 * deletion never blocks the event loop), EXISTS and TYPE. They see only Redis streams, that is single-partition
 * streams ({@link RespStreamStore}); a multi-partition topic or a queue of the same name counts as no key and is never
 * deleted from here.
 */
final class RespKeyCommands {

    private RespKeyCommands() {
    }

    static void register(RespCommandTable t) {
        t.add("del", -2, RespKeyCommands::del);
        t.add("unlink", -2, RespKeyCommands::del);
        t.add("exists", -2, RespKeyCommands::exists);
        t.add("type", 2, RespKeyCommands::type);
    }

    /** The number of keys deleted; a key named twice is deleted (and counted) once, as on redis-server. */
    private static CompletionStage<RespReply> del(RespSession s, RespCommand c) {
        RespStreamStore store = s.server().streams();
        Set<String> keys = new LinkedHashSet<>();
        for (int i = 1; i < c.argc(); i++) {
            keys.add(RespStreamCommands.key(c, i));
        }
        List<CompletableFuture<Boolean>> deletions = new ArrayList<>(keys.size());
        for (String key : keys) {
            deletions.add(store.delete(key));
        }
        return CompletableFuture.allOf(deletions.toArray(CompletableFuture[]::new)).thenApply(v ->
                RespReply.integer(deletions.stream().filter(CompletableFuture::join).count()));
    }

    /** The number of named keys that exist, a key named twice counted twice, as on redis-server. */
    private static CompletionStage<RespReply> exists(RespSession s, RespCommand c) {
        RespStreamStore store = s.server().streams();
        long n = 0;
        for (int i = 1; i < c.argc(); i++) {
            if (store.exists(RespStreamCommands.key(c, i))) {
                n++;
            }
        }
        return done(RespReply.integer(n));
    }

    private static CompletionStage<RespReply> type(RespSession s, RespCommand c) {
        boolean stream = s.server().streams().exists(c.key());
        return done(new RespReply.SimpleString(stream ? "stream" : "none"));
    }
}
