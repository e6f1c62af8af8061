package io.sluice.core.route;

/** RabbitMQ's exchange types: how a routing key (or headers) selects bindings. */
public enum ExchangeType {
    /** Binding key equals routing key. */
    DIRECT,
    /** Every binding. */
    FANOUT,
    /** Dot-separated words; {@code *} matches one word, {@code #} zero or more. */
    TOPIC,
    /** Message headers against binding arguments, {@code x-match} all (default) or any (plus all-with-x / any-with-x). */
    HEADERS;

    public static ExchangeType parse(String name) {
        return switch (name) {
            case "direct" -> DIRECT;
            case "fanout" -> FANOUT;
            case "topic" -> TOPIC;
            case "headers" -> HEADERS;
            default -> throw new IllegalArgumentException("unknown exchange type '" + name + "'");
        };
    }

    public String amqpName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
