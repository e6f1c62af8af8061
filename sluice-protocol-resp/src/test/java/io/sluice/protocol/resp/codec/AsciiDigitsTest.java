package io.sluice.protocol.resp.codec;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class AsciiDigitsTest {

    @Property
    void writesWhatLongToStringWrites(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long v) {
        assertThat(written(v)).isEqualTo(Long.toString(v));
        assertThat(AsciiDigits.count(v)).isEqualTo(Long.toString(v).length());
    }

    @Test
    void atEveryDigitCountBoundary() {
        long p = 1;
        for (int digits = 1; digits <= 19; digits++) {
            for (long v : new long[] {p - 1, p, p + 1}) {
                assertThat(written(v)).isEqualTo(Long.toString(v));
            }
            p = digits < 19 ? p * 10 : p;
        }
        for (long v : new long[] {Integer.MAX_VALUE, Integer.MAX_VALUE + 1L, Long.MAX_VALUE}) {
            assertThat(written(v)).isEqualTo(Long.toString(v));
        }
    }

    private static String written(long v) {
        byte[] out = new byte[24];
        out[0] = 'x';
        int end = AsciiDigits.put(out, 1, v);
        return new String(out, 1, end - 1, StandardCharsets.US_ASCII);
    }
}
