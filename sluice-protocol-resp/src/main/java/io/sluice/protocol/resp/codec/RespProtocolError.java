package io.sluice.protocol.resp.codec;

/**
 * Emitted by {@link RespCommandDecoder} in place of a command when the client broke the protocol. The session must
 * answer with {@link #reply()} and then close the connection once the reply is flushed, as redis-server does (it sets
 * {@code CLIENT_CLOSE_AFTER_REPLY}). The decoder emits at most one per connection and discards every byte after it,
 * so commands decoded before the error are still answered first, in order.
 *
 * @param message the redis-server text without the error code, e.g. {@code Protocol error: invalid bulk length}
 */
public record RespProtocolError(String message) {

    /** The error reply redis-server sends: code {@code ERR} followed by the message. */
    public RespReply.Error reply() {
        return new RespReply.Error("ERR " + message);
    }
}
