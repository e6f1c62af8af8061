package io.sluice.protocol.resp.session;

import io.sluice.core.Message;
import io.sluice.core.pubsub.PatternSyntax;
import io.sluice.protocol.resp.codec.RespReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One connection's channel and pattern subscriptions on the core's transient pub/sub. SUBSCRIBE maps to an exact
 * subscription, PSUBSCRIBE to a glob one ({@link PatternSyntax#GLOB}); messages arrive on the publisher's thread and
 * are handed to the connection's event loop as {@code message}/{@code pmessage} pushes (RESP3 push frames, RESP2
 * arrays). Everything else runs on the event loop; subscriptions are closed when the connection closes.
 */
final class RespPubSub {

    private static final Logger LOG = LoggerFactory.getLogger(RespPubSub.class);

    private final RespSession session;
    private final Map<String, AutoCloseable> channels = new LinkedHashMap<>();
    private final Map<String, AutoCloseable> patterns = new LinkedHashMap<>();
    private boolean hooked;

    RespPubSub(RespSession session) {
        this.session = session;
    }

    int count() {
        return channels.size() + patterns.size();
    }

    int channelCount() {
        return channels.size();
    }

    int patternCount() {
        return patterns.size();
    }

    void subscribe(List<String> names, boolean pattern) {
        hookClose();
        Map<String, AutoCloseable> subs = pattern ? patterns : channels;
        RespStreamStore store = session.server().streams();
        for (String name : names) {
            if (!subs.containsKey(name)) {
                AutoCloseable handle = pattern
                        ? store.broker().pubsub().subscribe(store.ctx(), name, PatternSyntax.GLOB, null,
                        (subject, m) -> session.push(push("pmessage", name, subject, m)))
                        : store.broker().pubsub().subscribe(store.ctx(), name, PatternSyntax.EXACT, null,
                        (subject, m) -> session.push(push("message", subject, null, m)));
                subs.put(name, handle);
            }
            session.write(new RespReply.Push(List.of(RespReply.bulk(pattern ? "psubscribe" : "subscribe"),
                    RespReply.bulk(name), RespReply.integer(count()))));
        }
    }

    void unsubscribe(List<String> names, boolean pattern) {
        Map<String, AutoCloseable> subs = pattern ? patterns : channels;
        String kind = pattern ? "punsubscribe" : "unsubscribe";
        List<String> targets = names.isEmpty() ? new ArrayList<>(subs.keySet()) : names;
        if (targets.isEmpty()) {
            session.write(new RespReply.Push(List.of(RespReply.bulk(kind), RespReply.NULL, RespReply.integer(count()))));
            return;
        }
        for (String name : targets) {
            close(subs.remove(name));
            session.write(new RespReply.Push(List.of(RespReply.bulk(kind), RespReply.bulk(name),
                    RespReply.integer(count()))));
        }
    }

    /** Drops every subscription; with {@code reply}, answers like UNSUBSCRIBE and PUNSUBSCRIBE without arguments. */
    void unsubscribeAll(boolean reply) {
        if (reply) {
            unsubscribe(List.of(), false);
            unsubscribe(List.of(), true);
            return;
        }
        channels.values().forEach(RespPubSub::close);
        patterns.values().forEach(RespPubSub::close);
        channels.clear();
        patterns.clear();
    }

    private void hookClose() {
        if (!hooked) {
            hooked = true;
            session.onClose(() -> unsubscribeAll(false));
        }
    }

    private static RespReply push(String kind, String patternOrChannel, String channel, Message m) {
        byte[] payload = m.value() == null ? new byte[0] : m.value();
        if (channel == null) {
            return new RespReply.Push(List.of(RespReply.bulk(kind), RespReply.bulk(patternOrChannel),
                    RespReply.bulk(payload)));
        }
        return new RespReply.Push(List.of(RespReply.bulk(kind), RespReply.bulk(patternOrChannel),
                RespReply.bulk(channel), RespReply.bulk(payload)));
    }

    private static void close(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.debug("resp: closing a subscription failed", e);
        }
    }
}
