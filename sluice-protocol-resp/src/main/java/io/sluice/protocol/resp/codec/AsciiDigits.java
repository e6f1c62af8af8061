package io.sluice.protocol.resp.codec;

/**
 * Decimal digits of non-negative numbers written straight into byte arrays, for RESP lengths and counts and for
 * stream ids. Built for first-tier compiled code, where a {@code long} division is a runtime call: the count is found
 * by comparison and the digits nine at a time in {@code int} arithmetic, one {@code long} division per nine digits.
 */
public final class AsciiDigits {

    private AsciiDigits() {
    }

    /** How many digits {@code v >= 0} has. */
    public static int count(long v) {
        int n = 1;
        for (long p = 10; n < 19 && p <= v; p *= 10) {
            n++;
        }
        return n;
    }

    /** Writes {@code v >= 0} from {@code at}; returns the index after its last digit. */
    public static int put(byte[] out, int at, long v) {
        int end = at + count(v);
        int i = end;
        while (v > Integer.MAX_VALUE) {
            long high = v / 1_000_000_000L;
            int low = (int) (v - high * 1_000_000_000L);
            for (int k = 0; k < 9; k++) {
                out[--i] = (byte) ('0' + low % 10);
                low /= 10;
            }
            v = high;
        }
        int n = (int) v;
        do {
            out[--i] = (byte) ('0' + n % 10);
            n /= 10;
        } while (n != 0);
        return end;
    }
}
