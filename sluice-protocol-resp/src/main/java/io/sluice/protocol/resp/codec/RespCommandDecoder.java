package io.sluice.protocol.resp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the bytes a Redis client sends into {@link RespCommand}s, or into one final {@link RespProtocolError}.
 *
 * <p><b>Why not netty-codec-redis.</b> Netty's Redis codec decodes RESP2 <em>replies</em> into a stream of partial
 * messages meant to be aggregated, knows nothing of inline commands and has its own error texts. A server needs the
 * opposite side: client requests only (arrays of bulk strings, or inline lines), redis-server's limits and exact
 * error texts, and replies in RESP2 <em>and</em> RESP3. That is a small, self-contained state machine, so it is
 * written here rather than wrapped around a codec that fits neither direction.
 *
 * <p><b>Accepted input</b>, following redis-server's {@code processInputBuffer}:
 * <ul>
 *   <li>A request starting with {@code *} is a multibulk: {@code *<n>\r\n} then {@code n} times
 *       {@code $<len>\r\n<len bytes>\r\n}. {@code n <= 0} is an empty request and is skipped silently. The two bytes
 *       after a bulk payload are skipped without being checked, as redis-server does.</li>
 *   <li>Any other first byte starts an inline request: one line up to {@code \n} (an optional {@code \r} before it is
 *       dropped), split like {@code sdssplitargs}: blanks separate arguments; double quotes allow {@code \n \r \t \b
 *       \a \\ \" \xHH}; single quotes allow {@code \'}; a closing quote must be followed by a blank or the end. A NUL
 *       byte ends the line as it ends a C string. Empty lines are skipped.</li>
 * </ul>
 *
 * <p><b>Limits and errors</b> (texts are redis-server's, emitted as {@link RespProtocolError}):
 * <ul>
 *   <li>multibulk count not an integer or above {@code maxMultibulkLength} (default 1024*1024):
 *       {@code Protocol error: invalid multibulk length}</li>
 *   <li>bulk length not an integer, negative, or above {@code maxBulkLength} (default 512 MiB):
 *       {@code Protocol error: invalid bulk length}</li>
 *   <li>an array element not starting with {@code $}: {@code Protocol error: expected '$', got 'c'}</li>
 *   <li>more than 64 KiB without a line end: {@code Protocol error: too big inline request},
 *       {@code ... too big mbulk count string} or {@code ... too big bulk count string}</li>
 *   <li>unbalanced quotes in an inline request: {@code Protocol error: unbalanced quotes in request}</li>
 * </ul>
 * Integers are parsed as strictly as redis-server's {@code string2ll}: no sign other than a leading {@code -}, no
 * leading zeros, no blanks. After an error the decoder discards all further input; the session answers and closes.
 *
 * <p>One instance per channel (stateful); runs on the channel's event loop only.
 */
public final class RespCommandDecoder extends ByteToMessageDecoder {

    /** redis-server's {@code PROTO_INLINE_MAX_SIZE}: longest line accepted without a line end. */
    public static final int MAX_INLINE_LENGTH = 64 * 1024;
    /** Default largest element count of a request array. */
    public static final int DEFAULT_MAX_MULTIBULK_LENGTH = 1024 * 1024;
    /** Default largest bulk string, redis-server's {@code proto-max-bulk-len}. */
    public static final long DEFAULT_MAX_BULK_LENGTH = 512L * 1024 * 1024;

    private final int maxMultibulkLength;
    private final long maxBulkLength;

    /** Elements still expected in the current multibulk; 0 when between requests. */
    private int multibulkRemaining;
    /** Length of the bulk being read, or -1 while its {@code $<len>} header is still to come. */
    private int bulkLength = -1;
    private List<byte[]> args;
    private boolean failed;
    /** Where {@link #number} copies a count or length before reading it. */
    private final byte[] digits = new byte[20];

    public RespCommandDecoder() {
        this(DEFAULT_MAX_MULTIBULK_LENGTH, DEFAULT_MAX_BULK_LENGTH);
    }

    public RespCommandDecoder(int maxMultibulkLength, long maxBulkLength) {
        if (maxMultibulkLength < 1 || maxBulkLength < 0 || maxBulkLength > Integer.MAX_VALUE - 2) {
            throw new IllegalArgumentException("limits out of range");
        }
        this.maxMultibulkLength = maxMultibulkLength;
        this.maxBulkLength = maxBulkLength;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            if (failed) {
                in.skipBytes(in.readableBytes());
                return;
            }
            boolean progressed;
            if (multibulkRemaining == 0) {
                progressed = in.getByte(in.readerIndex()) == '*' ? readMultibulkHeader(in, out) : readInline(in, out);
            } else {
                progressed = readBulk(in, out);
            }
            if (!progressed) {
                return;
            }
        }
    }

    private boolean readMultibulkHeader(ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int cr = in.indexOf(start, in.writerIndex(), (byte) '\r');
        if (cr < 0) {
            return tooBig(in, "Protocol error: too big mbulk count string", out);
        }
        if (cr + 1 >= in.writerIndex()) {
            return false; // the \n is still to come
        }
        long n = number(in, start + 1, cr);
        if (n == Long.MIN_VALUE || n > maxMultibulkLength) {
            return fail(in, "Protocol error: invalid multibulk length", out);
        }
        in.readerIndex(cr + 2);
        if (n > 0) {
            multibulkRemaining = (int) n;
            // Grow on demand: a client announcing a million elements must not get a million slots for free.
            args = new ArrayList<>((int) Math.min(n, 1024));
        }
        return true;
    }

    private boolean readBulk(ByteBuf in, List<Object> out) {
        if (bulkLength < 0) {
            int start = in.readerIndex();
            int cr = in.indexOf(start, in.writerIndex(), (byte) '\r');
            if (cr < 0) {
                return tooBig(in, "Protocol error: too big bulk count string", out);
            }
            if (cr + 1 >= in.writerIndex()) {
                return false;
            }
            byte first = in.getByte(start);
            if (first != '$') {
                return fail(in, "Protocol error: expected '$', got '" + printable(first) + "'", out);
            }
            long len = number(in, start + 1, cr);
            if (len == Long.MIN_VALUE || len < 0 || len > maxBulkLength) {
                return fail(in, "Protocol error: invalid bulk length", out);
            }
            in.readerIndex(cr + 2);
            bulkLength = (int) len;
        }
        if (in.readableBytes() < bulkLength + 2) {
            return false;
        }
        byte[] arg = new byte[bulkLength];
        in.readBytes(arg);
        in.skipBytes(2);
        bulkLength = -1;
        args.add(arg);
        if (--multibulkRemaining == 0) {
            out.add(new RespCommand(args));
            args = null;
        }
        return true;
    }

    private boolean readInline(ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int lf = in.indexOf(start, in.writerIndex(), (byte) '\n');
        if (lf < 0) {
            return tooBig(in, "Protocol error: too big inline request", out);
        }
        int end = lf;
        if (end > start && in.getByte(end - 1) == '\r') {
            end--;
        }
        byte[] line = new byte[end - start];
        in.getBytes(start, line);
        in.readerIndex(lf + 1);
        List<byte[]> argv = RespInlineSplitter.split(line);
        if (argv == null) {
            return fail(in, "Protocol error: unbalanced quotes in request", out);
        }
        if (!argv.isEmpty()) {
            out.add(new RespCommand(argv));
        }
        return true;
    }

    private boolean tooBig(ByteBuf in, String message, List<Object> out) {
        if (in.readableBytes() > MAX_INLINE_LENGTH) {
            return fail(in, message, out);
        }
        return false;
    }

    private boolean fail(ByteBuf in, String message, List<Object> out) {
        failed = true;
        in.skipBytes(in.readableBytes());
        args = null;
        out.add(new RespProtocolError(message));
        return true;
    }

    /** Same characters redis-server's error formatting would let through: no line breaks in an error line. */
    private static char printable(byte b) {
        return b == '\r' || b == '\n' ? ' ' : (char) (b & 0xff);
    }

    /** A count or length at {@code [from, to)}, parsed with {@link #parseLong} through this decoder's array. */
    private long number(ByteBuf buf, int from, int to) {
        return parseLong(buf, from, to, digits);
    }

    /**
     * Parses {@code [from, to)} as a signed decimal with redis-server's {@code string2ll} rules; returns
     * {@link Long#MIN_VALUE} when the text is not such an integer (never a valid length anyway). The text is copied
     * into {@code scratch} (at least 20 bytes) with one call: the buffer checks its bounds and reference count on
     * every access, which cost more than the parsing when it was read a byte at a time.
     */
    static long parseLong(ByteBuf buf, int from, int to, byte[] scratch) {
        int len = to - from;
        if (len <= 0 || len > 20) {
            return Long.MIN_VALUE;
        }
        buf.getBytes(from, scratch, 0, len);
        if (len == 1 && scratch[0] == '0') {
            return 0;
        }
        int i = 0;
        boolean negative = false;
        if (scratch[0] == '-') {
            negative = true;
            i++;
            if (i == len) {
                return Long.MIN_VALUE;
            }
        }
        byte d = scratch[i];
        if (d < '1' || d > '9') {
            return Long.MIN_VALUE;
        }
        long v = 0;
        // Up to 18 digits cannot overflow, so the usual lengths skip the check (a long division, which first-tier
        // compiled code makes a runtime call).
        boolean mayOverflow = len - i > 18;
        for (; i < len; i++) {
            d = scratch[i];
            if (d < '0' || d > '9') {
                return Long.MIN_VALUE;
            }
            if (mayOverflow && v > (Long.MAX_VALUE - (d - '0')) / 10) {
                return Long.MIN_VALUE;
            }
            v = v * 10 + (d - '0');
        }
        return negative ? -v : v;
    }
}
