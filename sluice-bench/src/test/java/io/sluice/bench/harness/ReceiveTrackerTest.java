package io.sluice.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReceiveTrackerTest {

    private static ReceiveTracker receive(boolean ordered, long... seqs) {
        ReceiveTracker t = new ReceiveTracker("sub", ordered);
        for (long s : seqs) {
            t.record(s, 0, s);
        }
        return t;
    }

    @Test
    void completeInOrderRunHasNoProblems() {
        ReceiveTracker t = receive(true, 0, 1, 2, 3, 4);
        assertThat(t.problems(5)).isEmpty();
        assertThat(t.received()).isEqualTo(5);
    }

    @Test
    void lostMessageIsReportedWithFirstMissingSequence() {
        ReceiveTracker t = receive(true, 0, 1, 3, 4);
        assertThat(t.problems(5)).singleElement().asString().contains("LOST 1 of 5").contains("first missing seq 2");
    }

    @Test
    void missingTailIsReportedAsLost() {
        assertThat(receive(true, 0, 1, 2).problems(5)).singleElement().asString().contains("LOST 2 of 5");
    }

    @Test
    void reorderedMessageIsReportedWhenOrderIsPromised() {
        ReceiveTracker t = receive(true, 0, 2, 1, 3);
        assertThat(t.problems(4)).singleElement().asString().contains("1 messages out of order").contains("seq 1");
    }

    @Test
    void reorderIsToleratedWhenOrderIsNotPromised() {
        assertThat(receive(false, 0, 2, 1, 3).problems(4)).isEmpty();
    }

    @Test
    void duplicateIsReported() {
        ReceiveTracker t = receive(true, 0, 1, 1, 2);
        assertThat(t.problems(3)).singleElement().asString().contains("1 duplicate");
        assertThat(t.deliveries()).isEqualTo(4);
        assertThat(t.received()).isEqualTo(3);
    }

    @Test
    void messageThatWasNeverSentIsReported() {
        assertThat(receive(true, 0, 1, 7).problems(2)).singleElement().asString().contains("never sent");
    }

    @Test
    void orderIsJudgedPerDestination() {
        ReceiveTracker t = new ReceiveTracker("sub", true);
        // destinations 0 and 1 interleave differently from the publish order, each in order on its own
        t.record(1, 1, 0);
        t.record(3, 1, 1);
        t.record(0, 0, 2);
        t.record(2, 0, 3);
        assertThat(t.problems(4)).isEmpty();
        t.record(5, 1, 4);
        t.record(4, 0, 5);
        t.record(6, 1, 6);
        t.record(7, 1, 7);
        assertThat(t.problems(8)).isEmpty();
        t.record(9, 3, 8);
        t.record(8, 3, 9);
        assertThat(t.problems(10)).singleElement().asString().contains("out of order");
    }

    @Test
    void deliveryTimesSpanFirstToLast() {
        ReceiveTracker t = new ReceiveTracker("sub", true);
        t.record(0, 0, 100);
        t.record(1, 0, 250);
        assertThat(t.firstDeliveryNs()).isEqualTo(100);
        assertThat(t.lastDeliveryNs()).isEqualTo(250);
    }
}
