package io.sluice.protocol.amqp.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.sluice.protocol.amqp.codec.AmqpConnection;
import io.sluice.protocol.amqp.codec.AmqpFrame;
import io.sluice.protocol.amqp.codec.AmqpFrameDecoder;
import io.sluice.protocol.amqp.codec.AmqpFrameEncoder;
import io.sluice.protocol.amqp.codec.AmqpMethod;
import io.sluice.protocol.amqp.codec.AmqpTable;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A byte-level AMQP client for feeding the server what no well-behaved client would send. */
final class AmqpRawClient implements AutoCloseable {

    private final Socket socket;
    private final EmbeddedChannel decoder = new EmbeddedChannel(new AmqpFrameDecoder());

    AmqpRawClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(5000);
        ((AmqpFrameDecoder) decoder.pipeline().first()).frameMax(0);
        decoder.writeInbound(AmqpFrameDecoder.protocolHeader());
    }

    void write(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    void send(int channel, AmqpMethod method) throws IOException {
        ByteBuf b = Unpooled.buffer();
        AmqpFrameEncoder.writeFrame(b, new AmqpFrame.Method(channel, method));
        write(ByteBufUtil.getBytes(b));
    }

    /** Reads until one whole frame decoded; null at end of stream. */
    AmqpFrame read() throws IOException {
        InputStream in = socket.getInputStream();
        byte[] buf = new byte[4096];
        while (true) {
            AmqpFrame f = decoder.readInbound();
            if (f != null) {
                return f;
            }
            int n = in.read(buf);
            if (n < 0) {
                return null;
            }
            decoder.writeInbound(Unpooled.copiedBuffer(buf, 0, n));
        }
    }

    /** Reads raw bytes until end of stream or timeout. */
    byte[] readAll() throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        try {
            int n;
            while ((n = socket.getInputStream().read(buf)) >= 0) {
                out.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            // what arrived so far is the answer
        }
        return out.toByteArray();
    }

    /** True when the server closed the connection (end of stream). */
    boolean closedByServer() throws IOException {
        try {
            return socket.getInputStream().read() < 0;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    /** Protocol header, start-ok (guest), tune-ok, open "/": the handshake up to open-ok. */
    void handshake() throws IOException {
        write(new byte[]{'A', 'M', 'Q', 'P', 0, 0, 9, 1});
        expect(AmqpConnection.Start.class);
        send(0, new AmqpConnection.StartOk(AmqpTable.EMPTY, "PLAIN",
                "\0guest\0guest".getBytes(StandardCharsets.UTF_8), "en_US"));
        AmqpConnection.Tune tune = expect(AmqpConnection.Tune.class);
        send(0, new AmqpConnection.TuneOk(tune.channelMax(), tune.frameMax(), 0));
        send(0, new AmqpConnection.Open("/"));
        expect(AmqpConnection.OpenOk.class);
    }

    <T extends AmqpMethod> T expect(Class<T> type) throws IOException {
        AmqpFrame f = read();
        if (!(f instanceof AmqpFrame.Method m) || !type.isInstance(m.method())) {
            throw new AssertionError("expected " + type.getSimpleName() + ", got " + f);
        }
        return type.cast(m.method());
    }

    @Override
    public void close() throws IOException {
        socket.close();
        decoder.finishAndReleaseAll();
    }
}
