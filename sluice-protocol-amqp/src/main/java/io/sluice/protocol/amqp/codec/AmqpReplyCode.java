package io.sluice.protocol.amqp.codec;

/**
 * The reply codes of AMQP 0-9-1 that Sluice sends in {@code connection.close}, {@code channel.close} and
 * {@code basic.return}, with the text RabbitMQ uses as the prefix of its reply text.
 *
 * <p>Soft errors close only the channel (or, for 312/313, return the message); hard errors close the whole
 * connection. The split is the one in the 0-9-1 specification's constants table.
 */
public enum AmqpReplyCode {
    REPLY_SUCCESS(200, false),
    CONTENT_TOO_LARGE(311, false),
    NO_ROUTE(312, false),
    NO_CONSUMERS(313, false),
    CONNECTION_FORCED(320, true),
    INVALID_PATH(402, true),
    ACCESS_REFUSED(403, false),
    NOT_FOUND(404, false),
    RESOURCE_LOCKED(405, false),
    PRECONDITION_FAILED(406, false),
    FRAME_ERROR(501, true),
    SYNTAX_ERROR(502, true),
    COMMAND_INVALID(503, true),
    CHANNEL_ERROR(504, true),
    UNEXPECTED_FRAME(505, true),
    RESOURCE_ERROR(506, true),
    NOT_ALLOWED(530, true),
    NOT_IMPLEMENTED(540, true),
    INTERNAL_ERROR(541, true);

    private final int code;
    private final boolean hard;

    AmqpReplyCode(int code, boolean hard) {
        this.code = code;
        this.hard = hard;
    }

    /** The numeric code sent on the wire. */
    public int code() {
        return code;
    }

    /** True when the error closes the connection rather than only the channel. */
    public boolean isHard() {
        return hard;
    }

    /** The upper-case name RabbitMQ prefixes reply texts with, e.g. {@code NOT_FOUND}. */
    public String text() {
        return name();
    }

    /** The constant for a wire code, or null when the code is not one of the specification's. */
    public static AmqpReplyCode of(int code) {
        for (AmqpReplyCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return null;
    }
}
