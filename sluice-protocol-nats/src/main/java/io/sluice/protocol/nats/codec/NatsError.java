package io.sluice.protocol.nats.codec;

/**
 * The catalogue of {@code -ERR} texts this adapter sends, worded exactly as nats-server words them so that clients
 * which match on the text (jnats raises {@code Slow Consumer} and {@code Authorization Violation} specially) behave as
 * they do against nats-server.
 *
 * <p>{@link #fatal()} says whether nats-server closes the connection after sending the error; the adapter does the same.
 */
public enum NatsError {
    UNKNOWN_PROTOCOL_OPERATION("Unknown Protocol Operation", true),
    PARSER_ERROR("Parser Error", true),
    MAX_CONTROL_LINE_EXCEEDED("Maximum Control Line Exceeded", true),
    MAX_PAYLOAD_VIOLATION("Maximum Payload Violation", true),
    AUTHORIZATION_VIOLATION("Authorization Violation", true),
    AUTHORIZATION_TIMEOUT("Authentication Timeout", true),
    INVALID_CLIENT_PROTOCOL("Invalid Client Protocol", true),
    STALE_CONNECTION("Stale Connection", true),
    SLOW_CONSUMER("Slow Consumer", true),
    /** Sent for a publish to a subject with wildcards or empty tokens; the connection stays open. */
    INVALID_PUBLISH_SUBJECT("Invalid Publish Subject", false),
    /** Sent for a subscription to a malformed subject; the connection stays open. */
    INVALID_SUBJECT("Invalid Subject", false),
    /** Headers were sent by a client that did not announce {@code headers: true} in CONNECT. */
    HEADERS_NOT_SUPPORTED("Message headers not supported", true);

    private final String text;
    private final boolean fatal;

    NatsError(String text, boolean fatal) {
        this.text = text;
        this.fatal = fatal;
    }

    /** The text between the single quotes of {@code -ERR '...'}. */
    public String text() {
        return text;
    }

    /** Whether the connection is closed after the error is sent. */
    public boolean fatal() {
        return fatal;
    }
}
