package io.sluice.protocol.amqp.codec;

/**
 * An AMQP error that must be reported to the peer with {@code connection.close} (hard errors) or
 * {@code channel.close} (soft errors), carrying the reply code and the class and method ids of the offending method
 * (0 when the error is not about a method).
 *
 * <p>The codec throws it only internally and turns it into an {@link AmqpFrame.Malformed} message, so no exception
 * escapes the decoder; the session may throw it from its handlers for the same reporting path.
 */
public final class AmqpProtocolException extends RuntimeException {

    private final AmqpReplyCode replyCode;
    private final int classId;
    private final int methodId;

    public AmqpProtocolException(AmqpReplyCode replyCode, String text, int classId, int methodId) {
        super(text, null, false, false);
        this.replyCode = replyCode;
        this.classId = classId;
        this.methodId = methodId;
    }

    public AmqpProtocolException(AmqpReplyCode replyCode, String text) {
        this(replyCode, text, 0, 0);
    }

    public AmqpReplyCode replyCode() {
        return replyCode;
    }

    public int classId() {
        return classId;
    }

    public int methodId() {
        return methodId;
    }

    /** The reply text as RabbitMQ words it: the code's name, a dash, then the explanation. */
    public String replyText() {
        String text = replyCode.text() + " - " + getMessage();
        // reply-text is a short string: at most 255 UTF-8 bytes, cut on a character boundary
        while (text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255) {
            text = text.substring(0, text.offsetByCodePoints(0, text.codePointCount(0, text.length()) - 1));
        }
        return text;
    }
}
