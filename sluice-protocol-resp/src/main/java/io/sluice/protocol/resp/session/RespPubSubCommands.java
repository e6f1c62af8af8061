package io.sluice.protocol.resp.session;

import io.sluice.core.Message;
import io.sluice.protocol.resp.codec.RespCommand;
import io.sluice.protocol.resp.codec.RespReply;

import java.util.ArrayList;
import java.util.List;

import static io.sluice.protocol.resp.session.RespSession.done;

/**
 * PUBLISH, SUBSCRIBE, PSUBSCRIBE, UNSUBSCRIBE, PUNSUBSCRIBE. Channel names are UTF-8 subjects of the core's transient
 * pub/sub, shared with the other protocols (a Redis PUBLISH reaches a NATS subscriber of the same subject).
 */
final class RespPubSubCommands {

    private RespPubSubCommands() {
    }

    static void register(RespCommandTable t) {
        t.add("publish", 3, (s, c) -> {
            RespStreamStore store = s.server().streams();
            String channel = c.argString(1);
            int n = store.broker().pubsub().publish(store.ctx(), channel, Message.of(channel, c.arg(2)));
            return done(RespReply.integer(n));
        });
        t.add(new RespCommandTable.Spec("subscribe", -2, false, true, (s, c) -> {
            s.pubSub().subscribe(names(c), false);
            return null;
        }));
        t.add(new RespCommandTable.Spec("psubscribe", -2, false, true, (s, c) -> {
            s.pubSub().subscribe(names(c), true);
            return null;
        }));
        t.add(new RespCommandTable.Spec("unsubscribe", -1, false, true, (s, c) -> {
            s.pubSub().unsubscribe(names(c), false);
            return null;
        }));
        t.add(new RespCommandTable.Spec("punsubscribe", -1, false, true, (s, c) -> {
            s.pubSub().unsubscribe(names(c), true);
            return null;
        }));
    }

    private static List<String> names(RespCommand c) {
        List<String> names = new ArrayList<>(c.argc() - 1);
        for (int i = 1; i < c.argc(); i++) {
            names.add(c.argString(i));
        }
        return names;
    }
}
