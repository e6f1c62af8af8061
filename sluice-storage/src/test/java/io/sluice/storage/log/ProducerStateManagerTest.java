package io.sluice.storage.log;

import io.sluice.storage.StorageErrorCode;
import io.sluice.storage.StorageException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProducerStateManagerTest {

    private static void write(ProducerStateManager m, long pid, int seq, long offset, long timestamp,
                              boolean transactional) {
        ProducerStateManager.Pending p = m.begin();
        p.check(pid, (short) 0, seq, seq, transactional);
        p.apply(pid, (short) 0, seq, seq, offset, offset, timestamp, transactional, false, false, -1);
        p.commit();
    }

    @Test
    void idleProducersExpireButOpenTransactionsAndRecentWritersStay() {
        ProducerStateManager m = new ProducerStateManager();
        write(m, 1, 0, 0, 1_000, false);
        write(m, 2, 0, 1, 1_000, true);
        write(m, 3, 0, 2, 9_000, false);

        assertThat(m.removeExpired(10_000, 5_000)).isEqualTo(1);
        assertThat(m.producerCount()).isEqualTo(2);
        assertThat(m.firstUnstableOffset()).isEqualTo(1);

        // The forgotten producer is no longer checked: its old batch is no duplicate and a gap is accepted, as in
        // Kafka; the producer that stayed still gets both checks.
        assertThat(m.begin().check(1, (short) 0, 0, 0, false)).isInstanceOf(ProducerStateManager.Accepted.class);
        assertThat(m.begin().check(1, (short) 0, 5, 5, false)).isInstanceOf(ProducerStateManager.Accepted.class);
        assertThat(m.begin().check(3, (short) 0, 0, 0, false)).isInstanceOf(ProducerStateManager.Duplicate.class);
        assertThatThrownBy(() -> m.begin().check(3, (short) 0, 5, 5, false))
                .isInstanceOf(StorageException.class)
                .extracting(e -> ((StorageException) e).code()).isEqualTo(StorageErrorCode.OUT_OF_ORDER_SEQUENCE);
        assertThat(m.begin().check(3, (short) 0, 1, 1, false)).isInstanceOf(ProducerStateManager.Accepted.class);
    }

    @Test
    void theSnapshotKeepsTheLastTimestampSoExpiryContinuesAfterARestart() throws Exception {
        ProducerStateManager m = new ProducerStateManager();
        write(m, 1, 0, 0, 1_000, false);
        write(m, 2, 0, 1, 8_000, false);

        ProducerStateManager loaded = new ProducerStateManager();
        loaded.loadSnapshot(m.toSnapshot());

        assertThat(loaded.producerCount()).isEqualTo(2);
        assertThat(loaded.removeExpired(10_000, 5_000)).isEqualTo(1);
        assertThat(loaded.begin().check(2, (short) 0, 1, 1, false)).isInstanceOf(ProducerStateManager.Accepted.class);
    }

    @Test
    void aDamagedSnapshotIsRefused() {
        ProducerStateManager m = new ProducerStateManager();
        write(m, 1, 0, 0, 1_000, false);
        byte[] bytes = m.toSnapshot();
        bytes[bytes.length - 1] ^= 1;
        assertThatThrownBy(() -> new ProducerStateManager().loadSnapshot(bytes))
                .isInstanceOf(java.io.IOException.class);
    }
}
