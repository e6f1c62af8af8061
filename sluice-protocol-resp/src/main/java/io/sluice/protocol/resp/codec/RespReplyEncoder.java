package io.sluice.protocol.resp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes {@link RespReply} trees as RESP2 or RESP3 bytes, depending on {@link #version()}.
 *
 * <p>Byte format, every line ends with CRLF ({@code \r\n}):
 * <pre>
 *   type       RESP3                      RESP2 (lowered as redis-server does)
 *   simple     +text                      +text
 *   error      -CODE text                 -CODE text
 *   integer    :n                         :n
 *   bulk       $len CRLF bytes            same
 *   null       _                          $-1 (or *-1 for a null array)
 *   array      *n then n elements         same
 *   map        %n then n key,value pairs  *2n then keys and values
 *   set        ~n then n elements         *n
 *   double     ,text (inf, -inf, nan)     $len CRLF text
 *   boolean    #t / #f                    :1 / :0
 *   push       &gt;n then n elements         *n
 *   verbatim   =len CRLF fmt:text          $len CRLF text
 *   entry      *2, bulk id, *n bulks (nil: _)  same (nil: *-1)
 * </pre>
 * Simple strings and errors cannot carry CR or LF; any found are replaced by spaces, as redis-server's
 * {@code addReplyErrorLength} does, so a reply can never desynchronise the client.
 *
 * <p>One instance per channel: the version is switched by the session when {@code HELLO} changes it and is read
 * while encoding, both on the channel's event loop, so it needs no synchronisation. The session answers commands
 * strictly in order, so a switch affects exactly the replies after {@code HELLO}'s own.
 */
public final class RespReplyEncoder extends MessageToByteEncoder<RespReply> {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] ENTRY_HEADER = {'*', '2', '\r', '\n'};

    private RespVersion version = RespVersion.RESP2;

    public RespReplyEncoder() {
        super(RespReply.class);
    }

    public RespVersion version() {
        return version;
    }

    public void version(RespVersion version) {
        this.version = version;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, RespReply msg, ByteBuf out) {
        write(msg, version, out);
    }

    /**
     * A buffer of the reply's size: a reply of a few hundred stream entries is hundreds of KiB, which a default-sized
     * buffer reaches by doubling, copying what it holds each time.
     */
    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, RespReply msg, boolean preferDirect) {
        int size = (int) Math.min(Integer.MAX_VALUE - 8, sizeHint(msg));
        return preferDirect ? ctx.alloc().ioBuffer(size) : ctx.alloc().heapBuffer(size);
    }

    /**
     * About the encoded size of {@code reply}: exact for bulk strings and entries, 16 bytes for any other node. An
     * {@code instanceof} chain, not a pattern switch: the first-tier JIT calls a type switch's bootstrap-made
     * classifier without inlining it, and a large reply asks once per entry.
     */
    static long sizeHint(RespReply reply) {
        if (reply instanceof RespReply.StreamEntry e) {
            long n = 32 + e.id().length;
            List<byte[]> fv = e.fieldsAndValues();
            if (fv != null) {
                for (int i = 0; i < fv.size(); i++) {
                    n += 16 + fv.get(i).length;
                }
            }
            return n;
        }
        if (reply instanceof RespReply.Encoded w) {
            return w.wire().length;
        }
        if (reply instanceof RespReply.Bulk b) {
            return 16 + b.bytes().length;
        }
        if (reply instanceof RespReply.Array a) {
            return 16 + sizeHint(a.items());
        }
        if (reply instanceof RespReply.Map m) {
            return 16 + sizeHint(m.keysAndValues());
        }
        if (reply instanceof RespReply.Set st) {
            return 16 + sizeHint(st.items());
        }
        if (reply instanceof RespReply.Push p) {
            return 16 + sizeHint(p.items());
        }
        if (reply instanceof RespReply.Verbatim v) {
            return 24 + 3L * v.text().length();
        }
        if (reply instanceof RespReply.SimpleString st) {
            return 8 + 3L * st.text().length();
        }
        if (reply instanceof RespReply.Error e) {
            return 8 + 3L * e.text().length();
        }
        return 32;
    }

    /**
     * Whether {@link #sizeHint}{@code (reply)} is at most {@code limit}, answered without walking the rest of a large
     * reply once the limit is passed (a 500-entry XREADGROUP answer is known to be large after a few entries).
     */
    public static boolean sizeAtMost(RespReply reply, long limit) {
        return remaining(reply, limit) >= 0;
    }

    private static long remaining(RespReply reply, long budget) {
        List<RespReply> items = reply instanceof RespReply.Array a ? a.items()
                : reply instanceof RespReply.Map m ? m.keysAndValues()
                : reply instanceof RespReply.Set st ? st.items()
                : reply instanceof RespReply.Push p ? p.items()
                : null;
        if (items == null) {
            return budget - sizeHint(reply);
        }
        budget -= 16;
        for (int i = 0; i < items.size() && budget >= 0; i++) {
            budget = remaining(items.get(i), budget);
        }
        return budget;
    }

    private static long sizeHint(List<RespReply> items) {
        long n = 0;
        for (RespReply r : items) {
            n += sizeHint(r);
        }
        return n;
    }

    /** Appends the encoding of {@code reply} in {@code version} to {@code out}. */
    public static void write(RespReply reply, RespVersion version, ByteBuf out) {
        boolean resp3 = version == RespVersion.RESP3;
        // The nodes a large reply is made of first, without the type switch (see sizeHint).
        if (reply instanceof RespReply.Encoded w) {
            out.writeBytes(w.wire());
            return;
        }
        if (reply instanceof RespReply.StreamEntry e) {
            writeEntry(out, e, resp3);
            return;
        }
        if (reply instanceof RespReply.Bulk b) {
            bulk(out, '$', b.bytes());
            return;
        }
        if (reply instanceof RespReply.Array a) {
            aggregate(out, '*', a.items(), version);
            return;
        }
        switch (reply) { // exhaustive, so it names the three nodes above too; they never get here
            case RespReply.SimpleString s -> line(out, '+', sanitize(s.text()));
            case RespReply.Error e -> line(out, '-', sanitize(e.text()));
            case RespReply.Int i -> line(out, ':', Long.toString(i.value()));
            case RespReply.Bulk b -> bulk(out, '$', b.bytes());
            case RespReply.StreamEntry e -> writeEntry(out, e, resp3);
            case RespReply.Encoded w -> out.writeBytes(w.wire());
            case RespReply.Null n -> {
                if (resp3) {
                    line(out, '_', "");
                } else {
                    line(out, n.array() ? '*' : '$', "-1");
                }
            }
            case RespReply.Array a -> aggregate(out, '*', a.items(), version);
            case RespReply.Map m -> {
                if (resp3) {
                    line(out, '%', Integer.toString(m.keysAndValues().size() / 2));
                    for (RespReply r : m.keysAndValues()) {
                        write(r, version, out);
                    }
                } else {
                    aggregate(out, '*', m.keysAndValues(), version);
                }
            }
            case RespReply.Set s -> aggregate(out, resp3 ? '~' : '*', s.items(), version);
            case RespReply.Double d -> {
                String text = formatDouble(d.value());
                if (resp3) {
                    line(out, ',', text);
                } else {
                    bulk(out, '$', text.getBytes(StandardCharsets.US_ASCII));
                }
            }
            case RespReply.Bool b -> {
                if (resp3) {
                    line(out, '#', b.value() ? "t" : "f");
                } else {
                    line(out, ':', b.value() ? "1" : "0");
                }
            }
            case RespReply.Push p -> aggregate(out, resp3 ? '>' : '*', p.items(), version);
            case RespReply.Verbatim v -> {
                if (resp3) {
                    bulk(out, '=', (v.format() + ":" + v.text()).getBytes(StandardCharsets.UTF_8));
                } else {
                    bulk(out, '$', v.text().getBytes(StandardCharsets.UTF_8));
                }
            }
        }
    }

    private static void writeEntry(ByteBuf out, RespReply.StreamEntry e, boolean resp3) {
        out.writeBytes(ENTRY_HEADER);
        bulk(out, '$', e.id());
        List<byte[]> fv = e.fieldsAndValues();
        if (fv == null) {
            line(out, resp3 ? '_' : '*', resp3 ? "" : "-1");
            return;
        }
        out.writeByte('*');
        writeDigits(out, fv.size());
        out.writeBytes(CRLF);
        for (int i = 0; i < fv.size(); i++) {
            bulk(out, '$', fv.get(i));
        }
    }

    /**
     * {@code entry} in wire form when that form is the same in RESP2 and RESP3 (an entry with fields: arrays and bulk
     * strings only), else {@code entry} itself (a deleted entry's {@code nil} differs). Encoding into one array costs
     * less than the event loop's per-call checks on a buffer, and runs on whichever thread builds the reply.
     */
    public static RespReply preEncode(RespReply.StreamEntry entry) {
        List<byte[]> fv = entry.fieldsAndValues();
        if (fv == null) {
            return entry;
        }
        byte[] id = entry.id();
        int size = ENTRY_HEADER.length + bulkSize(id.length) + 1 + AsciiDigits.count(fv.size()) + 2;
        for (int i = 0; i < fv.size(); i++) {
            size += bulkSize(fv.get(i).length);
        }
        byte[] wire = new byte[size];
        System.arraycopy(ENTRY_HEADER, 0, wire, 0, ENTRY_HEADER.length);
        int at = putBulk(wire, ENTRY_HEADER.length, id);
        wire[at++] = '*';
        at = AsciiDigits.put(wire, at, fv.size());
        wire[at++] = '\r';
        wire[at++] = '\n';
        for (int i = 0; i < fv.size(); i++) {
            at = putBulk(wire, at, fv.get(i));
        }
        return new RespReply.Encoded(wire);
    }

    private static int bulkSize(int length) {
        return 1 + AsciiDigits.count(length) + 2 + length + 2;
    }

    private static int putBulk(byte[] wire, int at, byte[] bytes) {
        wire[at++] = '$';
        at = AsciiDigits.put(wire, at, bytes.length);
        wire[at++] = '\r';
        wire[at++] = '\n';
        System.arraycopy(bytes, 0, wire, at, bytes.length);
        at += bytes.length;
        wire[at++] = '\r';
        wire[at++] = '\n';
        return at;
    }

    private static void aggregate(ByteBuf out, char type, List<RespReply> items, RespVersion version) {
        line(out, type, Integer.toString(items.size()));
        for (RespReply r : items) {
            write(r, version, out);
        }
    }

    private static void line(ByteBuf out, char type, String text) {
        out.writeByte(type);
        ByteBufUtil.writeUtf8(out, text);
        out.writeBytes(CRLF);
    }

    private static void bulk(ByteBuf out, char type, byte[] bytes) {
        out.writeByte(type);
        writeDigits(out, bytes.length);
        out.writeBytes(CRLF);
        out.writeBytes(bytes);
        out.writeBytes(CRLF);
    }

    /** The decimal digits of a length or count ({@code n >= 0}), without making a String of them. */
    private static void writeDigits(ByteBuf out, int n) {
        if (n < 10) {
            out.writeByte('0' + n);
            return;
        }
        int digits = AsciiDigits.count(n);
        int at = out.writerIndex() + digits;
        out.ensureWritable(digits);
        for (int i = 1; i <= digits; i++) {
            out.setByte(at - i, '0' + n % 10);
            n /= 10;
        }
        out.writerIndex(at);
    }

    private static String sanitize(String text) {
        return text.indexOf('\r') < 0 && text.indexOf('\n') < 0 ? text : text.replace('\r', ' ').replace('\n', ' ');
    }

    /** The shortest text that reads back as the same double, without exponent for everyday magnitudes. */
    static String formatDouble(double v) {
        if (java.lang.Double.isNaN(v)) {
            return "nan";
        }
        if (java.lang.Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        double abs = Math.abs(v);
        if (v == 0 || (abs >= 1e-6 && abs < 1e17)) {
            String plain = new BigDecimal(java.lang.Double.toString(v)).stripTrailingZeros().toPlainString();
            return v == 0 && 1 / v < 0 ? "-0" : plain;
        }
        return java.lang.Double.toString(v).replace("E", "e");
    }
}
