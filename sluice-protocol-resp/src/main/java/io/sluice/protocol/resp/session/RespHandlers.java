package io.sluice.protocol.resp.session;

import io.netty.channel.socket.SocketChannel;
import io.sluice.core.Broker;
import io.sluice.core.CallContext;
import io.sluice.protocol.resp.codec.RespCommandDecoder;
import io.sluice.protocol.resp.codec.RespReplyEncoder;
import io.sluice.transport.ProtocolHandlers;


/**
 * Builds each Redis connection's pipeline: {@link RespCommandDecoder} → {@link RespSession}, with
 * {@link RespReplyEncoder} on the way out. One instance per listener; the state it holds (stream store, command
 * table, client ids) is shared by all its connections and thread-safe.
 *
 * <p>Commands that read the log (XRANGE, XREAD, XINFO STREAM, index catch-up) run on the broker's
 * {@linkplain Broker#blockingExecutor() blocking executor}, never on an event loop; the handlers own no thread.
 */
public final class RespHandlers implements ProtocolHandlers {

    private final RespServerContext server;
    private final int maxMultibulkLength;
    private final long maxBulkLength;

    /**
     * @param password           password required from clients, or null
     * @param user               extra user name accepted with the password (besides {@code default}), or null
     * @param maxMultibulkLength largest request array
     * @param maxBulkLength      largest bulk string in a request
     */
    public RespHandlers(Broker broker, String user, String password, int maxMultibulkLength, long maxBulkLength) {
        this.server = RespServerContext.create(new RespStreamStore(broker, CallContext.DEFAULT), user, password,
                broker.clock(), broker.blockingExecutor());
        this.maxMultibulkLength = maxMultibulkLength;
        this.maxBulkLength = maxBulkLength;
    }

    @Override
    public void initChannel(SocketChannel channel) {
        RespReplyEncoder encoder = new RespReplyEncoder();
        channel.pipeline().addLast("resp-decoder", new RespCommandDecoder(maxMultibulkLength, maxBulkLength));
        channel.pipeline().addLast("resp-encoder", encoder);
        channel.pipeline().addLast("resp-session", new RespSession(server, encoder));
    }
}
