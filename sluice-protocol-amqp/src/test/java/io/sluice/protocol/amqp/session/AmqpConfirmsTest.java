package io.sluice.protocol.amqp.session;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class AmqpConfirmsTest {

    /** The frames a client would receive, as text: "ack 5 multi", "ack 6", "nack 7". */
    private static final class Frames implements AmqpConfirms.Sink {
        final List<String> sent = new ArrayList<>();

        @Override
        public void ack(long seq, boolean multiple) {
            sent.add("ack " + seq + (multiple ? " multi" : ""));
        }

        @Override
        public void nack(long seq) {
            sent.add("nack " + seq);
        }
    }

    @Test
    void aRunOfAcksIsOneMultipleAck() {
        AmqpConfirms c = new AmqpConfirms();
        Frames f = new Frames();
        for (long s = 1; s <= 5; s++) {
            c.record(s, true);
        }
        c.drain(f);
        c.record(6, true);
        c.drain(f);
        assertThat(f.sent).containsExactly("ack 5 multi", "ack 6");
        assertThat(c.hasRecorded()).isFalse();
    }

    @Test
    void outcomesWaitBehindAnEarlierPublishStillInFlight() {
        AmqpConfirms c = new AmqpConfirms();
        Frames f = new Frames();
        c.record(2, true);
        c.record(3, true);
        c.drain(f);
        assertThat(f.sent).isEmpty();
        assertThat(c.hasRecorded()).isTrue();
        c.record(1, true);
        c.drain(f);
        assertThat(f.sent).containsExactly("ack 3 multi");
    }

    @Test
    void aMultipleAckNeverCoversANack() {
        AmqpConfirms c = new AmqpConfirms();
        Frames f = new Frames();
        c.record(1, true);
        c.record(2, true);
        c.record(3, false);
        c.record(4, true);
        c.record(5, false);
        c.record(6, false);
        c.drain(f);
        assertThat(f.sent).containsExactly("ack 2 multi", "nack 3", "ack 4", "nack 5", "nack 6");
    }

    @Test
    void growsWhenPublishesCompleteFarAheadOfTheOldest() {
        AmqpConfirms c = new AmqpConfirms();
        Frames f = new Frames();
        for (long s = 2; s <= 5000; s++) {
            c.record(s, s != 4000);
        }
        c.drain(f);
        assertThat(f.sent).isEmpty();
        c.record(1, true);
        c.drain(f);
        assertThat(f.sent).containsExactly("ack 3999 multi", "nack 4000", "ack 5000 multi");
    }

    /**
     * Whatever the completion order and the drain points, the client learns every outcome exactly once and in
     * order: replaying the frames as a client does (a multiple ack settles everything up to its number) gives back
     * each publish's outcome.
     */
    @Property(tries = 200)
    void everyOutcomeReachesTheClientOnceInOrder(@ForAll @IntRange(min = 1, max = 3000) int n,
                                                 @ForAll long seed) {
        Random r = new Random(seed);
        List<Long> order = new ArrayList<>();
        boolean[] ack = new boolean[n + 1];
        for (long s = 1; s <= n; s++) {
            order.add(s);
            ack[(int) s] = r.nextInt(10) != 0;
        }
        // mostly in order, with local reordering, as concurrent appends complete
        for (int i = 0; i + 1 < order.size(); i++) {
            if (r.nextInt(4) == 0) {
                Collections.swap(order, i, Math.min(order.size() - 1, i + 1 + r.nextInt(50)));
            }
        }
        AmqpConfirms c = new AmqpConfirms();
        TreeMap<Long, Boolean> client = new TreeMap<>();
        long[] lastSettled = {0};
        AmqpConfirms.Sink sink = new AmqpConfirms.Sink() {
            @Override
            public void ack(long seq, boolean multiple) {
                assertThat(seq).isGreaterThan(lastSettled[0]);
                long from = multiple ? lastSettled[0] + 1 : seq;
                assertThat(from).isEqualTo(lastSettled[0] + 1);
                for (long s = from; s <= seq; s++) {
                    assertThat(client.put(s, true)).isNull();
                }
                lastSettled[0] = seq;
            }

            @Override
            public void nack(long seq) {
                assertThat(seq).isEqualTo(lastSettled[0] + 1);
                assertThat(client.put(seq, false)).isNull();
                lastSettled[0] = seq;
            }
        };
        for (long s : order) {
            c.record(s, ack[(int) s]);
            if (r.nextInt(20) == 0) {
                c.drain(sink);
            }
        }
        c.drain(sink);
        assertThat(client).hasSize(n);
        client.forEach((s, outcome) -> assertThat(outcome).as("outcome of %d", s).isEqualTo(ack[(int) (long) s]));
    }
}
