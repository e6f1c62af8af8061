package io.sluice.protocol.kafka.codec;

/**
 * Thrown when bytes received do not form a valid message (a negative length where none is allowed, a length beyond
 * the frame) or when a message cannot be encoded (null in a non-nullable field). A connection that sent malformed
 * bytes is closed: after a framing error nothing that follows can be trusted.
 */
public class KafkaProtocolException extends RuntimeException {

    public KafkaProtocolException(String message) {
        super(message);
    }
}
