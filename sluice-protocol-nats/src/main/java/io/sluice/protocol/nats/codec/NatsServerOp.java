package io.sluice.protocol.nats.codec;

import java.util.Arrays;
import java.util.Objects;

/** A server-to-client protocol operation, written by {@link NatsServerEncoder}. Immutable. */
public sealed interface NatsServerOp {

    /** {@code INFO {json}}. */
    record Info(String json) implements NatsServerOp {
    }

    /**
     * {@code MSG subject sid [reply] size} when {@code headers} is {@code null}, otherwise
     * {@code HMSG subject sid [reply] hdr_size total_size}.
     */
    record Msg(String subject, String sid, String replyTo, byte[] headers, byte[] payload) implements NatsServerOp {
        public Msg {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(sid, "sid");
            Objects.requireNonNull(payload, "payload");
        }

        /** Bytes this message occupies on the wire, excluding the control line; used for slow-consumer accounting. */
        public int bodySize() {
            return payload.length + (headers == null ? 0 : headers.length);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Msg m && subject.equals(m.subject) && sid.equals(m.sid) && Objects.equals(replyTo, m.replyTo)
                    && Arrays.equals(headers, m.headers) && Arrays.equals(payload, m.payload);
        }

        @Override
        public int hashCode() {
            return Objects.hash(subject, sid, replyTo, Arrays.hashCode(headers), Arrays.hashCode(payload));
        }

        @Override
        public String toString() {
            return "Msg[" + subject + ", sid=" + sid + ", reply=" + replyTo + ", payload=" + payload.length + "B]";
        }
    }

    /** {@code PING}. */
    record Ping() implements NatsServerOp {
        public static final Ping INSTANCE = new Ping();
    }

    /** {@code PONG}. */
    record Pong() implements NatsServerOp {
        public static final Pong INSTANCE = new Pong();
    }

    /** {@code +OK}, sent after each operation when the client asked for {@code verbose}. */
    record Ok() implements NatsServerOp {
        public static final Ok INSTANCE = new Ok();
    }

    /** {@code -ERR 'text'}. */
    record Err(String text) implements NatsServerOp {
        public static Err of(NatsError error) {
            return new Err(error.text());
        }
    }
}
