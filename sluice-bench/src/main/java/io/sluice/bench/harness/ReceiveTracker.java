package io.sluice.bench.harness;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Verifies what one subscriber received against what the publisher sent: every message exactly once, and in
 * publish order per destination when the protocol promises order.
 *
 * <p>Thread-safe: deliveries may arrive on a client library's thread while the workload thread polls
 * {@link #received()}; every method is synchronized (uncontended in practice, one delivering thread per tracker).
 * A tracker is told how many messages to expect and which sequence numbers belong to it only at verification time,
 * so it can count deliveries before the publisher has finished.
 */
public final class ReceiveTracker {
    private final String name;
    private final boolean ordered;
    private final BitSet seen = new BitSet();
    private long[] lastSeqPerDest = new long[16];
    private long deliveries;
    private long duplicates;
    private long outOfOrder;
    private long firstOutOfOrderSeq = -1;
    private long firstDeliveryNs;
    private long lastDeliveryNs;

    public ReceiveTracker(String name, boolean ordered) {
        this.name = name;
        this.ordered = ordered;
        java.util.Arrays.fill(lastSeqPerDest, -1);
    }

    /** Records one delivery; {@code nowNs} is the {@link System#nanoTime()} at which it was handed to us. */
    public synchronized void record(long seq, int dest, long nowNs) {
        if (deliveries == 0) {
            firstDeliveryNs = nowNs;
        }
        lastDeliveryNs = nowNs;
        deliveries++;
        if (seq < 0 || seq > Integer.MAX_VALUE) {
            duplicates++; // not a sequence we could have sent; counted as an anomaly, never as a receipt
            return;
        }
        int s = (int) seq;
        if (seen.get(s)) {
            duplicates++;
            return;
        }
        seen.set(s);
        if (dest >= lastSeqPerDest.length) {
            int old = lastSeqPerDest.length;
            lastSeqPerDest = java.util.Arrays.copyOf(lastSeqPerDest, Math.max(dest + 1, old * 2));
            java.util.Arrays.fill(lastSeqPerDest, old, lastSeqPerDest.length, -1);
        }
        if (seq < lastSeqPerDest[dest]) {
            outOfOrder++;
            if (firstOutOfOrderSeq < 0) {
                firstOutOfOrderSeq = seq;
            }
        } else {
            lastSeqPerDest[dest] = seq;
        }
    }

    /** Distinct messages received so far. */
    public synchronized long received() {
        return seen.cardinality();
    }

    public synchronized long deliveries() {
        return deliveries;
    }

    public synchronized long firstDeliveryNs() {
        return firstDeliveryNs;
    }

    public synchronized long lastDeliveryNs() {
        return lastDeliveryNs;
    }

    public String name() {
        return name;
    }

    /**
     * Compares against the {@code expected} messages with sequence numbers {@code 0..expected-1}; returns the list
     * of problems, empty when the run is sound. Order is only judged when the tracker was created as ordered.
     */
    public synchronized List<String> problems(long expected) {
        List<String> problems = new ArrayList<>();
        long distinctInRange = seen.get(0, (int) Math.min(expected, Integer.MAX_VALUE)).cardinality();
        long lost = expected - distinctInRange;
        if (lost > 0) {
            int firstMissing = seen.nextClearBit(0);
            problems.add(name + ": LOST " + lost + " of " + expected + " messages (first missing seq " + firstMissing + ")");
        }
        long unexpected = seen.cardinality() - distinctInRange;
        if (unexpected > 0) {
            problems.add(name + ": received " + unexpected + " messages that were never sent");
        }
        if (duplicates > 0) {
            problems.add(name + ": " + duplicates + " duplicate deliveries");
        }
        if (ordered && outOfOrder > 0) {
            problems.add(name + ": " + outOfOrder + " messages out of order (first at seq " + firstOutOfOrderSeq + ")");
        }
        return problems;
    }
}
