package io.sluice.core.queue.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * A set of log offsets kept as disjoint half-open ranges {@code [start, end)}: the acknowledged (or dropped) offsets of
 * a queue above its deletion floor. Acks arrive mostly in order, so the set stays a handful of ranges even when one
 * old message stays unacked while millions after it are acked.
 *
 * <p>Not thread-safe: owned by one delivery group's executor.
 */
final class OffsetRanges {
    private final TreeMap<Long, Long> ranges = new TreeMap<>();

    void add(long offset) {
        add(offset, offset + 1);
    }

    /** Adds {@code [start, end)}, merging with neighbours. */
    void add(long start, long end) {
        if (end <= start) {
            return;
        }
        Map.Entry<Long, Long> before = ranges.floorEntry(start);
        if (before != null && before.getValue() >= start) {
            if (before.getValue() >= end) {
                return;
            }
            start = before.getKey();
            ranges.remove(before.getKey());
        }
        while (true) {
            Map.Entry<Long, Long> next = ranges.ceilingEntry(start);
            if (next == null || next.getKey() > end) {
                break;
            }
            end = Math.max(end, next.getValue());
            ranges.remove(next.getKey());
        }
        ranges.put(start, end);
    }

    boolean contains(long offset) {
        Map.Entry<Long, Long> e = ranges.floorEntry(offset);
        return e != null && e.getValue() > offset;
    }

    /** Forgets every offset below {@code floor}. */
    void removeBelow(long floor) {
        while (!ranges.isEmpty()) {
            Map.Entry<Long, Long> first = ranges.firstEntry();
            if (first.getKey() >= floor) {
                return;
            }
            ranges.remove(first.getKey());
            if (first.getValue() > floor) {
                ranges.put(floor, first.getValue());
                return;
            }
        }
    }

    int rangeCount() {
        return ranges.size();
    }

    void forEach(BiConsumer<Long, Long> startEnd) {
        ranges.forEach(startEnd);
    }

    void clear() {
        ranges.clear();
    }
}
