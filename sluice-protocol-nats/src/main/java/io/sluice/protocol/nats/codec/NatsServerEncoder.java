package io.sluice.protocol.nats.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

import java.nio.charset.StandardCharsets;

/**
 * Encodes {@link NatsServerOp}s into the server-to-client half of the NATS text protocol. Stateless and
 * {@linkplain ChannelHandler.Sharable sharable}.
 *
 * <p>Wire format (every line ends with {@code \r\n}; fields separated by one space):
 * <pre>
 *   INFO {json}
 *   MSG  subject sid [reply] size\r\n&lt;payload&gt;\r\n
 *   HMSG subject sid [reply] hdr_size total_size\r\n&lt;headers&gt;&lt;payload&gt;\r\n
 *   PING   PONG   +OK   -ERR 'text'
 * </pre>
 * {@code total_size} counts header and payload bytes together, as the client's parser expects.
 */
@ChannelHandler.Sharable
public final class NatsServerEncoder extends MessageToByteEncoder<NatsServerOp> {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] PING = "PING\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PONG = "PONG\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);

    public NatsServerEncoder() {
        super(NatsServerOp.class);
    }

    /** An upper bound of the bytes {@link #encode} writes for {@code m} (UTF-8 takes at most 3 bytes per char). */
    public static int maxEncodedSize(NatsServerOp.Msg m) {
        int reply = m.replyTo() == null ? 0 : m.replyTo().length();
        return m.bodySize() + 3 * (m.subject().length() + m.sid().length() + reply) + 40;
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, NatsServerOp msg, boolean preferDirect) {
        int size = msg instanceof NatsServerOp.Msg m ? maxEncodedSize(m) : 64;
        return preferDirect ? ctx.alloc().ioBuffer(size) : ctx.alloc().heapBuffer(size);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, NatsServerOp msg, ByteBuf out) {
        encode(msg, out);
    }

    /** Writes one operation; exposed for callers that batch frames into one buffer. */
    public static void encode(NatsServerOp msg, ByteBuf out) {
        switch (msg) {
            case NatsServerOp.Msg m -> {
                boolean withHeaders = m.headers() != null;
                out.writeBytes(withHeaders ? HMSG : MSG);
                out.writeCharSequence(m.subject(), StandardCharsets.UTF_8);
                out.writeByte(' ');
                out.writeCharSequence(m.sid(), StandardCharsets.UTF_8);
                out.writeByte(' ');
                if (m.replyTo() != null) {
                    out.writeCharSequence(m.replyTo(), StandardCharsets.UTF_8);
                    out.writeByte(' ');
                }
                if (withHeaders) {
                    writeDecimal(out, m.headers().length);
                    out.writeByte(' ');
                }
                writeDecimal(out, m.bodySize());
                out.writeBytes(CRLF);
                if (withHeaders) {
                    out.writeBytes(m.headers());
                }
                out.writeBytes(m.payload());
                out.writeBytes(CRLF);
            }
            case NatsServerOp.Info info -> {
                out.writeBytes(INFO);
                out.writeCharSequence(info.json(), StandardCharsets.UTF_8);
                out.writeBytes(CRLF);
            }
            case NatsServerOp.Ping p -> out.writeBytes(PING);
            case NatsServerOp.Pong p -> out.writeBytes(PONG);
            case NatsServerOp.Ok ok -> out.writeBytes(OK);
            case NatsServerOp.Err err -> {
                out.writeBytes(ERR);
                out.writeCharSequence(err.text(), StandardCharsets.UTF_8);
                out.writeByte('\'');
                out.writeBytes(CRLF);
            }
        }
    }

    private static final byte[] MSG = "MSG ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HMSG = "HMSG ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INFO = "INFO ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ERR = "-ERR '".getBytes(StandardCharsets.US_ASCII);

    /** Writes a non-negative size in ASCII digits without building a string (it runs twice per delivered message). */
    static void writeDecimal(ByteBuf out, int value) {
        if (value < 10) {
            out.writeByte('0' + value);
            return;
        }
        int digits = 1;
        for (int v = value / 10; v > 0; v /= 10) {
            digits++;
        }
        int end = out.writerIndex() + digits;
        out.ensureWritable(digits);
        for (int i = end - 1; i >= end - digits; i--) {
            out.setByte(i, '0' + value % 10);
            value /= 10;
        }
        out.writerIndex(end);
    }
}
