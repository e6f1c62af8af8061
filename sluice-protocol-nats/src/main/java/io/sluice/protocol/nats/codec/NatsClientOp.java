package io.sluice.protocol.nats.codec;

import java.util.Arrays;
import java.util.Objects;

/**
 * A client-to-server protocol operation, as produced by {@link NatsClientDecoder}. Immutable; payload arrays are owned
 * by the operation once decoded and must not be changed by the receiver.
 */
public sealed interface NatsClientOp {

    /** {@code CONNECT {json}}: the raw JSON text; {@link NatsConnectOptions#parse} reads it. */
    record Connect(String json) implements NatsClientOp {
    }

    /**
     * {@code PUB subject [reply] size} or {@code HPUB subject [reply] hdr_size total_size}.
     *
     * @param subject the subject published to
     * @param replyTo the reply subject, or {@code null}
     * @param headers the raw header block (starting with {@code NATS/1.0}) for HPUB, {@code null} for PUB
     * @param payload the message body, never {@code null}
     */
    record Pub(String subject, String replyTo, byte[] headers, byte[] payload) implements NatsClientOp {
        public Pub {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(payload, "payload");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Pub p && subject.equals(p.subject) && Objects.equals(replyTo, p.replyTo)
                    && Arrays.equals(headers, p.headers) && Arrays.equals(payload, p.payload);
        }

        @Override
        public int hashCode() {
            return Objects.hash(subject, replyTo, Arrays.hashCode(headers), Arrays.hashCode(payload));
        }

        @Override
        public String toString() {
            return "Pub[" + subject + ", reply=" + replyTo + ", headers=" + (headers == null ? "none" : headers.length + "B")
                    + ", payload=" + payload.length + "B]";
        }
    }

    /** {@code SUB subject [queue] sid}; {@code queue} is {@code null} for a plain subscription. */
    record Sub(String subject, String queue, String sid) implements NatsClientOp {
    }

    /** {@code UNSUB sid [max]}; {@code maxMsgs} is 0 when absent (remove now). */
    record Unsub(String sid, long maxMsgs) implements NatsClientOp {
    }

    /** {@code PING}. */
    record Ping() implements NatsClientOp {
        public static final Ping INSTANCE = new Ping();
    }

    /** {@code PONG}. */
    record Pong() implements NatsClientOp {
        public static final Pong INSTANCE = new Pong();
    }
}
