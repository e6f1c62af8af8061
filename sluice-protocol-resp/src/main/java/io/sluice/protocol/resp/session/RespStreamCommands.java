package io.sluice.protocol.resp.session;

import io.sluice.core.stream.StreamPartition;
import io.sluice.protocol.resp.codec.RespCommand;
import io.sluice.protocol.resp.codec.RespReply;
import io.sluice.protocol.resp.codec.RespVersion;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static io.sluice.protocol.resp.session.RespSession.done;

/**
 * Stream commands without consumer groups: XADD, XLEN, XRANGE, XREVRANGE, XREAD, XDEL, XTRIM, XSETID and XINFO STREAM.
 * Arguments and error texts follow redis-server 7.4; the mapping onto the log is {@link RespStreamStore}'s.
 */
final class RespStreamCommands {

    private RespStreamCommands() {
    }

    static void register(RespCommandTable t) {
        t.add("xadd", -5, RespStreamCommands::xadd);
        t.add("xlen", 2, RespStreamCommands::xlen);
        t.add("xrange", -4, (s, c) -> range(s, c, false));
        t.add("xrevrange", -4, (s, c) -> range(s, c, true));
        t.add("xread", -4, RespStreamCommands::xread);
        t.add("xdel", -3, RespStreamCommands::xdel);
        t.add("xtrim", -4, RespStreamCommands::xtrim);
        t.add("xsetid", -3, RespStreamCommands::xsetid);
    }

    static String key(RespCommand c, int i) {
        return i == 1 ? c.key() : c.argString(i);
    }

    // ---- XADD ----

    private static CompletionStage<RespReply> xadd(RespSession s, RespCommand c) {
        String key = key(c, 1);
        boolean noMkStream = false;
        RespStreamStore.Trim trim = null;
        int i = 2;
        while (true) {
            String a = RespArgs.lower(c, i);
            if (a.equals("nomkstream")) {
                noMkStream = true;
                i++;
            } else if (a.equals("maxlen") || a.equals("minid")) {
                if (trim != null) {
                    return done(RespErrors.error(
                            "ERR syntax error, MAXLEN and MINID options at the same time are not compatible"));
                }
                TrimParse tp = parseTrim(c, i);
                trim = tp.trim();
                i = tp.next();
            } else {
                break;
            }
            if (i >= c.argc()) {
                return done(RespErrors.wrongArity("xadd"));
            }
        }
        int pairs = c.argc() - i - 1;
        if (pairs < 2 || pairs % 2 != 0) {
            return done(RespErrors.wrongArity("xadd"));
        }
        RespAddId idSpec = RespAddId.parse(c.argString(i));
        List<byte[]> fv = new ArrayList<>(pairs);
        for (int k = i + 1; k < c.argc(); k++) {
            fv.add(c.arg(k));
        }
        RespStreamStore store = s.server().streams();
        if (trim == null && !noMkStream) {
            int bytes = RespAppendBatch.sizeOf(fv);
            if (RespAppendBatch.fits(bytes)) {
                Optional<StreamPartition> p = store.findGroupable(key, RespAppendBatch.REQUIRED_LIMIT);
                if (p.isPresent()) {
                    return s.appends().add(key, p.get(), idSpec, fv, bytes, s.server().clock().millis());
                }
            }
        }
        s.appends().flush(); // what the connection sent before goes first
        CompletableFuture<StreamPartition> partition;
        if (noMkStream) {
            Optional<StreamPartition> p = store.find(key);
            if (p.isEmpty()) {
                return done(RespReply.NULL);
            }
            partition = CompletableFuture.completedFuture(p.get());
        } else {
            partition = store.findOrCreate(key);
        }
        RespStreamStore.Trim trimFinal = trim;
        long now = s.server().clock().millis();
        return partition.thenCompose(p -> {
            RespStreamState st = store.state(key, p);
            RespStreamId id;
            CompletableFuture<io.sluice.core.stream.AppendResult> appended;
            synchronized (st) {
                id = idSpec.next(st.lastId(), now);
                st.lastId(id);
                // Issued under the lock: appends reach the log in id order, so offsets and ids grow together.
                appended = p.publish(List.of(RespEntryCodec.toMessage(id, fv)));
            }
            // The id index learns the offset here, so readers and XACK need no log read to resolve this id.
            appended = appended.thenApply(r -> {
                st.index.add(r.baseOffset(), id);
                return r;
            });
            return appended.thenCompose(r -> trimFinal == null ? CompletableFuture.completedFuture(0L)
                    : store.trim(p, st, trimFinal)).thenApply(x -> (RespReply) RespReply.bulk(id.toAscii()));
        });
    }

    record TrimParse(RespStreamStore.Trim trim, int next) {
    }

    /** Parses {@code MAXLEN|MINID [=|~] threshold [LIMIT count]} starting at {@code i}. */
    static TrimParse parseTrim(RespCommand c, int i) {
        boolean maxLen = RespArgs.is(c, i, "maxlen");
        i++;
        RespArgs.need(c, i);
        boolean approx = false;
        String op = c.argString(i);
        if (op.equals("~") || op.equals("=")) {
            approx = op.equals("~");
            i++;
            RespArgs.need(c, i);
        }
        long threshold = 0;
        RespStreamId minId = null;
        if (maxLen) {
            threshold = RespArgs.parseLong(c, i);
            if (threshold < 0) {
                throw new RespCommandException(RespErrors.MAXLEN_NEGATIVE);
            }
        } else {
            minId = RespStreamId.parse(c.argString(i), 0, false);
        }
        i++;
        long limit = -1;
        if (RespArgs.is(c, i, "limit")) {
            RespArgs.need(c, i + 1);
            limit = RespArgs.parseLong(c, i + 1);
            if (limit < 0) {
                throw new RespCommandException("ERR The LIMIT argument must be >= 0.");
            }
            if (!approx) {
                throw new RespCommandException(RespErrors.LIMIT_WITHOUT_APPROX);
            }
            i += 2;
        }
        if (limit < 0) {
            // redis-server caps an approximate trim at 100 nodes of 100 entries per call; exact trims are unlimited.
            limit = approx ? 100L * 100L : 0;
        }
        return new TrimParse(new RespStreamStore.Trim(maxLen, threshold, minId, approx, limit), i);
    }

    // ---- XLEN, XRANGE, XREVRANGE ----

    private static CompletionStage<RespReply> xlen(RespSession s, RespCommand c) {
        RespStreamStore store = s.server().streams();
        String key = key(c, 1);
        Optional<StreamPartition> p = store.find(key);
        if (p.isEmpty()) {
            return done(RespReply.integer(0));
        }
        return done(RespReply.integer(store.length(p.get(), store.state(key, p.get()))));
    }

    /** Parses a range bound: {@code -}, {@code +}, an id with an optional {@code (} for exclusive. */
    static RespStreamId parseBound(String text, boolean start) {
        boolean exclusive = text.length() > 1 && text.charAt(0) == '(';
        if (exclusive) {
            String rest = text.substring(1);
            if (rest.equals("-") || rest.equals("+")) {
                throw new RespCommandException(RespErrors.INVALID_STREAM_ID);
            }
            RespStreamId id = RespStreamId.parse(rest, start ? 0 : -1L, false);
            RespStreamId moved = start ? id.next() : id.previous();
            if (moved == null) {
                throw new RespCommandException(start ? RespErrors.INVALID_START_INTERVAL : RespErrors.INVALID_END_INTERVAL);
            }
            return moved;
        }
        return RespStreamId.parse(text, start ? 0 : -1L, true);
    }

    private static CompletionStage<RespReply> range(RespSession s, RespCommand c, boolean reverse) {
        String key = key(c, 1);
        RespStreamId start = parseBound(c.argString(reverse ? 3 : 2), true);
        RespStreamId end = parseBound(c.argString(reverse ? 2 : 3), false);
        long count = -1;
        for (int i = 4; i < c.argc(); i++) {
            if (RespArgs.is(c, i, "count") && i + 1 < c.argc()) {
                count = Math.max(0, RespArgs.parseLong(c, ++i));
            } else {
                return done(RespErrors.error(RespErrors.SYNTAX));
            }
        }
        RespStreamStore store = s.server().streams();
        Optional<StreamPartition> p = store.find(key);
        if (p.isEmpty() || count == 0) {
            return done(RespReply.array());
        }
        long countFinal = count;
        return s.server().offLoop(() -> {
            RespStreamState st = store.state(key, p.get());
            List<RespStreamEntry> entries = reverse
                    ? store.reverseRange(p.get(), st, start, end, countFinal)
                    : store.range(p.get(), st, start, end, countFinal);
            return RespStreamEntry.toReply(entries);
        });
    }

    // ---- XREAD ----

    private static CompletionStage<RespReply> xread(RespSession s, RespCommand c) {
        long count = -1;
        long block = -1;
        int i = 1;
        int streamsAt = -1;
        for (; i < c.argc(); i++) {
            String a = RespArgs.lower(c, i);
            if (a.equals("count") && i + 1 < c.argc()) {
                count = RespArgs.parseLong(c, ++i);
                if (count <= 0) {
                    count = -1;
                }
            } else if (a.equals("block") && i + 1 < c.argc()) {
                block = RespArgs.parseTimeout(c, ++i);
            } else if (a.equals("streams")) {
                streamsAt = i + 1;
                break;
            } else {
                return done(RespErrors.error(RespErrors.SYNTAX));
            }
        }
        if (streamsAt < 0) {
            return done(RespErrors.error(RespErrors.SYNTAX));
        }
        int n = c.argc() - streamsAt;
        if (n == 0 || n % 2 != 0) {
            return done(RespErrors.error(String.format(RespErrors.XREAD_UNBALANCED, "xread")));
        }
        n /= 2;
        RespStreamStore store = s.server().streams();
        List<String> keys = new ArrayList<>(n);
        List<RespStreamId> after = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            String key = c.argString(streamsAt + k);
            String idText = c.argString(streamsAt + n + k);
            keys.add(key);
            if (idText.equals(">")) {
                return done(RespErrors.error(RespErrors.XREAD_GT));
            }
            if (idText.equals("$")) {
                Optional<StreamPartition> p = store.find(key);
                after.add(p.isEmpty() ? RespStreamId.MIN : store.state(key, p.get()).lastId());
            } else if (idText.equals("+")) {
                Optional<StreamPartition> p = store.find(key);
                RespStreamEntry last = p.isEmpty() ? null : store.last(p.get(), store.state(key, p.get()));
                after.add(last == null ? RespStreamId.MIN : last.id().previous() == null ? RespStreamId.MIN
                        : last.id().previous());
            } else {
                after.add(RespStreamId.parse(idText, 0, false));
            }
        }
        long max = count;
        java.util.function.Supplier<CompletableFuture<RespReply>> attempt =
                () -> s.server().offLoop(() -> readOnce(s, keys, after, max));
        if (block < 0) {
            return attempt.get().thenApply(r -> r == null ? RespReply.NULL_ARRAY : r);
        }
        return RespBlocking.run(s, block, keys.size(), () -> existing(store, keys), attempt, RespReply.NULL_ARRAY);
    }

    static List<StreamPartition> existing(RespStreamStore store, List<String> keys) {
        List<StreamPartition> ps = new ArrayList<>(keys.size());
        for (String k : keys) {
            store.find(k).ifPresent(ps::add);
        }
        return ps;
    }

    /** One XREAD pass: the reply, or null when no stream has anything after its id. */
    private static RespReply readOnce(RespSession s, List<String> keys, List<RespStreamId> after, long count) {
        RespStreamStore store = s.server().streams();
        List<RespReply> perKey = new ArrayList<>();
        for (int k = 0; k < keys.size(); k++) {
            Optional<StreamPartition> p = store.find(keys.get(k));
            RespStreamId from = after.get(k).next();
            if (p.isEmpty() || from == null) {
                continue;
            }
            List<RespStreamEntry> entries = store.range(p.get(), store.state(keys.get(k), p.get()), from,
                    RespStreamId.MAX, count);
            if (!entries.isEmpty()) {
                perKey.add(RespReply.bulk(keys.get(k)));
                perKey.add(RespStreamEntry.toReply(entries));
            }
        }
        if (perKey.isEmpty()) {
            return null;
        }
        return keyedReply(s, perKey);
    }

    /** XREAD/XREADGROUP answer: a map of key to entries in RESP3, an array of [key, entries] pairs in RESP2. */
    static RespReply keyedReply(RespSession s, List<RespReply> keysAndEntries) {
        if (s.version() == RespVersion.RESP3) {
            return new RespReply.Map(keysAndEntries);
        }
        List<RespReply> pairs = new ArrayList<>(keysAndEntries.size() / 2);
        for (int i = 0; i < keysAndEntries.size(); i += 2) {
            pairs.add(RespReply.array(keysAndEntries.get(i), keysAndEntries.get(i + 1)));
        }
        return RespReply.array(pairs);
    }

    // ---- XDEL, XTRIM, XSETID ----

    private static CompletionStage<RespReply> xdel(RespSession s, RespCommand c) {
        String key = key(c, 1);
        List<RespStreamId> ids = new ArrayList<>();
        for (int i = 2; i < c.argc(); i++) {
            ids.add(RespStreamId.parse(c.argString(i)));
        }
        RespStreamStore store = s.server().streams();
        Optional<StreamPartition> p = store.find(key);
        if (p.isEmpty()) {
            return done(RespReply.integer(0));
        }
        RespStreamState st = store.state(key, p.get());
        long deleted = 0;
        for (RespStreamId id : ids) {
            long o = store.offsetOf(p.get(), id);
            if (o >= 0 && !st.deleted.contains(o)) {
                st.markDeleted(o, id);
                deleted++;
            }
        }
        if (deleted == 0) {
            return done(RespReply.integer(0));
        }
        long n = deleted;
        return store.persist(st).thenApply(v -> RespReply.integer(n));
    }

    private static CompletionStage<RespReply> xtrim(RespSession s, RespCommand c) {
        String key = key(c, 1);
        if (!RespArgs.is(c, 2, "maxlen") && !RespArgs.is(c, 2, "minid")) {
            return done(RespErrors.error(RespErrors.SYNTAX));
        }
        TrimParse tp = parseTrim(c, 2);
        if (tp.next() != c.argc()) {
            return done(RespErrors.error(RespErrors.SYNTAX));
        }
        RespStreamStore store = s.server().streams();
        Optional<StreamPartition> p = store.find(key);
        if (p.isEmpty()) {
            return done(RespReply.integer(0));
        }
        return store.trim(p.get(), store.state(key, p.get()), tp.trim()).thenApply(RespReply::integer);
    }

    private static CompletionStage<RespReply> xsetid(RespSession s, RespCommand c) {
        String key = key(c, 1);
        RespStreamId id = RespStreamId.parse(c.argString(2));
        for (int i = 3; i < c.argc(); i += 2) {
            if (i + 1 >= c.argc() || !(RespArgs.is(c, i, "entriesadded") || RespArgs.is(c, i, "maxdeletedid"))) {
                return done(RespErrors.error(RespErrors.SYNTAX));
            }
        }
        RespStreamStore store = s.server().streams();
        Optional<StreamPartition> p = store.find(key);
        if (p.isEmpty()) {
            return done(RespErrors.error("ERR no such key"));
        }
        RespStreamState st = store.state(key, p.get());
        RespStreamEntry last = store.last(p.get(), st);
        if (last != null && last.id().isAfter(id)) {
            return done(RespErrors.error(RespErrors.XSETID_SMALLER));
        }
        st.lastId(id);
        return store.persist(st).thenApply(v -> RespReply.OK);
    }
}
