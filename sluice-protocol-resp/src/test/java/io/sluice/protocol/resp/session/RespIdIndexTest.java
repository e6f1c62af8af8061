package io.sluice.protocol.resp.session;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class RespIdIndexTest {

    @Test
    void findsIdsAndGapsAcrossPages() {
        RespIdIndex idx = new RespIdIndex(5);
        long o = 5;
        for (int i = 0; i < 3 * RespIdIndex.PAGE; i++) {
            if (i % 100 == 7) {
                assertThat(idx.addGap(o++)).isTrue(); // a control record between entries
            }
            assertThat(idx.add(o++, new RespStreamId(1000 + i / 10, i % 10))).isTrue();
        }
        long end = idx.end();
        assertThat(idx.offsetOf(new RespStreamId(1000, 0))).isEqualTo(5);
        long mid = idx.offsetOf(new RespStreamId(1150, 3));
        assertThat(idx.idAt(mid)).isEqualTo(new RespStreamId(1150, 3));
        assertThat(idx.offsetOf(new RespStreamId(1150, 11))).isEqualTo(-1);
        assertThat(idx.lowerBound(1150, 11)).isEqualTo(idx.offsetOf(new RespStreamId(1151, 0)));
        assertThat(idx.idAt(12)).isNull(); // i == 7 put a gap at offset 12
        // the gap repeats 1000-6 (offset 11): a hint at the gap finds the entry before it, not the gap
        assertThat(idx.offsetOf(new RespStreamId(1000, 6), 12)).isEqualTo(11);
        assertThat(idx.offsetOf(new RespStreamId(1000, 7), 12)).isEqualTo(13);
        assertThat(idx.lowerBound(-1L, -1L)).isEqualTo(end); // unsigned max
        assertThat(idx.add(end + 1, new RespStreamId(5000, 0))).isFalse(); // only the next offset is accepted
        assertThat(idx.add(end - 1, new RespStreamId(5000, 0))).isFalse();
        assertThat(idx.end()).isEqualTo(end);
    }

    @Test
    void trimFreesTheFrontAndTruncateTheTail() {
        RespIdIndex idx = new RespIdIndex(0);
        for (int i = 0; i < 5000; i++) {
            idx.add(i, new RespStreamId(i + 1, 0));
        }
        idx.trimBefore(2500);
        assertThat(idx.start()).isEqualTo(2500);
        assertThat(idx.idAt(2499)).isNull();
        assertThat(idx.offsetOf(new RespStreamId(10, 0))).isEqualTo(-1);
        assertThat(idx.lowerBound(10, 0)).isEqualTo(2500);
        assertThat(idx.offsetOf(new RespStreamId(2501, 0))).isEqualTo(2500);
        idx.truncate(3000);
        assertThat(idx.end()).isEqualTo(3000);
        assertThat(idx.lastId()).isEqualTo(new RespStreamId(3000, 0));
        assertThat(idx.add(3000, new RespStreamId(9000, 0))).isTrue();
        assertThat(idx.offsetOf(new RespStreamId(9000, 0))).isEqualTo(3000);
        idx.trimBefore(10_000); // past the end: empty, starting there
        assertThat(idx.size()).isZero();
        assertThat(idx.start()).isEqualTo(10_000);
        assertThat(idx.add(10_000, new RespStreamId(9001, 0))).isTrue();
    }

    @Test
    void anIdGoingBackwardsKeepsTheOrderButIsNotFoundById() {
        RespIdIndex idx = new RespIdIndex(0);
        idx.add(0, new RespStreamId(100, 0));
        idx.add(1, new RespStreamId(50, 1)); // a foreign record with an older timestamp
        idx.add(2, new RespStreamId(200, 0));
        assertThat(idx.offsetOf(new RespStreamId(50, 1))).isEqualTo(-1);
        // offset 1 holds the id before it (100-0), so a hint there must not name offset 1 for 100-0
        assertThat(idx.offsetOf(new RespStreamId(100, 0), 1)).isEqualTo(0);
        assertThat(idx.offsetOf(new RespStreamId(50, 1), 1)).isEqualTo(-1);
        assertThat(idx.offsetOf(new RespStreamId(200, 0))).isEqualTo(2);
        assertThat(idx.lowerBound(150, 0)).isEqualTo(2);
    }

    /** Random appends, gaps, trims and truncations against a sorted map of the same ids. */
    @Property(tries = 200)
    void behavesLikeASortedMap(@ForAll @LongRange(min = 0, max = 5000) long start,
                               @ForAll @IntRange(min = 1, max = 4000) int ops, @ForAll long seed) {
        Random rnd = new Random(seed);
        RespIdIndex idx = new RespIdIndex(start);
        TreeMap<Long, RespStreamId> model = new TreeMap<>(); // offset -> id, entries only
        long end = start;
        long ms = rnd.nextInt(3);
        long seq = 0;
        for (int i = 0; i < ops; i++) {
            int op = rnd.nextInt(100);
            if (op < 80) {
                if (rnd.nextBoolean()) {
                    ms += 1 + rnd.nextInt(3);
                    seq = 0;
                } else {
                    seq++;
                }
                RespStreamId id = new RespStreamId(ms, seq);
                assertThat(idx.add(end, id)).isTrue();
                model.put(end++, id);
            } else if (op < 90) {
                assertThat(idx.addGap(end++)).isTrue();
            } else if (op < 95) {
                long to = idx.start() + rnd.nextLong(Math.max(1, end - idx.start() + 2));
                idx.trimBefore(to);
                model.headMap(to).clear();
                end = Math.max(end, to);
            } else if (end > idx.start()) {
                long to = idx.start() + rnd.nextLong(end - idx.start() + 1);
                idx.truncate(to);
                model.tailMap(to).clear();
                end = Math.max(to, idx.start());
                // after a truncation ids must keep growing from the last kept one
                if (!model.isEmpty()) {
                    ms = model.lastEntry().getValue().ms() + 1;
                    seq = 0;
                }
            }
            assertThat(idx.end()).isEqualTo(end);
        }
        assertThat(idx.ids()).containsExactlyElementsOf(new ArrayList<>(model.values()));
        List<Long> offsets = new ArrayList<>(model.keySet());
        for (long o : offsets) {
            RespStreamId id = model.get(o);
            assertThat(idx.offsetOf(id)).isEqualTo(o);
            // a hint, right or wrong, never changes the answer
            for (long hint : new long[] {o, o - 1, o + 1, -1, idx.start(), idx.end()}) {
                assertThat(idx.offsetOf(id, hint)).as("hint %d", hint).isEqualTo(o);
            }
            assertThat(idx.idAt(o)).isEqualTo(id);
            Long firstAtOrAfter = model.entrySet().stream().filter(e -> e.getValue().compareTo(id) >= 0)
                    .map(java.util.Map.Entry::getKey).findFirst().orElse(null);
            long lb = idx.lowerBound(id.ms(), id.seq());
            assertThat(lb).isEqualTo(firstAtOrAfter);
        }
    }
}
