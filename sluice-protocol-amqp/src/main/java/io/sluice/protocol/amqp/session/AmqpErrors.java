package io.sluice.protocol.amqp.session;

import io.sluice.core.ErrorCode;
import io.sluice.core.SluiceException;
import io.sluice.protocol.amqp.codec.AmqpMethod;
import io.sluice.protocol.amqp.codec.AmqpProtocolException;
import io.sluice.protocol.amqp.codec.AmqpReplyCode;

/**
 * The one table that maps the core's {@link ErrorCode}s to AMQP reply codes, as RabbitMQ reports the same conditions.
 */
final class AmqpErrors {

    private AmqpErrors() {
    }

    static AmqpReplyCode replyCode(ErrorCode code) {
        return switch (code) {
            case QUEUE_NOT_FOUND, EXCHANGE_NOT_FOUND, STREAM_NOT_FOUND, PARTITION_NOT_FOUND, GROUP_NOT_FOUND ->
                    AmqpReplyCode.NOT_FOUND;
            case QUEUE_EXISTS_DIFFERENT, EXCHANGE_EXISTS_DIFFERENT, PRECONDITION_FAILED, INVALID_ARGUMENT,
                 QUEUE_FULL, MESSAGE_TOO_LARGE, UNKNOWN_DELIVERY, GROUP_NOT_EMPTY, OFFSET_OUT_OF_RANGE ->
                    AmqpReplyCode.PRECONDITION_FAILED;
            case RESOURCE_LOCKED -> AmqpReplyCode.RESOURCE_LOCKED;
            case NOT_AUTHORIZED -> AmqpReplyCode.ACCESS_REFUSED;
            case SHUTTING_DOWN -> AmqpReplyCode.CONNECTION_FORCED;
            default -> AmqpReplyCode.INTERNAL_ERROR;
        };
    }

    /** The AMQP error a failed core call is reported as, for the method that made it. */
    static AmqpProtocolException from(Throwable t, AmqpMethod method) {
        if (t instanceof AmqpProtocolException e) {
            return e;
        }
        if (t instanceof java.util.concurrent.CompletionException && t.getCause() instanceof AmqpProtocolException e) {
            return e;
        }
        SluiceException s = SluiceException.from(t);
        return new AmqpProtocolException(replyCode(s.code()), s.getMessage(), method.classId(), method.methodId());
    }

    static AmqpProtocolException error(AmqpReplyCode code, String text, AmqpMethod method) {
        return new AmqpProtocolException(code, text, method == null ? 0 : method.classId(),
                method == null ? 0 : method.methodId());
    }
}
