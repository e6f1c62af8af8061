package io.sluice.bench.harness.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ConfirmWindowTest {

    @Test
    void allConfirmedCompletes() throws Exception {
        ConfirmWindow w = new ConfirmWindow(4);
        for (int i = 0; i < 4; i++) {
            w.acquire();
        }
        w.confirmed(3);
        w.confirmed(1);
        w.awaitAll(Duration.ofSeconds(1));
        assertThat(w.failures()).isZero();
    }

    @Test
    void refusedPublishFailsTheWait() throws Exception {
        ConfirmWindow w = new ConfirmWindow(2);
        w.acquire();
        w.acquire();
        w.confirmed(1);
        w.failed(1, "basic.nack for delivery tag 2");
        assertThatThrownBy(() -> w.awaitAll(Duration.ofSeconds(1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("1 publishes refused").hasMessageContaining("tag 2");
    }

    @Test
    void unconfirmedPublishTimesOut() throws Exception {
        ConfirmWindow w = new ConfirmWindow(2);
        w.acquire();
        assertThatThrownBy(() -> w.awaitAll(Duration.ofMillis(20)))
                .isInstanceOf(TimeoutException.class).hasMessageContaining("1 publishes still unconfirmed");
    }

    @Test
    void amqpMultipleAckSettlesEveryOutstandingTagUpToIt() {
        NavigableSet<Long> outstanding = new ConcurrentSkipListSet<>(java.util.List.of(1L, 2L, 3L, 4L, 5L));
        assertThat(AmqpDriver.settle(outstanding, 2, false)).isEqualTo(1);
        assertThat(AmqpDriver.settle(outstanding, 4, true)).isEqualTo(3); // 1, 3 and 4; 2 was already settled
        assertThat(AmqpDriver.settle(outstanding, 4, false)).isZero();
        assertThat(outstanding).containsExactly(5L);
    }
}
