package io.sluice.protocol.nats.session;

/**
 * The reply subject a JetStream message is delivered with; the client acknowledges by publishing to it. Immutable.
 *
 * <p>Format (nats-server's v1 form, which jnats and every other client parse positionally):
 * <pre>
 *   $JS.ACK.&lt;stream&gt;.&lt;consumer&gt;.&lt;delivery count&gt;.&lt;stream seq&gt;.&lt;consumer seq&gt;.&lt;timestamp ns&gt;.&lt;pending&gt;
 * </pre>
 * Stream and consumer names cannot contain dots, so the subject splits unambiguously. The acknowledgement is the
 * message body: {@code +ACK} (or empty), {@code -NAK} optionally followed by {@code {"delay":ns}} or a Go duration,
 * {@code +TERM} optionally followed by a reason, {@code +WPI} (in progress: restart the ack timer), {@code +NXT}.
 *
 * @param deliveryCount how many times this message has been delivered to the consumer, starting at 1
 * @param timestampNanos when the message was stored, in nanoseconds since the epoch
 * @param pending       messages left for the consumer after this one
 */
public record NatsAckSubject(String stream, String consumer, long deliveryCount, long streamSeq, long consumerSeq,
                             long timestampNanos, long pending) {

    public static final String PREFIX = "$JS.ACK.";

    public String format() {
        return PREFIX + stream + '.' + consumer + '.' + deliveryCount + '.' + streamSeq + '.' + consumerSeq + '.'
                + timestampNanos + '.' + pending;
    }

    /** Parses an ack subject; returns {@code null} when it is not one. */
    public static NatsAckSubject parse(String subject) {
        if (!subject.startsWith(PREFIX)) {
            return null;
        }
        String[] p = subject.substring(PREFIX.length()).split("\\.", -1);
        if (p.length != 6 && p.length != 7) {
            return null;
        }
        try {
            return new NatsAckSubject(p[0], p[1], Long.parseLong(p[2]), Long.parseLong(p[3]), Long.parseLong(p[4]),
                    Long.parseLong(p[5]), p.length == 7 ? Long.parseLong(p[6]) : 0);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
