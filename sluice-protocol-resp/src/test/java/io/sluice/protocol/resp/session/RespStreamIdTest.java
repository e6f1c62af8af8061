package io.sluice.protocol.resp.session;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RespStreamIdTest {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** The byte fast path reads every unsigned pair as the string path does, from 1 digit to 20. */
    @Property
    void bytesAndTextAgreeOnEveryUnsignedPair(@ForAll long ms, @ForAll long seq) {
        String text = Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq);
        RespStreamId id = RespStreamId.parse(ascii(text));
        assertThat(id).isEqualTo(new RespStreamId(ms, seq)).isEqualTo(RespStreamId.parse(text));
        assertThat(RespStreamId.parseAscii(ascii(text))).isEqualTo(id);
        assertThat(id.toString()).isEqualTo(text);
        assertThat(new String(id.toAscii(), StandardCharsets.US_ASCII)).isEqualTo(text);
    }

    @Test
    void asciiFormAtDigitCountBoundaries() {
        for (long v : new long[] {0, 9, 10, 99, 100, 999_999_999L, 1_000_000_000L, Integer.MAX_VALUE,
                Integer.MAX_VALUE + 1L, 1_700_000_000_000L, 1_000_000_000_000_000_000L - 1, 1_000_000_000_000_000_000L,
                Long.MAX_VALUE, Long.MIN_VALUE, -1L}) {
            RespStreamId id = new RespStreamId(v, v);
            assertThat(new String(id.toAscii(), StandardCharsets.US_ASCII)).isEqualTo(id.toString());
        }
    }

    @Test
    void nineteenAndTwentyDigitsAtTheEdges() {
        assertThat(RespStreamId.parse(ascii("9999999999999999999-1")))
                .isEqualTo(new RespStreamId(Long.parseUnsignedLong("9999999999999999999"), 1));
        assertThat(RespStreamId.parse(ascii("18446744073709551615-18446744073709551615"))).isEqualTo(RespStreamId.MAX);
        assertThat(RespStreamId.parse(ascii("10000000000000000000-0")))
                .isEqualTo(new RespStreamId(Long.parseUnsignedLong("10000000000000000000"), 0));
        assertThatThrownBy(() -> RespStreamId.parse(ascii("18446744073709551616-0")))
                .hasMessage(RespStreamId.INVALID);
        assertThatThrownBy(() -> RespStreamId.parse(ascii("1-99999999999999999999")))
                .hasMessage(RespStreamId.INVALID);
        assertThat(RespStreamId.parseAscii(ascii("12x-3"))).isNull();
    }
}
