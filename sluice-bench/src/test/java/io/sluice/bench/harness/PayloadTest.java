package io.sluice.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PayloadTest {

    @Test
    void headerFieldsRoundTripAndBodyHasTheRequestedSize() {
        byte[] body = Payload.encode(123_456_789L, -42L, 999, 1024);
        assertThat(body).hasSize(1024);
        assertThat(Payload.seq(body)).isEqualTo(123_456_789L);
        assertThat(Payload.intendedSendNs(body)).isEqualTo(-42L);
        assertThat(Payload.dest(body)).isEqualTo(999);
    }

    @Test
    void sizeSmallerThanTheHeaderIsRefused() {
        assertThatThrownBy(() -> Payload.encode(0, 0, 0, Payload.HEADER_BYTES - 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
