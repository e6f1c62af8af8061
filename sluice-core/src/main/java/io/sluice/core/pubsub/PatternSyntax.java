package io.sluice.core.pubsub;

/** How a subscription pattern matches subjects. */
public enum PatternSyntax {
    /** NATS: dot-separated tokens, {@code *} one token, {@code >} one or more trailing tokens. */
    NATS,
    /** Redis PSUBSCRIBE glob: {@code *}, {@code ?}, {@code [...]}, backslash escapes. */
    GLOB,
    /** Exact subject only (Redis SUBSCRIBE). */
    EXACT
}
