package io.sluice.core.queue;

/** What a full queue (x-max-length / x-max-length-bytes) does with a new message, as RabbitMQ's x-overflow. */
public enum Overflow {
    /** Drop (or dead-letter) the oldest ready message to make room. RabbitMQ's default. */
    DROP_HEAD,
    /** Refuse the new message (publisher confirm nack). */
    REJECT_PUBLISH,
    /** Refuse the new message and dead-letter it. */
    REJECT_PUBLISH_DLX;

    public static Overflow parse(String v) {
        return switch (v) {
            case "drop-head" -> DROP_HEAD;
            case "reject-publish" -> REJECT_PUBLISH;
            case "reject-publish-dlx" -> REJECT_PUBLISH_DLX;
            default -> throw new IllegalArgumentException("unknown x-overflow '" + v + "'");
        };
    }
}
