package io.sluice.protocol.resp.session;

import io.sluice.core.ErrorCode;
import io.sluice.core.SluiceException;
import io.sluice.core.queue.Delivery;
import io.sluice.core.queue.DeliveryGroup;
import io.sluice.core.queue.PendingEntry;
import io.sluice.core.queue.QueueArguments;
import io.sluice.core.stream.StreamPartition;
import io.sluice.protocol.resp.codec.RespCommand;
import io.sluice.protocol.resp.codec.RespReply;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static io.sluice.protocol.resp.session.RespSession.done;

/**
 * Consumer-group commands: XGROUP, XREADGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM.
 *
 * <p>A Redis consumer group is a core delivery group ({@link DeliveryGroup}) on partition 0 of the stream, so its
 * state survives restarts: the group's cursor is Redis's last-delivered-id (as "next offset never delivered"), the
 * pending entries list is the group's pending list with owner consumer, delivery count and last delivery time,
 * and entries are named by offset inside the core and by id on the wire ({@link RespStreamStore} maps the two).
 * Groups never redeliver by themselves (no lease): as in Redis, a pending entry stays with its consumer until XACK,
 * XCLAIM or XAUTOCLAIM.
 *
 * <p>Known differences: XCLAIM's IDLE, TIME and RETRYCOUNT options are accepted but not applied (the core's claim
 * resets the idle time and optionally increments the count); ENTRIESREAD is accepted and ignored, entries-read
 * and lag are derived from offsets.
 */
final class RespGroupCommands {

    /** Upper bound on entries fetched per stream when XREADGROUP has no COUNT. */
    private static final int UNBOUNDED_FETCH = 100_000;

    private RespGroupCommands() {
    }

    static void register(RespCommandTable t) {
        t.add("xgroup", -2, RespGroupCommands::xgroup);
        t.add("xreadgroup", -7, RespGroupCommands::xreadgroup);
        t.add("xack", -4, RespGroupCommands::xack);
        t.add("xpending", -3, RespGroupCommands::xpending);
        t.add("xclaim", -6, RespGroupCommands::xclaim);
        t.add("xautoclaim", -6, RespGroupCommands::xautoclaim);
    }

    private static RespStreamStore store(RespSession s) {
        return s.server().streams();
    }

    static Optional<DeliveryGroup> group(RespSession s, String key, String group) {
        return s.server().streams().broker().groups().get(store(s).ctx(), key, group);
    }

    // ---- XGROUP ----

    private static CompletionStage<RespReply> xgroup(RespSession s, RespCommand c) {
        String sub = RespArgs.lower(c, 1);
        return switch (sub) {
            case "create" -> xgroupCreate(s, c);
            case "setid" -> xgroupSetId(s, c);
            case "destroy" -> withGroup(s, c, 4, "xgroup|destroy", (p, g) ->
                    s.server().streams().broker().groups().delete(store(s).ctx(), c.argString(2), c.argString(3))
                            .thenApply(ok -> RespReply.integer(ok ? 1 : 0)));
            case "createconsumer" -> withGroup(s, c, 5, "xgroup|createconsumer", (p, g) ->
                    g.createConsumer(c.argString(4)).thenApply(ok -> RespReply.integer(ok ? 1 : 0)));
            case "delconsumer" -> withGroup(s, c, 5, "xgroup|delconsumer", (p, g) ->
                    g.deleteConsumer(c.argString(4)).thenApply(RespReply::integer));
            case "help" -> done(RespReply.array(
                    RespReply.bulk("XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"),
                    RespReply.bulk("CREATE <key> <groupname> <id|$> [option]"),
                    RespReply.bulk("CREATECONSUMER <key> <groupname> <consumer>"),
                    RespReply.bulk("DELCONSUMER <key> <groupname> <consumer>"),
                    RespReply.bulk("DESTROY <key> <groupname>"),
                    RespReply.bulk("SETID <key> <groupname> <id|$> [ENTRIESREAD entries-read]")));
            default -> done(RespErrors.unknownSubcommand(c.argString(1), "xgroup"));
        };
    }

    private interface GroupAction {
        CompletionStage<RespReply> run(StreamPartition p, DeliveryGroup g);
    }

    private static CompletionStage<RespReply> withGroup(RespSession s, RespCommand c, int argc, String name,
                                                        GroupAction action) {
        if (c.argc() != argc) {
            return done(RespErrors.wrongArity(name));
        }
        String key = c.argString(2);
        Optional<StreamPartition> p = store(s).find(key);
        if (p.isEmpty()) {
            return done(RespErrors.error(RespErrors.XGROUP_NEEDS_KEY));
        }
        Optional<DeliveryGroup> g = group(s, key, c.argString(3));
        if (g.isEmpty()) {
            if (name.equals("xgroup|destroy")) {
                return done(RespReply.integer(0));
            }
            return done(RespErrors.error("NOGROUP No such consumer group '" + c.argString(3) + "' for key name '"
                    + key + "'"));
        }
        return action.run(p.get(), g.get());
    }

    /** The offset a group positioned "after id" starts reading at ({@code $} = only new entries). */
    private static long startOffset(RespStreamStore store, StreamPartition p, String idText) {
        if (idText.equals("$")) {
            return p.highWatermark();
        }
        RespStreamId id = RespStreamId.parse(idText);
        RespStreamId next = id.next();
        return next == null ? p.highWatermark() : store.firstOffsetAtOrAfter(p, next);
    }

    private static CompletionStage<RespReply> xgroupCreate(RespSession s, RespCommand c) {
        if (c.argc() < 5) {
            return done(RespErrors.wrongArity("xgroup|create"));
        }
        String key = c.argString(2);
        String groupName = c.argString(3);
        String idText = c.argString(4);
        boolean mkStream = false;
        for (int i = 5; i < c.argc(); i++) {
            if (RespArgs.is(c, i, "mkstream")) {
                mkStream = true;
            } else if (RespArgs.is(c, i, "entriesread") && i + 1 < c.argc()) {
                RespArgs.parseLong(c, ++i);
            } else {
                return done(RespErrors.error(RespErrors.SYNTAX));
            }
        }
        if (!idText.equals("$")) {
            RespStreamId.parse(idText);
        }
        RespStreamStore store = store(s);
        Optional<StreamPartition> existing = store.find(key);
        if (existing.isEmpty() && !mkStream) {
            return done(RespErrors.error(RespErrors.XGROUP_NEEDS_KEY));
        }
        CompletableFuture<StreamPartition> p = existing.map(CompletableFuture::completedFuture)
                .orElseGet(() -> store.findOrCreate(key));
        return p.thenCompose(part -> store.broker().groups().create(store.ctx(), key, 0, groupName,
                        startOffset(store, part, idText), QueueArguments.DEFAULT))
                .thenApply(created -> created ? RespReply.OK : RespErrors.error(RespErrors.BUSYGROUP));
    }

    private static CompletionStage<RespReply> xgroupSetId(RespSession s, RespCommand c) {
        if (c.argc() != 5 && c.argc() != 7) {
            return done(RespErrors.wrongArity("xgroup|setid"));
        }
        if (c.argc() == 7 && !RespArgs.is(c, 5, "entriesread")) {
            return done(RespErrors.error(RespErrors.SYNTAX));
        }
        String idText = c.argString(4);
        if (!idText.equals("$")) {
            RespStreamId.parse(idText);
        }
        RespCommand five = c.argc() == 7 ? trimTo(c, 5) : c;
        return withGroup(s, five, 5, "xgroup|setid", (p, g) ->
                g.setCursor(startOffset(store(s), p, idText)).thenApply(v -> RespReply.OK));
    }

    private static RespCommand trimTo(RespCommand c, int n) {
        List<byte[]> a = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            a.add(c.arg(i));
        }
        return new RespCommand(a);
    }

    // ---- XREADGROUP ----

    private static CompletionStage<RespReply> xreadgroup(RespSession s, RespCommand c) {
        if (!RespArgs.is(c, 1, "group")) {
            return done(RespErrors.error(RespErrors.SYNTAX));
        }
        String groupName = c.argString(2);
        String consumer = c.argString(3);
        long count = -1;
        long block = -1;
        boolean noAck = false;
        int streamsAt = -1;
        for (int i = 4; i < c.argc(); i++) {
            String a = RespArgs.lower(c, i);
            if (a.equals("count") && i + 1 < c.argc()) {
                count = RespArgs.parseLong(c, ++i);
                if (count <= 0) {
                    count = -1;
                }
            } else if (a.equals("block") && i + 1 < c.argc()) {
                block = RespArgs.parseTimeout(c, ++i);
            } else if (a.equals("noack")) {
                noAck = true;
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
            return done(RespErrors.error(String.format(RespErrors.XREAD_UNBALANCED, "xreadgroup")));
        }
        n /= 2;
        RespStreamStore store = store(s);
        List<String> keys = new ArrayList<>(n);
        List<RespStreamId> ids = new ArrayList<>(n); // null = ">"
        List<DeliveryGroup> groups = new ArrayList<>(n);
        boolean onlyNew = true;
        for (int k = 0; k < n; k++) {
            String key = c.argString(streamsAt + k);
            String idText = c.argString(streamsAt + n + k);
            if (idText.equals("$")) {
                return done(RespErrors.error(RespErrors.XREADGROUP_DOLLAR));
            }
            RespStreamId id = idText.equals(">") ? null : RespStreamId.parse(idText, 0, false);
            if (id != null) {
                onlyNew = false;
            }
            Optional<StreamPartition> p = store.find(key);
            Optional<DeliveryGroup> g = p.isEmpty() ? Optional.empty() : group(s, key, groupName);
            if (g.isEmpty()) {
                return done(RespErrors.noGroupForRead(key, groupName));
            }
            keys.add(key);
            ids.add(id);
            groups.add(g.get());
        }
        int max = count < 0 ? UNBOUNDED_FETCH : (int) Math.min(count, UNBOUNDED_FETCH);
        boolean noAckFinal = noAck;
        if (block < 0 || !onlyNew) {
            // Reading the history never blocks, as on redis-server.
            return readGroupOnce(s, keys, ids, groups, consumer, max, noAckFinal, false)
                    .thenApply(r -> r == null ? RespReply.NULL_ARRAY : r);
        }
        if (n == 1) {
            return blockedGroupRead(s, keys.get(0), groups.get(0), consumer, max, noAck, block);
        }
        return RespBlocking.run(s, block, keys.size(), () -> RespStreamCommands.existing(store, keys), groups,
                        () -> readGroupOnce(s, keys, ids, groups, consumer, max, noAckFinal, true),
                        RespReply.NULL_ARRAY)
                .handle((reply, err) -> blockedAnswer(store, keys, reply, err));
    }

    /**
     * The answer to a blocked XREADGROUP: its reply, or redis-server's error when a stream it waits on was deleted
     * (through another protocol) or a group destroyed while the client waited; any other failure passes through.
     */
    private static RespReply blockedAnswer(RespStreamStore store, List<String> keys, RespReply reply, Throwable err) {
        if (err == null) {
            return reply;
        }
        SluiceException e = SluiceException.from(err);
        if (e.code() == ErrorCode.GROUP_NOT_FOUND || e.code() == ErrorCode.STREAM_NOT_FOUND) {
            boolean streamGone = keys.stream().anyMatch(k -> store.find(k).isEmpty());
            return RespErrors.error(streamGone ? RespErrors.BLOCKED_STREAM_GONE : RespErrors.BLOCKED_GROUP_GONE);
        }
        throw e;
    }

    /** XREADGROUP {@code >} with BLOCK on one stream: waits in the group itself (see {@link RespBlockedGroupRead}). */
    private static CompletableFuture<RespReply> blockedGroupRead(RespSession s, String key, DeliveryGroup g,
                                                                String consumer, int max, boolean noAck, long block) {
        RespStreamStore store = store(s);
        Optional<StreamPartition> p = store.find(key);
        if (p.isEmpty()) {
            return CompletableFuture.completedFuture(RespErrors.noGroupForRead(key, g.name()));
        }
        RespStreamState st = store.state(key, p.get());
        return RespBlockedGroupRead.run(s, g, consumer, max, noAck, block, ds -> ds.isEmpty()
                ? CompletableFuture.completedFuture(null)
                : liveEntries(g, st, ds).thenApply(entries -> entries.isEmpty() ? null
                        : RespStreamCommands.keyedReply(s,
                                List.of(RespReply.bulk(key), RespStreamEntry.toReply(entries)))))
                .handle((reply, err) -> blockedAnswer(store, List.of(key), reply, err));
    }

    /**
     * One pass over the streams; null when only ">" reads were asked and none returned anything. In a blocked read
     * ({@code blocked}) a stream that no longer exists fails the pass (every stream existed when the read began).
     */
    private static CompletableFuture<RespReply> readGroupOnce(RespSession s, List<String> keys, List<RespStreamId> ids,
                                                               List<DeliveryGroup> groups, String consumer, int max,
                                                               boolean noAck, boolean blocked) {
        RespStreamStore store = store(s);
        List<CompletableFuture<List<RespStreamEntry>>> parts = new ArrayList<>(keys.size());
        for (int k = 0; k < keys.size(); k++) {
            String key = keys.get(k);
            DeliveryGroup g = groups.get(k);
            RespStreamId id = ids.get(k);
            Optional<StreamPartition> p = store.find(key);
            if (p.isEmpty()) {
                parts.add(blocked ? CompletableFuture.failedFuture(new SluiceException(ErrorCode.STREAM_NOT_FOUND,
                        key)) : CompletableFuture.completedFuture(List.of()));
                continue;
            }
            RespStreamState st = store.state(key, p.get());
            if (id == null) {
                parts.add(g.fetch(consumer, max, 0, noAck).thenCompose(ds -> liveEntries(g, st, ds)));
            } else {
                RespStreamId next = id.next();
                long after = next == null ? Long.MAX_VALUE - 1 : store.firstOffsetAtOrAfter(p.get(), next) - 1;
                parts.add(g.pendingDeliveries(consumer, after, max).thenApply(ds -> {
                    List<RespStreamEntry> out = new ArrayList<>(ds.size());
                    for (Delivery d : ds) {
                        RespStreamEntry e = RespEntryCodec.fromMessage(d.offset(), d.message());
                        out.add(st.deleted.contains(d.offset()) ? new RespStreamEntry(e.id(), e.offset(), null) : e);
                    }
                    return out;
                }));
            }
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<RespReply> perKey = new ArrayList<>();
            for (int k = 0; k < keys.size(); k++) {
                List<RespStreamEntry> entries = parts.get(k).join();
                if (entries.isEmpty() && ids.get(k) == null) {
                    continue; // new-entry reads list only streams that returned something
                }
                perKey.add(RespReply.bulk(keys.get(k)));
                perKey.add(RespStreamEntry.toReply(entries));
            }
            return perKey.isEmpty() ? null : RespStreamCommands.keyedReply(s, perKey);
        });
    }

    /** Drops deliveries of entries removed by XDEL (acknowledging them, as they can never be processed). */
    private static CompletableFuture<List<RespStreamEntry>> liveEntries(DeliveryGroup g, RespStreamState st,
                                                                        List<Delivery> ds) {
        List<RespStreamEntry> out = new ArrayList<>(ds.size());
        List<Long> dead = new ArrayList<>();
        for (Delivery d : ds) {
            if (st.deleted.contains(d.offset())) {
                dead.add(d.offset());
            } else {
                out.add(RespEntryCodec.fromMessage(d.offset(), d.message()));
            }
        }
        if (dead.isEmpty()) {
            return CompletableFuture.completedFuture(out);
        }
        return g.ack(dead).thenApply(n -> out);
    }

    // ---- XACK ----

    private static CompletionStage<RespReply> xack(RespSession s, RespCommand c) {
        String key = c.key();
        List<RespStreamId> ids = new ArrayList<>();
        for (int i = 3; i < c.argc(); i++) {
            ids.add(RespStreamId.parse(c.arg(i)));
        }
        RespStreamStore store = store(s);
        Optional<StreamPartition> p = store.find(key);
        Optional<DeliveryGroup> g = p.isEmpty() ? Optional.empty() : group(s, key, c.argString(2));
        if (g.isEmpty()) {
            return done(RespReply.integer(0));
        }
        List<Long> offsets = offsets(store, p.get(), ids);
        if (offsets.isEmpty()) {
            return done(RespReply.integer(0));
        }
        return g.get().ack(offsets).thenApply(n -> RespReply.integer(n));
    }

    /** The offsets of the entries with these ids (resolved in memory), each once, unknown ids left out. */
    private static List<Long> offsets(RespStreamStore store, StreamPartition p, List<RespStreamId> ids) {
        RespIdIndex idx = store.index(p);
        List<Long> offsets = new ArrayList<>(ids.size());
        long last = -1;
        java.util.Set<Long> seen = null; // only once the ids stop rising: a consumer acknowledges a batch in order
        for (RespStreamId id : ids) {
            long o = idx.offsetOf(id, last + 1);
            if (o < 0) {
                continue;
            }
            if (seen == null && o > last) {
                last = o;
                offsets.add(o);
                continue;
            }
            if (seen == null) {
                seen = new java.util.HashSet<>(offsets);
            }
            if (seen.add(o)) {
                offsets.add(o);
            }
        }
        return offsets;
    }

    // ---- XPENDING ----

    private static CompletionStage<RespReply> xpending(RespSession s, RespCommand c) {
        String key = c.argString(1);
        String groupName = c.argString(2);
        RespStreamStore store = store(s);
        long minIdle = 0;
        int i = 3;
        if (c.argc() > 3) {
            if (RespArgs.is(c, 3, "idle")) {
                RespArgs.need(c, 4);
                minIdle = RespArgs.parseLong(c, 4);
                i = 5;
            }
            if (c.argc() - i < 3 || c.argc() - i > 4) {
                return done(RespErrors.error(RespErrors.SYNTAX));
            }
        }
        boolean extended = c.argc() > 3;
        RespStreamId start = extended ? RespStreamCommands.parseBound(c.argString(i), true) : RespStreamId.MIN;
        RespStreamId end = extended ? RespStreamCommands.parseBound(c.argString(i + 1), false) : RespStreamId.MAX;
        long count = extended ? RespArgs.parseLong(c, i + 2) : Integer.MAX_VALUE;
        String consumer = extended && c.argc() - i == 4 ? c.argString(i + 3) : null;
        Optional<StreamPartition> p = store.find(key);
        Optional<DeliveryGroup> g = p.isEmpty() ? Optional.empty() : group(s, key, groupName);
        if (g.isEmpty()) {
            return done(RespErrors.noGroup(key, groupName));
        }
        if (extended && count <= 0) {
            return done(RespReply.array());
        }
        long from = store.firstOffsetAtOrAfter(p.get(), start);
        RespStreamId afterEnd = end.next();
        long to = afterEnd == null ? Long.MAX_VALUE : store.firstOffsetAtOrAfter(p.get(), afterEnd) - 1;
        long now = s.server().clock().millis();
        return g.get().pending(from, to, consumer, minIdle, (int) Math.min(count, Integer.MAX_VALUE))
                .thenApply(entries -> extended ? extendedPending(store, p.get(), entries, now)
                        : summaryPending(store, p.get(), entries));
    }

    private static RespReply summaryPending(RespStreamStore store, StreamPartition p, List<PendingEntry> entries) {
        if (entries.isEmpty()) {
            return RespReply.array(RespReply.integer(0), RespReply.NULL, RespReply.NULL, RespReply.NULL_ARRAY);
        }
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        Map<String, Long> perConsumer = new LinkedHashMap<>();
        for (PendingEntry e : entries) {
            min = Math.min(min, e.offset());
            max = Math.max(max, e.offset());
            perConsumer.merge(e.consumer(), 1L, Long::sum);
        }
        List<RespReply> consumers = new ArrayList<>();
        perConsumer.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(en -> consumers.add(
                RespReply.array(RespReply.bulk(en.getKey()), RespReply.bulk(Long.toString(en.getValue())))));
        return RespReply.array(RespReply.integer(entries.size()), idReply(store, p, min), idReply(store, p, max),
                RespReply.array(consumers));
    }

    private static RespReply extendedPending(RespStreamStore store, StreamPartition p, List<PendingEntry> entries,
                                             long now) {
        List<RespReply> rows = new ArrayList<>(entries.size());
        for (PendingEntry e : entries) {
            rows.add(RespReply.array(idReply(store, p, e.offset()), RespReply.bulk(e.consumer()),
                    RespReply.integer(Math.max(0, now - e.lastDeliveredAt())), RespReply.integer(e.deliveryCount())));
        }
        return RespReply.array(rows);
    }

    /** The id of the entry at {@code offset} as a bulk string, or nil if it has none (trimmed). */
    static RespReply idReply(RespStreamStore store, StreamPartition p, long offset) {
        RespStreamId id = store.idAt(p, offset);
        return id == null ? RespReply.NULL : RespReply.bulk(id.toString());
    }

    // ---- XCLAIM, XAUTOCLAIM ----

    /** The integer after an XCLAIM option, with redis-server's error when it is missing or not an integer. */
    private static long claimOption(RespCommand c, int i, String option) {
        if (i >= c.argc()) {
            throw new RespCommandException("ERR Unrecognized XCLAIM option '" + c.argString(i - 1) + "'");
        }
        try {
            return RespArgs.parseLong(c, i);
        } catch (RespCommandException e) {
            throw new RespCommandException("ERR Invalid " + option + " option argument for XCLAIM");
        }
    }

    private static CompletionStage<RespReply> xclaim(RespSession s, RespCommand c) {
        String key = c.argString(1);
        String groupName = c.argString(2);
        String consumer = c.argString(3);
        long minIdle = Math.max(0, RespArgs.parseLong(c, 4));
        List<RespStreamId> ids = new ArrayList<>();
        int i = 5;
        for (; i < c.argc(); i++) {
            try {
                ids.add(RespStreamId.parse(c.argString(i)));
            } catch (RespCommandException e) {
                break;
            }
        }
        boolean force = false;
        boolean justId = false;
        long deliveredAt = -1; // IDLE or TIME; the group takes a time before 1970 or after now as now
        long retryCount = -1;
        for (; i < c.argc(); i++) {
            String a = RespArgs.lower(c, i);
            switch (a) {
                case "force" -> force = true;
                case "justid" -> justId = true;
                case "idle" -> deliveredAt = s.server().clock().millis() - claimOption(c, ++i, "IDLE");
                case "time" -> deliveredAt = claimOption(c, ++i, "TIME");
                case "retrycount" -> retryCount = claimOption(c, ++i, "RETRYCOUNT");
                case "lastid" -> {
                    RespArgs.need(c, i + 1);
                    RespStreamId.parse(c.argString(++i));
                }
                default -> {
                    return done(RespErrors.error("ERR Unrecognized XCLAIM option '" + c.argString(i) + "'"));
                }
            }
        }
        RespStreamStore store = store(s);
        Optional<StreamPartition> p = store.find(key);
        Optional<DeliveryGroup> g = p.isEmpty() ? Optional.empty() : group(s, key, groupName);
        if (g.isEmpty()) {
            return done(RespErrors.noGroup(key, groupName));
        }
        RespStreamState st = store.state(key, p.get());
        List<Long> offsets = offsets(store, p.get(), ids);
        if (offsets.isEmpty()) {
            return done(RespReply.array());
        }
        boolean justIdFinal = justId;
        return g.get().claim(consumer, offsets, minIdle, force, !justId, deliveredAt,
                        (int) Math.min(retryCount, Integer.MAX_VALUE))
                .thenCompose(ds -> claimed(g.get(), st, ds).thenApply(live -> {
                    List<RespReply> out = new ArrayList<>(live.size());
                    for (RespStreamEntry e : live) {
                        out.add(justIdFinal ? RespReply.bulk(e.id().toString()) : e.toReply());
                    }
                    return RespReply.array(out);
                }));
    }

    /** Claimed deliveries minus XDEL'd entries, which are acknowledged (dropped from the pending list) instead. */
    private static CompletableFuture<List<RespStreamEntry>> claimed(DeliveryGroup g, RespStreamState st,
                                                                    List<Delivery> ds) {
        return liveEntries(g, st, ds);
    }

    private static CompletionStage<RespReply> xautoclaim(RespSession s, RespCommand c) {
        String key = c.argString(1);
        String groupName = c.argString(2);
        String consumer = c.argString(3);
        long minIdle = Math.max(0, RespArgs.parseLong(c, 4));
        RespStreamId start = RespStreamCommands.parseBound(c.argString(5), true);
        long count = 100;
        boolean justId = false;
        for (int i = 6; i < c.argc(); i++) {
            if (RespArgs.is(c, i, "count") && i + 1 < c.argc()) {
                count = RespArgs.parseLong(c, ++i);
                if (count < 1 || count > Long.MAX_VALUE / 10) {
                    return done(RespErrors.error(RespErrors.COUNT_NEGATIVE));
                }
            } else if (RespArgs.is(c, i, "justid")) {
                justId = true;
            } else {
                return done(RespErrors.error(RespErrors.SYNTAX));
            }
        }
        RespStreamStore store = store(s);
        Optional<StreamPartition> p = store.find(key);
        Optional<DeliveryGroup> g = p.isEmpty() ? Optional.empty() : group(s, key, groupName);
        if (g.isEmpty()) {
            return done(RespErrors.noGroup(key, groupName));
        }
        RespStreamState st = store.state(key, p.get());
        long from = store.firstOffsetAtOrAfter(p.get(), start);
        int max = (int) Math.min(count, 100_000);
        boolean justIdFinal = justId;
        DeliveryGroup group = g.get();
        return group.pending(from, Long.MAX_VALUE, null, minIdle, max + 1).thenCompose(pending -> {
            List<Long> offsets = new ArrayList<>();
            List<RespReply> deletedIds = new ArrayList<>();
            List<Long> deletedOffsets = new ArrayList<>();
            for (int k = 0; k < Math.min(max, pending.size()); k++) {
                long o = pending.get(k).offset();
                if (st.deleted.contains(o) || o < p.get().logStartOffset()) {
                    RespStreamId id = store.idAt(p.get(), o);
                    if (id != null) {
                        deletedIds.add(RespReply.bulk(id.toString()));
                    }
                    deletedOffsets.add(o);
                } else {
                    offsets.add(o);
                }
            }
            RespReply nextCursor = pending.size() > max ? idReplyOrZero(store, p.get(), pending.get(max).offset())
                    : RespReply.bulk("0-0");
            CompletableFuture<Integer> dropDeleted = deletedOffsets.isEmpty()
                    ? CompletableFuture.completedFuture(0) : group.ack(deletedOffsets);
            CompletableFuture<List<Delivery>> claimedNow = offsets.isEmpty()
                    ? CompletableFuture.completedFuture(List.of())
                    : group.claim(consumer, offsets, minIdle, false, !justIdFinal);
            return dropDeleted.thenCombine(claimedNow, (x, ds) -> {
                List<RespReply> out = new ArrayList<>(ds.size());
                for (Delivery d : ds) {
                    RespStreamEntry e = RespEntryCodec.fromMessage(d.offset(), d.message());
                    out.add(justIdFinal ? RespReply.bulk(e.id().toString()) : e.toReply());
                }
                return RespReply.array(nextCursor, RespReply.array(out), RespReply.array(deletedIds));
            });
        });
    }

    private static RespReply idReplyOrZero(RespStreamStore store, StreamPartition p, long offset) {
        RespStreamId id = store.idAt(p, offset);
        return RespReply.bulk(id == null ? "0-0" : id.toString());
    }
}
