package io.sluice.protocol.nats.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the client-to-server half of the NATS text protocol into {@link NatsClientOp}s. One instance per connection
 * (not sharable); runs on the channel's event loop.
 *
 * <p>Wire format: a control line {@code OP [args...]} terminated by {@code \n} (a preceding {@code \r} is dropped, as
 * nats-server does), fields separated by any run of spaces or tabs, op names case-insensitive. {@code PUB} and
 * {@code HPUB} are followed by exactly {@code size} body bytes and {@code \r\n}:
 * <pre>
 *   CONNECT {"verbose":false,...}\r\n
 *   PUB   subject [reply] size\r\n&lt;size bytes&gt;\r\n
 *   HPUB  subject [reply] hdr_size total_size\r\n&lt;hdr_size header bytes&gt;&lt;total-hdr payload bytes&gt;\r\n
 *   SUB   subject [queue] sid\r\n
 *   UNSUB sid [max]\r\n
 *   PING\r\n   PONG\r\n
 * </pre>
 *
 * <p>Protocol violations are answered here, because their handling is fixed by the protocol rather than by the session:
 * the decoder writes {@code -ERR '<text>'} (see {@link NatsError}), closes the channel after the write, and discards
 * all further input. Operations decoded before the violation are still passed on. Checks, like nats-server:
 * <ul>
 *   <li>an op name that cannot start a known op is rejected as soon as its first bytes arrive, without waiting for
 *       the line end ({@code Unknown Protocol Operation});</li>
 *   <li>a control line longer than {@code maxControlLine} bytes (excluding the line end) is rejected as soon as that
 *       many bytes are buffered without a line end ({@code Maximum Control Line Exceeded}). {@code CONNECT} lines,
 *       which carry JWTs and signatures, may be up to {@code max(maxControlLine, maxPayload)} long;</li>
 *   <li>a {@code PUB}/{@code HPUB} whose size exceeds {@code maxPayload} is rejected before its body is read
 *       ({@code Maximum Payload Violation});</li>
 *   <li>malformed arguments ({@code Parser Error}) and a body not followed by {@code \r\n}
 *       ({@code Unknown Protocol Operation}, as nats-server's parser reports it).</li>
 * </ul>
 */
public final class NatsClientDecoder extends ByteToMessageDecoder {

    /** nats-server's default {@code max_control_line}. */
    public static final int DEFAULT_MAX_CONTROL_LINE = 4096;
    /** nats-server's default {@code max_payload}: 1 MiB. */
    public static final int DEFAULT_MAX_PAYLOAD = 1024 * 1024;

    private static final String[] OPS = {"CONNECT", "PUB", "HPUB", "SUB", "UNSUB", "PING", "PONG"};
    private static final int LONGEST_OP = 7;

    private final int maxControlLine;
    private final int maxPayload;
    private final int maxConnectLine;

    // The PUB/HPUB whose body is awaited; bodySize < 0 while reading control lines.
    private String pendingSubject;
    private String pendingReply;
    private int pendingHeaderSize;
    private int bodySize = -1;
    private boolean failed;

    public NatsClientDecoder() {
        this(DEFAULT_MAX_CONTROL_LINE, DEFAULT_MAX_PAYLOAD);
    }

    public NatsClientDecoder(int maxControlLine, int maxPayload) {
        if (maxControlLine < LONGEST_OP || maxPayload < 0) {
            throw new IllegalArgumentException("maxControlLine " + maxControlLine + ", maxPayload " + maxPayload);
        }
        this.maxControlLine = maxControlLine;
        this.maxPayload = maxPayload;
        this.maxConnectLine = Math.max(maxControlLine, maxPayload);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            if (failed) {
                in.skipBytes(in.readableBytes());
                return;
            }
            if (bodySize >= 0) {
                if (!decodeBody(ctx, in, out)) {
                    return;
                }
                continue;
            }
            if (!decodeLine(ctx, in, out)) {
                return;
            }
        }
    }

    /** Reads the awaited PUB/HPUB body; returns false when more bytes are needed or the connection failed. */
    private boolean decodeBody(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < bodySize + 2) {
            return false;
        }
        int end = in.readerIndex() + bodySize;
        if (in.getByte(end) != '\r' || in.getByte(end + 1) != '\n') {
            fail(ctx, NatsError.UNKNOWN_PROTOCOL_OPERATION);
            return false;
        }
        byte[] headers = null;
        if (pendingHeaderSize >= 0) {
            headers = new byte[pendingHeaderSize];
            in.readBytes(headers);
        }
        byte[] payload = new byte[bodySize - Math.max(pendingHeaderSize, 0)];
        in.readBytes(payload);
        in.skipBytes(2);
        out.add(new NatsClientOp.Pub(pendingSubject, pendingReply, headers, payload));
        pendingSubject = null;
        pendingReply = null;
        bodySize = -1;
        return true;
    }

    /** Reads one control line; returns false when more bytes are needed or the connection failed. */
    private boolean decodeLine(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int readable = in.readableBytes();
        int opState = checkOpPrefix(in, start, readable);
        if (opState < 0) {
            fail(ctx, NatsError.UNKNOWN_PROTOCOL_OPERATION);
            return false;
        }
        int limit = opState == 1 ? maxConnectLine : maxControlLine;
        // A line of exactly `limit` bytes may still need its "\r\n".
        int lf = in.indexOf(start, start + Math.min(readable, limit + 2), (byte) '\n');
        if (lf < 0) {
            if (readable > limit + 1) {
                fail(ctx, NatsError.MAX_CONTROL_LINE_EXCEEDED);
            }
            return false;
        }
        int end = lf > start && in.getByte(lf - 1) == '\r' ? lf - 1 : lf;
        if (end - start > limit) {
            fail(ctx, NatsError.MAX_CONTROL_LINE_EXCEEDED);
            return false;
        }
        String line = in.toString(start, end - start, StandardCharsets.UTF_8);
        in.readerIndex(lf + 1);
        NatsError error = parseLine(line, out);
        if (error != null) {
            fail(ctx, error);
            return false;
        }
        return true;
    }

    /**
     * Looks at the op name buffered so far: -1 when it cannot start any known op, 1 when it is (or may become)
     * {@code CONNECT}, 0 otherwise.
     */
    private static int checkOpPrefix(ByteBuf in, int start, int readable) {
        int n = 0;
        boolean complete = false;
        while (n < readable && n <= LONGEST_OP) {
            byte b = in.getByte(start + n);
            if (b == ' ' || b == '\t' || b == '\r' || b == '\n') {
                complete = true;
                break;
            }
            n++;
        }
        if (n == 0 && complete) {
            return -1;
        }
        if (n > LONGEST_OP) {
            return -1;
        }
        for (String op : OPS) {
            if (complete ? op.length() == n : op.length() >= n) {
                boolean match = true;
                for (int i = 0; i < n && match; i++) {
                    match = Character.toUpperCase((char) (in.getByte(start + i) & 0xFF)) == op.charAt(i);
                }
                if (match) {
                    return op.equals("CONNECT") ? 1 : 0;
                }
            }
        }
        return -1;
    }

    /** Parses one complete control line; returns the violation, or null. */
    private NatsError parseLine(String line, List<Object> out) {
        List<String> args = split(line);
        if (args.isEmpty()) {
            return NatsError.UNKNOWN_PROTOCOL_OPERATION;
        }
        String op = args.get(0).toUpperCase(java.util.Locale.ROOT);
        int argc = args.size() - 1;
        switch (op) {
            case "PUB" -> {
                if (argc != 2 && argc != 3) {
                    return NatsError.PARSER_ERROR;
                }
                int size = parseSize(args.get(argc));
                if (size < 0) {
                    return NatsError.PARSER_ERROR;
                }
                if (size > maxPayload) {
                    return NatsError.MAX_PAYLOAD_VIOLATION;
                }
                pendingSubject = args.get(1);
                pendingReply = argc == 3 ? args.get(2) : null;
                pendingHeaderSize = -1;
                bodySize = size;
            }
            case "HPUB" -> {
                if (argc != 3 && argc != 4) {
                    return NatsError.PARSER_ERROR;
                }
                int headerSize = parseSize(args.get(argc - 1));
                int total = parseSize(args.get(argc));
                if (headerSize < 0 || total < 0 || headerSize > total) {
                    return NatsError.PARSER_ERROR;
                }
                if (total > maxPayload) {
                    return NatsError.MAX_PAYLOAD_VIOLATION;
                }
                pendingSubject = args.get(1);
                pendingReply = argc == 4 ? args.get(2) : null;
                pendingHeaderSize = headerSize;
                bodySize = total;
            }
            case "SUB" -> {
                if (argc != 2 && argc != 3) {
                    return NatsError.PARSER_ERROR;
                }
                out.add(new NatsClientOp.Sub(args.get(1), argc == 3 ? args.get(2) : null, args.get(argc)));
            }
            case "UNSUB" -> {
                if (argc != 1 && argc != 2) {
                    return NatsError.PARSER_ERROR;
                }
                long max = 0;
                if (argc == 2) {
                    max = parseSize(args.get(2));
                    if (max < 0) {
                        return NatsError.PARSER_ERROR;
                    }
                }
                out.add(new NatsClientOp.Unsub(args.get(1), max));
            }
            case "PING" -> out.add(NatsClientOp.Ping.INSTANCE);
            case "PONG" -> out.add(NatsClientOp.Pong.INSTANCE);
            case "CONNECT" -> {
                int brace = line.indexOf('{');
                if (brace < 0) {
                    return NatsError.PARSER_ERROR;
                }
                out.add(new NatsClientOp.Connect(line.substring(brace).strip()));
            }
            default -> {
                return NatsError.UNKNOWN_PROTOCOL_OPERATION;
            }
        }
        return null;
    }

    private static List<String> split(String line) {
        List<String> parts = new ArrayList<>(4);
        int i = 0;
        int n = line.length();
        while (i < n) {
            while (i < n && isBlank(line.charAt(i))) {
                i++;
            }
            int s = i;
            while (i < n && !isBlank(line.charAt(i))) {
                i++;
            }
            if (i > s) {
                parts.add(line.substring(s, i));
            }
        }
        return parts;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    /** Parses a non-negative decimal that fits an int; -1 when malformed. */
    private static int parseSize(String s) {
        if (s.isEmpty() || s.length() > 10) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v > Integer.MAX_VALUE ? -1 : (int) v;
    }

    private void fail(ChannelHandlerContext ctx, NatsError error) {
        failed = true;
        ctx.writeAndFlush(NatsServerOp.Err.of(error)).addListener(ChannelFutureListener.CLOSE);
    }
}
