package io.sluice.protocol.resp.session;

import io.sluice.core.queue.DeliveryGroup;
import io.sluice.core.queue.GroupInfo;
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
 * {@code radix-tree-keys}/{@code radix-tree-nodes} describe Redis's memory layout and are reported as 0; XINFO STREAM
 * FULL is not supported. A group's {@code entries-read} is its cursor offset (offsets count every entry ever added)
 * and its {@code lag} the live entries at or after the cursor.
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
            case "stream" -> c.argc() == 3 ? s.server().offLoop(() -> stream(s, c.argString(2)))
                    : RespArgs.is(c, 3, "full") ? done(RespErrors.error("ERR XINFO STREAM FULL is not supported"))
                    : done(RespErrors.error(RespErrors.SYNTAX));
            case "groups" -> c.argc() == 3 ? done(groups(s, c.argString(2))) : done(RespErrors.wrongArity("xinfo|groups"));
            case "consumers" -> c.argc() == 4 ? done(consumers(s, c.argString(2), c.argString(3)))
                    : done(RespErrors.wrongArity("xinfo|consumers"));
            case "help" -> done(RespReply.array(
                    RespReply.bulk("XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"),
                    RespReply.bulk("CONSUMERS <key> <groupname>"),
                    RespReply.bulk("GROUPS <key>"),
                    RespReply.bulk("STREAM <key>")));
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
        return new RespReply.Map(List.of(
                RespReply.bulk("length"), RespReply.integer(store.length(p.get(), st)),
                RespReply.bulk("radix-tree-keys"), RespReply.integer(0),
                RespReply.bulk("radix-tree-nodes"), RespReply.integer(0),
                RespReply.bulk("last-generated-id"), RespReply.bulk(st.lastId().toString()),
                RespReply.bulk("max-deleted-entry-id"), RespReply.bulk(st.maxDeletedId().toString()),
                RespReply.bulk("entries-added"), RespReply.integer(p.get().highWatermark()),
                RespReply.bulk("recorded-first-entry-id"),
                RespReply.bulk(first == null ? "0-0" : first.id().toString()),
                RespReply.bulk("groups"), RespReply.integer(groups),
                RespReply.bulk("first-entry"), first == null ? RespReply.NULL : first.toReply(),
                RespReply.bulk("last-entry"), last == null ? RespReply.NULL : last.toReply()));
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
            long cursor = Math.max(info.cursor(), p.get().logStartOffset());
            RespStreamId lastDelivered = cursor > p.get().logStartOffset() ? store.idAt(p.get(), cursor - 1) : null;
            out.add(new RespReply.Map(List.of(
                    RespReply.bulk("name"), RespReply.bulk(g.name()),
                    RespReply.bulk("consumers"), RespReply.integer(info.consumers().size()),
                    RespReply.bulk("pending"), RespReply.integer(info.pending()),
                    RespReply.bulk("last-delivered-id"),
                    RespReply.bulk(lastDelivered == null ? "0-0" : lastDelivered.toString()),
                    RespReply.bulk("entries-read"), RespReply.integer(info.cursor()),
                    RespReply.bulk("lag"), RespReply.integer(st.liveBetween(cursor, p.get().highWatermark())))));
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
