package io.sluice.protocol.resp.session;

import io.sluice.protocol.resp.codec.RespReply;
import io.sluice.protocol.resp.codec.RespReplyEncoder;

import java.util.ArrayList;
import java.util.List;

/**
 * One Redis stream entry as read from the log: its id, the log offset it lives at, and its fields and values
 * alternating ({@code null} for an entry that was deleted while still pending in a group, which Redis shows as
 * {@code [id, nil]}).
 */
record RespStreamEntry(RespStreamId id, long offset, List<byte[]> fieldsAndValues) {

    /**
     * {@code [id, [f1, v1, f2, v2 ...]]}, the shape XRANGE and XREAD use, already encoded when it can be
     * ({@link RespReplyEncoder#preEncode}): entries are read and turned into replies off the event loop.
     */
    RespReply toReply() {
        return RespReplyEncoder.preEncode(new RespReply.StreamEntry(id.toAscii(), fieldsAndValues));
    }

    static RespReply toReply(List<RespStreamEntry> entries) {
        List<RespReply> items = new ArrayList<>(entries.size());
        for (RespStreamEntry e : entries) {
            items.add(e.toReply());
        }
        return RespReply.array(items);
    }
}
