package io.sluice.core.queue.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * The ready messages of a delivery group, in delivery order: messages returned for redelivery (nack, lease expiry,
 * consumer gone) first, oldest first; then never-delivered ("fresh") messages in offset order. With priorities, one
 * fresh list per priority level, highest first, and a returned message goes before fresh ones of a lower priority.
 * Returned messages with a not-before time (nack with delay) wait in a separate heap until due.
 *
 * <p>Fresh messages are only held here by queues, which index their whole log; a group on a stream reads fresh
 * messages from its cursor and keeps only returned ones here.
 *
 * <p>Memory: one {@link Slot} per ready message (about 90 bytes) — per priority level an {@code ArrayDeque}, so a
 * priority queue costs no more per message than a plain one; returned messages also keep their decoded message.
 *
 * <p>Not thread-safe: owned by one delivery group's executor.
 */
final class ReadySet {
    private final ArrayDeque<Slot>[] fresh;
    private final boolean priorities;
    private final TreeMap<Long, Slot> returned = new TreeMap<>();
    private final PriorityQueue<Slot> delayed = new PriorityQueue<>(Comparator.comparingLong(s -> s.notBefore));
    private long freshCount;
    private long bytes;

    @SuppressWarnings("unchecked")
    ReadySet(int maxPriority) {
        this.priorities = maxPriority > 0;
        int levels = priorities ? Math.min(maxPriority, 255) + 1 : 1;
        this.fresh = new ArrayDeque[levels];
        for (int i = 0; i < levels; i++) {
            fresh[i] = new ArrayDeque<>();
        }
    }

    /** The priority level a message's priority maps to (capped at the maximum; unset or negative is 0). */
    int level(long priority) {
        return priorities ? (int) Math.max(0, Math.min(priority, fresh.length - 1L)) : 0;
    }

    /** Appends a never-delivered message; offsets must arrive in increasing order. */
    void addFresh(Slot s) {
        fresh[level(s.priority)].addLast(s);
        freshCount++;
        bytes += s.size;
    }

    /** Adds a returned message: ready at once, or after {@code s.notBefore} if that is later than {@code now}. */
    void addReturned(Slot s, long now) {
        if (s.notBefore > now) {
            delayed.add(s);
        } else {
            returned.put(s.offset, s);
        }
        bytes += s.size;
    }

    /** A returned slot whose size became known later (after a restart the index fills it in). */
    void addBytes(long n) {
        bytes += n;
    }

    /** Moves delayed messages whose time has come to the returned list. */
    void promote(long now) {
        while (!delayed.isEmpty() && delayed.peek().notBefore <= now) {
            Slot s = delayed.poll();
            returned.put(s.offset, s);
        }
    }

    /** Removes and returns the next message to deliver, or null. */
    Slot poll(long now) {
        promote(now);
        Slot r = null;
        if (!returned.isEmpty()) {
            if (priorities) {
                for (Slot s : returned.values()) {
                    if (r == null || s.priority > r.priority) {
                        r = s;
                    }
                }
            } else {
                r = returned.firstEntry().getValue();
            }
        }
        Slot f = peekFresh();
        if (r != null && (f == null || !priorities || r.priority >= f.priority)) {
            returned.remove(r.offset);
            bytes -= r.size;
            return r;
        }
        if (f != null) {
            pollFresh(f);
        }
        return f;
    }

    private Slot peekFresh() {
        for (int i = fresh.length - 1; i >= 0; i--) {
            Slot s = fresh[i].peekFirst();
            if (s != null) {
                return s;
            }
        }
        return null;
    }

    private void pollFresh(Slot s) {
        fresh[level(s.priority)].pollFirst();
        freshCount--;
        bytes -= s.size;
    }

    /** The returned (or delayed) slot at {@code offset}, left in place; null if there is none. */
    Slot returnedAt(long offset) {
        Slot s = returned.get(offset);
        if (s == null) {
            for (Slot d : delayed) {
                if (d.offset == offset) {
                    return d;
                }
            }
        }
        return s;
    }

    /** Removes the returned (or delayed) slot at {@code offset}; null if there is none. */
    Slot removeReturned(long offset) {
        Slot s = returned.remove(offset);
        if (s == null) {
            s = returnedAt(offset);
            if (s != null) {
                delayed.remove(s);
            }
        }
        if (s != null) {
            bytes -= s.size;
        }
        return s;
    }

    /** Removes and returns the heads (of the returned list and of each priority level) expired by {@code now}. */
    List<Slot> expireHeads(long now) {
        List<Slot> out = new ArrayList<>();
        while (!returned.isEmpty() && returned.firstEntry().getValue().expiresAt <= now) {
            Slot s = returned.pollFirstEntry().getValue();
            bytes -= s.size;
            out.add(s);
        }
        for (ArrayDeque<Slot> level : fresh) {
            while (!level.isEmpty() && level.peekFirst().expiresAt <= now) {
                Slot s = level.peekFirst();
                pollFresh(s);
                out.add(s);
            }
        }
        return out;
    }

    /** Removes everything; returns what was removed. */
    List<Slot> clear() {
        List<Slot> out = new ArrayList<>();
        for (ArrayDeque<Slot> level : fresh) {
            out.addAll(level);
            level.clear();
        }
        out.addAll(returned.values());
        out.addAll(delayed);
        returned.clear();
        delayed.clear();
        freshCount = 0;
        bytes = 0;
        return out;
    }

    long count() {
        return freshCount + returned.size() + delayed.size();
    }

    long bytes() {
        return bytes;
    }

    /** Lowest offset held, or {@code Long.MAX_VALUE}. */
    long minOffset() {
        long min = Long.MAX_VALUE;
        for (ArrayDeque<Slot> level : fresh) {
            if (!level.isEmpty()) {
                min = Math.min(min, level.peekFirst().offset);
            }
        }
        if (!returned.isEmpty()) {
            min = Math.min(min, returned.firstKey());
        }
        for (Slot d : delayed) {
            min = Math.min(min, d.offset);
        }
        return min;
    }

    /** Lowest never-delivered offset held, or -1. */
    long firstFreshOffset() {
        long min = Long.MAX_VALUE;
        for (ArrayDeque<Slot> level : fresh) {
            if (!level.isEmpty()) {
                min = Math.min(min, level.peekFirst().offset);
            }
        }
        return min == Long.MAX_VALUE ? -1 : min;
    }

    /** Timestamp of the oldest (lowest-offset) ready message that is not delayed, or -1. */
    long oldestTimestamp() {
        Slot oldest = null;
        for (ArrayDeque<Slot> level : fresh) {
            Slot h = level.peekFirst();
            if (h != null && (oldest == null || h.offset < oldest.offset)) {
                oldest = h;
            }
        }
        if (!returned.isEmpty()) {
            Slot r = returned.firstEntry().getValue();
            if (oldest == null || r.offset < oldest.offset) {
                oldest = r;
            }
        }
        return oldest == null ? -1 : oldest.timestamp;
    }

    /** The earliest time something here changes by itself: a delayed message comes due or a head expires. */
    long nextDueAt() {
        long next = delayed.isEmpty() ? Long.MAX_VALUE : delayed.peek().notBefore;
        for (ArrayDeque<Slot> level : fresh) {
            Slot h = level.peekFirst();
            if (h != null) {
                next = Math.min(next, h.expiresAt);
            }
        }
        if (!returned.isEmpty()) {
            next = Math.min(next, returned.firstEntry().getValue().expiresAt);
        }
        return next;
    }

    /** Returned and delayed slots (for a snapshot). */
    List<Slot> returnedSlots() {
        List<Slot> out = new ArrayList<>(returned.values());
        out.addAll(delayed);
        return out;
    }
}
