package io.sluice.protocol.amqp.session;

/**
 * One channel's publisher confirms not sent yet: each publish's outcome (ack or nack) is recorded when its core
 * append completed, possibly out of order, and {@link #drain} sends the outcomes in sequence-number order once
 * every earlier publish settled. A run of consecutive acks leaves as one {@code basic.ack multiple=true}, as
 * RabbitMQ confirms a burst, so a confirm window costs the server and the client one frame per burst instead of one
 * per message; a nack is always its own frame, after the acks before it, so a multiple ack never covers a nacked
 * publish.
 *
 * <p>Outcomes wait in a ring indexed by sequence number (power-of-two capacity, grown when a publish completes
 * further than its capacity ahead of the oldest unsent one): no allocation per publish. Confined to the
 * connection's event loop.
 */
final class AmqpConfirms {

    /** Receives the confirms to send, in order. */
    interface Sink {
        void ack(long seq, boolean multiple);

        void nack(long seq);
    }

    private static final byte PENDING = 0;
    private static final byte ACK = 1;
    private static final byte NACK = 2;

    /** Every publish up to this sequence number was confirmed to the client. */
    private long sentUpTo;
    private byte[] outcomes = new byte[1024];
    private int recorded;

    /** Records the outcome of publish {@code seq} (1-based, each recorded once). */
    void record(long seq, boolean ack) {
        if (seq <= sentUpTo) {
            throw new IllegalStateException("confirm " + seq + " recorded twice");
        }
        if (seq - sentUpTo > outcomes.length) {
            grow(seq - sentUpTo);
        }
        outcomes[index(seq)] = ack ? ACK : NACK;
        recorded++;
    }

    /** True when some outcome waits to be sent (perhaps behind a publish still in flight). */
    boolean hasRecorded() {
        return recorded > 0;
    }

    /** Sends every outcome whose earlier publishes all settled; outcomes behind a gap stay. */
    void drain(Sink sink) {
        long ackRunFrom = 0;
        long seq = sentUpTo + 1;
        while (recorded > 0) {
            int i = index(seq);
            byte o = outcomes[i];
            if (o == PENDING) {
                break;
            }
            outcomes[i] = PENDING;
            recorded--;
            if (o == ACK) {
                if (ackRunFrom == 0) {
                    ackRunFrom = seq;
                }
            } else {
                if (ackRunFrom != 0) {
                    sink.ack(seq - 1, seq - 1 > ackRunFrom);
                    ackRunFrom = 0;
                }
                sink.nack(seq);
            }
            sentUpTo = seq;
            seq++;
        }
        if (ackRunFrom != 0) {
            sink.ack(sentUpTo, sentUpTo > ackRunFrom);
        }
    }

    private int index(long seq) {
        return (int) (seq & (outcomes.length - 1));
    }

    private void grow(long span) {
        int cap = outcomes.length;
        while (cap < span) {
            if (cap >= 1 << 30) {
                throw new IllegalStateException("more than " + cap + " unconfirmed publishes");
            }
            cap <<= 1;
        }
        byte[] bigger = new byte[cap];
        for (long s = sentUpTo + 1; s <= sentUpTo + outcomes.length; s++) {
            bigger[(int) (s & (cap - 1))] = outcomes[index(s)];
        }
        outcomes = bigger;
    }
}
