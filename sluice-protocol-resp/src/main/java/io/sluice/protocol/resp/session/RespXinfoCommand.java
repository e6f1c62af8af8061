package io.sluice.protocol.resp.session;

import io.sluice.core.queue.DeliveryGroup;
import io.sluice.core.queue.GroupInfo;
import io.sluice.core.queue.PendingEntry;
import io.sluice.core.stream.StreamPartition;
import io.sluice.protocol.resp.codec.RespCommand;
import io.sluice.protocol.resp.codec.RespReply;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import static io.sluice.protocol.resp.session.RespSession.done;

/**
 * XINFO STREAM, GROUPS and CONSUMERS: Redis's field names, values derived from the log and the delivery groups.
 * {@code radix-tree-keys}/{@code radix-tree-nodes} describe Redis's memory layout and are reported as 0. A group's
 * {@code entries-read} is its cursor offset (offsets count every entry ever added) and its {@code lag} the live
 * entries at or after the cursor. XINFO STREAM FULL lists the first COUNT entries (default 10, 0 = all) and, per group,
 * the first COUNT pending entries and per consumer the first COUNT of its own, as redis-server does; a consumer's
 * {@code active-time} is its {@code seen-time} (the core keeps one time per consumer).
 */
final class RespXinfoCommand {

    private RespXinfoCommand() {
    }

    static void register(RespCommandTable t) {
        t.add("xinfo", -2, RespXinfoCommand::xinfo);
    }

    private static CompletionStage<RespReply> xinfo(RespSession s, RespCommand c) {
        String sub = RespArgs.lower(c, 1);
        return switch (sub) {
            case "stream" -> c.argc() == 3 ? s.server().offLoop(() -> stream(s, c.argString(2))) : streamFull(s, c);
            case "groups" -> c.argc() == 3 ? done(groups(s, c.argString(2))) : done(RespErrors.wrongArity("xinfo|groups"));
            case "consumers" -> c.argc() == 4 ? done(consumers(s, c.argString(2), c.argString(3)))
                    : done(RespErrors.wrongArity("xinfo|consumers"));
            case "help" -> done(RespReply.array(
                    RespReply.bulk("XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"),
                    RespReply.bulk("CONSUMERS <key> <groupname>"),
                    RespReply.bulk("GROUPS <key>"),
                    RespReply.bulk("STREAM <key> [FULL [COUNT <count>]")));
            default -> done(RespErrors.unknownSubcommand(c.argString(1), "xinfo"));
        };
    }

    private static RespReply stream(RespSession s, String key) {
        RespStreamStore store = s.server().streams();
        Optional<StreamPartition> p = store.find(key);
        if (p.isEmpty()) {
            return RespErrors.error("ERR no such key");
        }
        RespStreamState st = store.state(key, p.get());
        RespStreamEntry first = store.first(p.get(), st);
        RespStreamEntry last = store.last(p.get(), st);
        int groups = store.broker().groups().list(store.ctx(), key).size();
        List<RespReply> fields = streamFields(store, p.get(), st, first);
        fields.addAll(List.of(
                RespReply.bulk("groups"), RespReply.integer(groups),
                RespReply.bulk("first-entry"), first == null ? RespReply.NULL : first.toReply(),
                RespReply.bulk("last-entry"), last == null ? RespReply.NULL : last.toReply()));
        return new RespReply.Map(fields);
    }

    /** The fields XINFO STREAM starts with, with and without FULL. */
    private static List<RespReply> streamFields(RespStreamStore store, StreamPartition p, RespStreamState st,
                                                RespStreamEntry first) {
        return new ArrayList<>(List.of(
                RespReply.bulk("length"), RespReply.integer(store.length(p, st)),
                RespReply.bulk("radix-tree-keys"), RespReply.integer(0),
                RespReply.bulk("radix-tree-nodes"), RespReply.integer(0),
                RespReply.bulk("last-generated-id"), RespReply.bulk(st.lastId().toString()),
                RespReply.bulk("max-deleted-entry-id"), RespReply.bulk(st.maxDeletedId().toString()),
                RespReply.bulk("entries-added"), RespReply.integer(p.highWatermark()),
                RespReply.bulk("recorded-first-entry-id"),
                RespReply.bulk(first == null ? "0-0" : first.id().toString())));
    }

    /** A group's last-delivered-id, entries-read and lag, as XINFO GROUPS and XINFO STREAM FULL report them. */
    private static List<RespReply> progressFields(RespStreamStore store, StreamPartition p, RespStreamState st,
                                                  GroupInfo info) {
        long cursor = Math.max(info.cursor(), p.logStartOffset());
        RespStreamId lastDelivered = cursor > p.logStartOffset() ? store.idAt(p, cursor - 1) : null;
        return List.of(
                RespReply.bulk("last-delivered-id"),
                RespReply.bulk(lastDelivered == null ? "0-0" : lastDelivered.toString()),
                RespReply.bulk("entries-read"), RespReply.integer(info.cursor()),
                RespReply.bulk("lag"), RespReply.integer(st.liveBetween(cursor, p.highWatermark())));
    }

    /** {@code XINFO STREAM key FULL [COUNT n]}. */
    private static CompletionStage<RespReply> streamFull(RespSession s, RespCommand c) {
        if (c.argc() != 4 && c.argc() != 6) {
            return done(RespErrors.error("ERR unknown subcommand or wrong number of arguments for '"
                    + c.argString(1) + "'. Try XINFO HELP."));
        }
        if (!RespArgs.is(c, 3, "full") || (c.argc() == 6 && !RespArgs.is(c, 4, "count"))) {
            return done(RespErrors.error(RespErrors.SYNTAX));
        }
        long count = c.argc() == 6 ? Math.max(0, RespArgs.parseLong(c, 5)) : 10;
        return s.server().offLoop(() -> full(s, c.argString(2), count));
    }

    /** Runs on the read executor; waits there for the groups' pending lists. */
    private static RespReply full(RespSession s, String key, long count) {
        RespStreamStore store = s.server().streams();
        Optional<StreamPartition> found = store.find(key);
        if (found.isEmpty()) {
            return RespErrors.error("ERR no such key");
        }
        StreamPartition p = found.get();
        RespStreamState st = store.state(key, p);
        RespStreamEntry first = store.first(p, st);
        int limit = count == 0 ? Integer.MAX_VALUE : (int) Math.min(count, Integer.MAX_VALUE);
        List<RespReply> groups = new ArrayList<>();
        for (DeliveryGroup g : store.broker().groups().list(store.ctx(), key)) {
            groups.add(fullGroup(s, store, p, st, g, limit));
        }
        List<RespReply> fields = streamFields(store, p, st, first);
        fields.addAll(List.of(
                RespReply.bulk("entries"), RespStreamEntry.toReply(
                        store.range(p, st, RespStreamId.MIN, RespStreamId.MAX, count == 0 ? -1 : count)),
                RespReply.bulk("groups"), RespReply.array(groups)));
        return new RespReply.Map(fields);
    }

    private static RespReply fullGroup(RespSession s, RespStreamStore store, StreamPartition p, RespStreamState st,
                                       DeliveryGroup g, int limit) {
        GroupInfo info = g.info();
        List<RespReply> pending = new ArrayList<>();
        for (PendingEntry e : g.pending(0, Long.MAX_VALUE, null, 0, limit).join()) {
            pending.add(RespReply.array(RespGroupCommands.idReply(store, p, e.offset()), RespReply.bulk(e.consumer()),
                    RespReply.integer(e.lastDeliveredAt()), RespReply.integer(e.deliveryCount())));
        }
        long now = s.server().clock().millis();
        List<RespReply> consumers = new ArrayList<>();
        for (Map.Entry<String, Long> c : new java.util.TreeMap<>(info.consumers()).entrySet()) {
            List<RespReply> own = new ArrayList<>();
            for (PendingEntry e : g.pending(0, Long.MAX_VALUE, c.getKey(), 0, limit).join()) {
                own.add(RespReply.array(RespGroupCommands.idReply(store, p, e.offset()), RespReply.integer(e.lastDeliveredAt()),
                        RespReply.integer(e.deliveryCount())));
            }
            long seen = info.consumerSeenAt().getOrDefault(c.getKey(), now);
            consumers.add(new RespReply.Map(List.of(
                    RespReply.bulk("name"), RespReply.bulk(c.getKey()),
                    RespReply.bulk("seen-time"), RespReply.integer(seen),
                    RespReply.bulk("active-time"), RespReply.integer(seen),
                    RespReply.bulk("pel-count"), RespReply.integer(c.getValue()),
                    RespReply.bulk("pending"), RespReply.array(own))));
        }
        List<RespReply> fields = new ArrayList<>(List.of(RespReply.bulk("name"), RespReply.bulk(g.name())));
        fields.addAll(progressFields(store, p, st, info));
        fields.addAll(List.of(
                RespReply.bulk("pel-count"), RespReply.integer(info.pending()),
                RespReply.bulk("pending"), RespReply.array(pending),
                RespReply.bulk("consumers"), RespReply.array(consumers)));
        return new RespReply.Map(fields);
    }

    private static RespReply groups(RespSession s, String key) {
        RespStreamStore store = s.server().streams();
        Optional<StreamPartition> p = store.find(key);
        if (p.isEmpty()) {
            return RespErrors.error("ERR no such key");
        }
        RespStreamState st = store.state(key, p.get());
        List<RespReply> out = new ArrayList<>();
        for (DeliveryGroup g : store.broker().groups().list(store.ctx(), key)) {
            GroupInfo info = g.info();
            List<RespReply> fields = new ArrayList<>(List.of(
                    RespReply.bulk("name"), RespReply.bulk(g.name()),
                    RespReply.bulk("consumers"), RespReply.integer(info.consumers().size()),
                    RespReply.bulk("pending"), RespReply.integer(info.pending())));
            fields.addAll(progressFields(store, p.get(), st, info));
            out.add(new RespReply.Map(fields));
        }
        return RespReply.array(out);
    }

    private static RespReply consumers(RespSession s, String key, String groupName) {
        RespStreamStore store = s.server().streams();
        Optional<StreamPartition> p = store.find(key);
        Optional<DeliveryGroup> g = p.isEmpty() ? Optional.empty() : RespGroupCommands.group(s, key, groupName);
        if (g.isEmpty()) {
            return RespErrors.error("NOGROUP No such consumer group '" + groupName + "' for key name '" + key + "'");
        }
        GroupInfo info = g.get().info();
        long now = s.server().clock().millis();
        List<RespReply> out = new ArrayList<>();
        info.consumers().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            long seen = info.consumerSeenAt().getOrDefault(e.getKey(), now);
            long idle = Math.max(0, now - seen);
            out.add(new RespReply.Map(List.of(
                    RespReply.bulk("name"), RespReply.bulk(e.getKey()),
                    RespReply.bulk("pending"), RespReply.integer(e.getValue()),
                    RespReply.bulk("idle"), RespReply.integer(idle),
                    RespReply.bulk("inactive"), RespReply.integer(idle))));
        });
        return RespReply.array(out);
    }
}
