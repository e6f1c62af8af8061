package io.sluice.protocol.resp.session;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The in-memory map from a Redis stream's entry ids to log offsets: one (ms, seq) pair per offset of
 * {@code [start, end)}, so that XACK, XCLAIM, XRANGE bounds, XREADGROUP history reads and XPENDING resolve ids and
 * offsets without reading or decoding the log.
 *
 * <p><b>Shape.</b> Ids grow with offsets ({@link RespStreamStore}), so the index is a dense array of ids indexed by
 * {@code offset - start}, searched by binary search. It is paged ({@value #PAGE} offsets per page, 16 bytes per
 * offset) so that it grows without copying and a trim frees whole pages. Offsets that hold no entry (control records
 * of Kafka transactions) are <i>gaps</i>: they repeat the id before them, which keeps the array sorted for the search
 * and lets a lower-bound search land on the real entry first, and are listed in a small set so
 * {@link #idAt} answers null for them. A record written by another protocol whose timestamp-based id would go
 * backwards is stored with the previous id for the same reason: it is found by position, not by id.
 *
 * <p><b>Who writes.</b> The store appends ids as XADD appends complete (the common case costs no log read) and catches
 * up from the log for anything else: the first use of a stream after start-up, appends by other protocols, or an
 * append whose completion ran after a reader needed it. {@link #add} only accepts the next offset, so both writers can
 * race and the first one wins. Trims drop the front ({@link #trimBefore}); a log that moved back under us
 * (truncation) drops the tail ({@link #truncate}).
 *
 * <p>Thread-safe: every method synchronizes on the instance; calls are short (no I/O under the lock).
 */
final class RespIdIndex {

    private static final int PAGE_SHIFT = 10;
    static final int PAGE = 1 << PAGE_SHIFT;
    private static final int PAGE_MASK = PAGE - 1;

    /** Pages of interleaved (ms, seq); page 0 covers offsets {@code [pageBase, pageBase + PAGE)}. */
    private final ArrayList<long[]> pages = new ArrayList<>();
    private final TreeSet<Long> gaps = new TreeSet<>();
    private long pageBase;
    private long start;
    private long end;
    private long lastMs;
    private long lastSeq;

    RespIdIndex(long start) {
        reset(start);
    }

    /** First offset indexed. */
    synchronized long start() {
        return start;
    }

    /** The next offset to index; {@code [start, end)} is covered. */
    synchronized long end() {
        return end;
    }

    /** Forgets everything and starts empty at {@code offset}. */
    synchronized void reset(long offset) {
        pages.clear();
        gaps.clear();
        pageBase = offset - Math.floorMod(offset, PAGE);
        start = offset;
        end = offset;
        lastMs = 0;
        lastSeq = 0;
    }

    /** The last id indexed (a gap repeats the one before it), or null when nothing is. */
    synchronized RespStreamId lastId() {
        return end > start ? new RespStreamId(lastMs, lastSeq) : null;
    }

    /** Records the id at {@code offset}; ignored unless {@code offset == end()} (someone else got there first). */
    synchronized boolean add(long offset, RespStreamId id) {
        if (offset != end) {
            return false;
        }
        long ms = id.ms();
        long seq = id.seq();
        if (end > start && compare(ms, seq, lastMs, lastSeq) < 0) {
            ms = lastMs;
            seq = lastSeq;
        }
        put(ms, seq);
        return true;
    }

    /** Marks {@code offset} as holding no entry; ignored unless {@code offset == end()}. */
    synchronized boolean addGap(long offset) {
        if (offset != end) {
            return false;
        }
        gaps.add(offset);
        put(lastMs, lastSeq);
        return true;
    }

    private void put(long ms, long seq) {
        int page = (int) ((end - pageBase) >>> PAGE_SHIFT);
        int slot = (int) ((end - pageBase) & PAGE_MASK);
        if (page == pages.size()) {
            pages.add(new long[2 * PAGE]);
        }
        long[] p = pages.get(page);
        p[2 * slot] = ms;
        p[2 * slot + 1] = seq;
        lastMs = ms;
        lastSeq = seq;
        end++;
    }

    // Shifts and masks rather than / and %: offset >= pageBase, and the search calls these for every step of every
    // id an XACK names (the first-tier JIT keeps a 64-bit division by a constant as a division).
    private long msAt(long offset) {
        long rel = offset - pageBase;
        return pages.get((int) (rel >>> PAGE_SHIFT))[(int) (rel & PAGE_MASK) << 1];
    }

    private long seqAt(long offset) {
        long rel = offset - pageBase;
        return pages.get((int) (rel >>> PAGE_SHIFT))[((int) (rel & PAGE_MASK) << 1) + 1];
    }

    private boolean isGap(long offset) {
        return !gaps.isEmpty() && gaps.contains(offset); // gaps are rare (transaction markers): no boxing otherwise
    }

    /** The id at {@code offset}, or null when it is outside the index or a gap. */
    synchronized RespStreamId idAt(long offset) {
        if (offset < start || offset >= end || isGap(offset)) {
            return null;
        }
        return new RespStreamId(msAt(offset), seqAt(offset));
    }

    /** The first indexed offset whose id is at least {@code (ms, seq)} (unsigned), or {@link #end()}. */
    synchronized long lowerBound(long ms, long seq) {
        long lo = start;
        long hi = end;
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (compare(msAt(mid), seqAt(mid), ms, seq) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * The offset of the entry with exactly this id, or -1. Answered from memory only: the caller catches the index up
     * first.
     */
    synchronized long offsetOf(RespStreamId id) {
        return offsetOf(id, -1);
    }

    /**
     * {@link #offsetOf(RespStreamId)}, looking at {@code hint} first: a consumer acknowledges a batch in order, so the
     * next id of an XACK is usually at the offset after the last one, found without a search.
     */
    synchronized long offsetOf(RespStreamId id, long hint) {
        if (hint >= start && hint < end && msAt(hint) == id.ms() && seqAt(hint) == id.seq()
                && (hint == start || compare(msAt(hint - 1), seqAt(hint - 1), id.ms(), id.seq()) < 0)) {
            return isGap(hint) ? -1 : hint;
        }
        long o = lowerBound(id.ms(), id.seq());
        if (o >= end || msAt(o) != id.ms() || seqAt(o) != id.seq() || isGap(o)) {
            return -1;
        }
        return o;
    }

    /** Drops offsets below {@code offset} (a trim moved the log start); whole pages are freed. */
    synchronized void trimBefore(long offset) {
        if (offset <= start) {
            return;
        }
        if (offset >= end) {
            reset(offset);
            return;
        }
        int dropPages = (int) ((offset - pageBase) / PAGE);
        if (dropPages > 0) {
            pages.subList(0, dropPages).clear();
            pageBase += (long) dropPages * PAGE;
        }
        gaps.headSet(offset).clear();
        start = offset;
    }

    /** Drops offsets at or above {@code offset} (the log was truncated back). */
    synchronized void truncate(long offset) {
        if (offset >= end) {
            return;
        }
        if (offset <= start) {
            reset(start);
            return;
        }
        end = offset;
        int keepPages = (int) ((end - 1 - pageBase) / PAGE) + 1;
        while (pages.size() > keepPages) {
            pages.remove(pages.size() - 1);
        }
        gaps.tailSet(offset).clear();
        lastMs = msAt(end - 1);
        lastSeq = seqAt(end - 1);
    }

    /** Offsets indexed, for tests and XINFO-style introspection. */
    synchronized long size() {
        return end - start;
    }

    /** Ids held, in offset order, gaps left out (tests). */
    synchronized List<RespStreamId> ids() {
        List<RespStreamId> out = new ArrayList<>((int) Math.min(Integer.MAX_VALUE, end - start));
        for (long o = start; o < end; o++) {
            if (!isGap(o)) {
                out.add(new RespStreamId(msAt(o), seqAt(o)));
            }
        }
        return out;
    }

    private static int compare(long ms1, long seq1, long ms2, long seq2) {
        int c = Long.compareUnsigned(ms1, ms2);
        return c != 0 ? c : Long.compareUnsigned(seq1, seq2);
    }
}
