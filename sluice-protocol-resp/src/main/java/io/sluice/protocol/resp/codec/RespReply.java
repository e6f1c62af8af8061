package io.sluice.protocol.resp.codec;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A reply the server sends, as a tree of RESP3 types. The session builds replies in RESP3 terms only;
 * {@link RespReplyEncoder} lowers them to RESP2 for connections that did not say {@code HELLO 3}, the same way
 * redis-server's {@code addReply*} functions do (map to flat array, set to array, double to bulk string, boolean to
 * integer, push to array, verbatim to bulk string, null to {@code $-1} or {@code *-1}).
 *
 * <p>Instances are immutable values; byte arrays handed in are not copied and must not be changed afterwards.
 */
public sealed interface RespReply {

    /** {@code +OK}: a short text without CR or LF. */
    record SimpleString(String text) implements RespReply {
    }

    /** {@code -ERR ...}: {@code text} starts with the error code ({@code ERR}, {@code WRONGTYPE}, {@code NOGROUP}...). */
    record Error(String text) implements RespReply {
    }

    /** {@code :42}. */
    record Int(long value) implements RespReply {
    }

    /** {@code $3\r\nfoo}: binary-safe. */
    record Bulk(byte[] bytes) implements RespReply {
        public static Bulk of(String text) {
            return new Bulk(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * RESP3 {@code _}; in RESP2 a null bulk string {@code $-1} or, when {@code array} is set, a null array {@code *-1}
     * (redis-server's {@code addReplyNull} vs {@code addReplyNullArray}; clients tell them apart in RESP2).
     */
    record Null(boolean array) implements RespReply {
    }

    /** {@code *n}. */
    record Array(List<RespReply> items) implements RespReply {
        public Array {
            items = List.copyOf(items);
        }
    }

    /** RESP3 {@code %n}, as alternating keys and values; RESP2 gets the flat array {@code *2n}. */
    record Map(List<RespReply> keysAndValues) implements RespReply {
        public Map {
            if (keysAndValues.size() % 2 != 0) {
                throw new IllegalArgumentException("a map needs as many values as keys");
            }
            keysAndValues = List.copyOf(keysAndValues);
        }
    }

    /** RESP3 {@code ~n}; RESP2 gets an array. */
    record Set(List<RespReply> items) implements RespReply {
        public Set {
            items = List.copyOf(items);
        }
    }

    /** RESP3 {@code ,1.5} (also {@code inf}, {@code -inf}, {@code nan}); RESP2 gets the same text as a bulk string. */
    record Double(double value) implements RespReply {
    }

    /** RESP3 {@code #t}/{@code #f}; RESP2 gets {@code :1}/{@code :0}. */
    record Bool(boolean value) implements RespReply {
    }

    /** RESP3 out-of-band {@code >n} (pub/sub messages); RESP2 gets an array, as subscribe mode always had. */
    record Push(List<RespReply> items) implements RespReply {
        public Push {
            items = List.copyOf(items);
        }
    }

    /** RESP3 {@code =len\r\ntxt:...} with a three-letter format; RESP2 gets the text alone as a bulk string. */
    record Verbatim(String format, String text) implements RespReply {
        public Verbatim {
            if (format.length() != 3) {
                throw new IllegalArgumentException("verbatim format is three characters");
            }
        }
    }

    /**
     * One stream entry, {@code [id, [f1, v1, f2, v2 ...]]} (or {@code [id, nil]} when {@code fieldsAndValues} is null,
     * an entry deleted while pending), as XRANGE, XREAD and XREADGROUP return it: the same bytes as the nested
     * {@link Array} of {@link Bulk}s in both protocol versions. A reply carries up to thousands of them, so each is one
     * node instead of a subtree of one per field.
     */
    record StreamEntry(byte[] id, List<byte[]> fieldsAndValues) implements RespReply {
    }

    /**
     * A node already in wire form, the same bytes in RESP2 and RESP3: what {@link RespReplyEncoder#preEncode} makes of a
     * {@link StreamEntry}, so the thread that reads entries from the log encodes them and the connection's event loop
     * copies one array per entry.
     */
    record Encoded(byte[] wire) implements RespReply {
    }

    RespReply OK = new SimpleString("OK");
    RespReply NULL = new Null(false);
    RespReply NULL_ARRAY = new Null(true);

    static RespReply error(String text) {
        return new Error(text);
    }

    static RespReply integer(long value) {
        return new Int(value);
    }

    static RespReply bulk(String text) {
        return Bulk.of(text);
    }

    static RespReply bulk(byte[] bytes) {
        return new Bulk(bytes);
    }

    static RespReply array(List<? extends RespReply> items) {
        return new Array(List.copyOf(items));
    }

    static RespReply array(RespReply... items) {
        return new Array(List.of(items));
    }
}
