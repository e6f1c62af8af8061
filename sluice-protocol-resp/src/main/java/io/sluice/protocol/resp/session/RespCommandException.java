package io.sluice.protocol.resp.session;

import io.sluice.protocol.resp.codec.RespReply;

/**
 * Thrown by argument parsing and command code to answer with an error reply instead of continuing. Carries no stack
 * trace: it is control flow, not a fault.
 */
final class RespCommandException extends RuntimeException {

    RespCommandException(String errorText) {
        super(errorText, null, false, false);
    }

    RespReply.Error reply() {
        return new RespReply.Error(getMessage());
    }
}
