package io.sluice.protocol.resp.session;

import io.sluice.protocol.resp.codec.RespCommand;
import io.sluice.protocol.resp.codec.RespReply;

import java.util.concurrent.CompletionStage;

/**
 * One Redis command's implementation. Called on the connection's event loop, one command at a time per connection.
 */
@FunctionalInterface
interface RespCommandHandler {

    /**
     * Executes {@code command}. Returns its reply; or a stage completing with the reply for commands that wait on
     * the broker (the connection runs no further command until it completes, keeping replies in order); or
     * {@code null} when the handler has already written its replies itself (SUBSCRIBE answers once per channel).
     */
    CompletionStage<RespReply> handle(RespSession session, RespCommand command);
}
