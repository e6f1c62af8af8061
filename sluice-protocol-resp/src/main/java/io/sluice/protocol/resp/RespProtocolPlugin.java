package io.sluice.protocol.resp;

import io.sluice.protocol.resp.codec.RespCommandDecoder;
import io.sluice.protocol.resp.session.RespHandlers;
import io.sluice.transport.ProtocolContext;
import io.sluice.transport.ProtocolHandlers;
import io.sluice.transport.ProtocolPlugin;

/**
 * The Redis protocol (RESP2 and RESP3) for Redis Streams, consumer groups and pub/sub on Sluice; default port 6379.
 *
 * <h2>Commands</h2>
 * Connection: HELLO (2|3, AUTH, SETNAME), AUTH, PING, ECHO, SELECT 0, CLIENT SETNAME/GETNAME/ID/INFO/LIST/SETINFO,
 * COMMAND (empty table; COUNT, DOCS, INFO), INFO (minimal), QUIT, RESET. Streams: XADD, XLEN, XRANGE, XREVRANGE, XREAD,
 * XDEL, XTRIM, XSETID, XGROUP, XREADGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM, XINFO STREAM/GROUPS/CONSUMERS. Keys
 * (Redis streams only): DEL, UNLINK, EXISTS, TYPE. Pub/sub:
 * PUBLISH, SUBSCRIBE, PSUBSCRIBE, UNSUBSCRIBE, PUNSUBSCRIBE. Anything else is answered with redis-server's
 * {@code ERR unknown command '<name>', with args beginning with: ...} and the connection stays open. Protocol
 * violations are answered with redis-server's {@code ERR Protocol error: ...} and the connection is closed.
 *
 * <h2>Redis streams are Sluice streams</h2>
 * A Redis stream key is a single-partition stream of the same name in the default namespace, created on first XADD
 * (or XGROUP CREATE ... MKSTREAM) with {@code retention.ms=-1} and CreateTime timestamps. A Kafka consumer of the topic
 * of that name reads the same entries in the same order.
 * <ul>
 *   <li><b>Ids and offsets.</b> Each entry is one record. Its id {@code <ms>-<seq>} is in the header
 *       {@code redis.id} (ASCII); the record timestamp is {@code ms} (clamped to at least 1); the key is null.
 *       Offsets grow with ids: XADD refuses ids not above the last one, and appends to a stream are issued in id
 *       order, so offset order, id order and XRANGE order are one order. Ids are found through an in-memory
 *       index per stream (a binary search; rebuilt from the log on first use after a restart).</li>
 *   <li><b>Fields and values.</b> An entry with one field stores that field's value as the record value, byte for
 *       byte, and the field's name in the header {@code redis.field}: a Kafka consumer reads the payload itself.
 *       An entry with several fields stores a UTF-8 JSON object in XADD order:
 *       {@code {"sensor":"a1","temp":"21.5"}}. If any name or value is not valid UTF-8, all of that entry's names and
 *       values are Base64 text and the header {@code redis.encoding: base64} says so. Older one-field entries (a
 *       JSON object, no {@code redis.field}) read as before.</li>
 *   <li><b>XDEL</b> cannot remove a record from an append-only log: it records the entry's offset as deleted
 *       (durably, in the core's key-value store), and every Redis command skips it. Kafka consumers still see the
 *       entry until a trim moves the log start past it.</li>
 *   <li><b>XTRIM</b> and XADD's MAXLEN/MINID move the log start (a Kafka DeleteRecords); {@code ~} trims exactly but
 *       at most LIMIT entries (10000 by default) per call.</li>
 *   <li><b>Records written by other protocols</b> to such a stream appear with id {@code <timestamp>-<offset>} and,
 *       when the value is a JSON object of strings, its members as fields; otherwise fields {@code key} (if any) and
 *       {@code value}. Their ids are monotonic only if their timestamps are.</li>
 *   <li><b>Consumer groups</b> are the core's per-message-ack delivery groups on partition 0: pending entries,
 *       owner, delivery count and idle time survive restarts. XCLAIM's IDLE/TIME/RETRYCOUNT are accepted but not
 *       applied.</li>
 * </ul>
 *
 * <h2>Pub/sub</h2>
 * Channels are subjects of the core's transient pub/sub (shared with NATS core subjects); PSUBSCRIBE patterns are
 * Redis globs. In RESP2 a subscribed connection may only (P)SUBSCRIBE, (P)UNSUBSCRIBE, PING, QUIT and RESET; in RESP3
 * messages arrive as push frames and any command may be interleaved.
 *
 * <h2>Settings</h2> (keys under {@code resp.})
 * <ul>
 *   <li>{@value #PASSWORD}: password for AUTH/HELLO; unset = no authentication (default)</li>
 *   <li>{@value #USER}: a user name accepted with that password besides {@code default}; unset by default</li>
 *   <li>{@value #MAX_MULTIBULK}: largest request array, default 1048576</li>
 *   <li>{@value #MAX_BULK}: largest bulk string in a request, default 536870912 (redis-server's
 *       {@code proto-max-bulk-len})</li>
 * </ul>
 */
public final class RespProtocolPlugin implements ProtocolPlugin {

    public static final String PASSWORD = "password";
    public static final String USER = "user";
    public static final String MAX_MULTIBULK = "proto.max.multibulk.len";
    public static final String MAX_BULK = "proto.max.bulk.len";

    @Override
    public String name() {
        return "resp";
    }

    @Override
    public int defaultPort() {
        return 6379;
    }

    @Override
    public ProtocolHandlers create(ProtocolContext context) {
        var s = context.settings();
        return new RespHandlers(context.broker(), s.get(USER, null), s.get(PASSWORD, null),
                s.getInt(MAX_MULTIBULK, RespCommandDecoder.DEFAULT_MAX_MULTIBULK_LENGTH),
                s.getLong(MAX_BULK, RespCommandDecoder.DEFAULT_MAX_BULK_LENGTH));
    }
}
