package io.sluice.protocol.kafka.session;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.protocol.kafka.codec.KafkaWire;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Slot accounting, eviction and epoch rules of the fetch session cache, on a manual clock. */
class KafkaFetchSessionCacheTest {

    private static final long EVICTION_MS = 1_000;
    private final AtomicLong now = new AtomicLong(10_000);

    private KafkaFetchSessionCache cache(int slots) {
        return new KafkaFetchSessionCache(slots, EVICTION_MS, now::get, new SimpleMeterRegistry());
    }

    private static KafkaFetchSession open(KafkaFetchSessionCache cache, int partitions) {
        KafkaFetchSession s = cache.create(false, partitions);
        if (s != null) {
            for (int p = 0; p < partitions; p++) {
                s.initialise(new KafkaFetchSession.Key(KafkaWire.ZERO_UUID, "t", p), 0, 1024, null,
                        KafkaErrors.NONE, 0, 0);
            }
            cache.touch(s);
        }
        return s;
    }

    @Test
    void aFullCacheRefusesNewSessionsWhileTheOthersAreYoungAndInUse() {
        KafkaFetchSessionCache cache = cache(2);
        assertThat(open(cache, 1)).isNotNull();
        assertThat(open(cache, 1)).isNotNull();
        assertThat(open(cache, 5)).as("no slot, nothing stale, nothing old enough").isNull();
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.evictions()).isZero();
    }

    @Test
    void theLeastRecentlyUsedSessionIsEvictedOnceIdleLongerThanTheEvictionTime() {
        KafkaFetchSessionCache cache = cache(2);
        KafkaFetchSession idle = open(cache, 3);
        now.addAndGet(10);
        KafkaFetchSession busy = open(cache, 3);
        now.addAndGet(EVICTION_MS);
        cache.touch(busy);
        now.addAndGet(1);
        KafkaFetchSession fresh = open(cache, 1);
        assertThat(fresh).isNotNull();
        assertThat(cache.get(idle.id())).isNull();
        assertThat(cache.get(busy.id())).isSameAs(busy);
        assertThat(cache.evictions()).isEqualTo(1);
    }

    @Test
    void anOldSmallSessionGivesWayToAStrictlyBiggerOne() {
        KafkaFetchSessionCache cache = cache(2);
        KafkaFetchSession small = open(cache, 2);
        KafkaFetchSession big = open(cache, 10);
        now.addAndGet(EVICTION_MS + 1);
        cache.touch(small);
        cache.touch(big);
        assertThat(open(cache, 2)).as("an equal size does not evict").isNull();
        KafkaFetchSession bigger = open(cache, 3);
        assertThat(bigger).isNotNull();
        assertThat(cache.get(small.id())).isNull();
        assertThat(cache.get(big.id())).isSameAs(big);
    }

    @Test
    void aYoungSessionIsNeverEvictedBySize() {
        KafkaFetchSessionCache cache = cache(1);
        open(cache, 1);
        now.addAndGet(EVICTION_MS / 2);
        assertThat(open(cache, 100)).isNull();
    }

    @Test
    void epochsAdvanceOncePerRequestAndRefuseReplays() {
        KafkaFetchSessionCache cache = cache(1);
        KafkaFetchSession s = open(cache, 1);
        assertThat(cache.incremental(s.id(), 1, false).errorCode()).isEqualTo(KafkaErrors.NONE);
        assertThat(cache.incremental(s.id(), 1, false).errorCode()).isEqualTo(KafkaErrors.INVALID_FETCH_SESSION_EPOCH);
        assertThat(cache.incremental(s.id(), 2, true).errorCode()).isEqualTo(KafkaErrors.FETCH_SESSION_TOPIC_ID_ERROR);
        assertThat(cache.incremental(s.id() + 1, 2, false).errorCode())
                .isEqualTo(KafkaErrors.FETCH_SESSION_ID_NOT_FOUND);
        assertThat(cache.incremental(s.id(), 2, false).session()).isSameAs(s);
        assertThat(KafkaFetchSessionCache.nextEpoch(Integer.MAX_VALUE)).isEqualTo(1);
        assertThat(cache.incrementalFetches()).isEqualTo(2);
    }
}
