package io.sluice.protocol.resp.session;

import io.sluice.protocol.resp.codec.AsciiDigits;

/**
 * A Redis stream entry id {@code <ms>-<seq>}: two unsigned 64-bit numbers compared as a pair, the first normally
 * a Unix time in milliseconds. Immutable value. Comparison and text form treat both halves as unsigned, as
 * redis-server does. Parse methods answer malformed text with redis-server's
 * {@code Invalid stream ID} error.
 */
public record RespStreamId(long ms, long seq) implements Comparable<RespStreamId> {

    public static final RespStreamId MIN = new RespStreamId(0, 0);
    public static final RespStreamId MAX = new RespStreamId(-1L, -1L);

    public static final String INVALID = "ERR Invalid stream ID specified as stream command argument";

    /**
     * Parses {@code <ms>} or {@code <ms>-<seq>}; a missing sequence becomes {@code missingSeq} (0 for the start of a
     * range, {@code -1L}, i.e. unsigned max, for its end). With {@code allowMinMax}, {@code -} and {@code +} stand
     * for the smallest and largest ids.
     */
    public static RespStreamId parse(String text, long missingSeq, boolean allowMinMax) {
        if (allowMinMax && text.equals("-")) {
            return MIN;
        }
        if (allowMinMax && text.equals("+")) {
            return MAX;
        }
        int dash = text.indexOf('-');
        if (dash < 0) {
            return new RespStreamId(parseUnsigned(text), missingSeq);
        }
        return new RespStreamId(parseUnsigned(text.substring(0, dash)), parseUnsigned(text.substring(dash + 1)));
    }

    /** {@link #parse(String)} of an argument's bytes, without building a string when it is a plain {@code ms-seq}. */
    public static RespStreamId parse(byte[] arg) {
        RespStreamId id = parseAsciiFast(arg);
        return id != null ? id : parse(new String(arg, java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Parses a strict id, both halves present or the sequence defaulting to 0. */
    public static RespStreamId parse(String text) {
        return parse(text, 0, false);
    }

    /**
     * Parses a stored id header, {@code <ms>-<seq>} in ASCII, without building strings in the usual case; null if
     * malformed.
     */
    static RespStreamId parseAscii(byte[] b) {
        RespStreamId id = parseAsciiFast(b);
        if (id != null) {
            return id;
        }
        try {
            return parse(new String(b, java.nio.charset.StandardCharsets.US_ASCII));
        } catch (RespCommandException e) {
            return null;
        }
    }

    private static RespStreamId parseAsciiFast(byte[] b) {
        int dash = -1;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '-') {
                dash = i;
                break;
            }
        }
        if (dash <= 0 || dash >= b.length - 1 || dash > 20 || b.length - dash - 1 > 20) {
            return null;
        }
        long ms = unsignedAscii(b, 0, dash);
        long seq = unsignedAscii(b, dash + 1, b.length);
        if (ms == -1L && !isMaxValue(b, 0, dash) || seq == -1L && !isMaxValue(b, dash + 1, b.length)) {
            return null;
        }
        return new RespStreamId(ms, seq);
    }

    /** Digits in {@code [from, to)} as an unsigned long; -1L (unsigned max) also for malformed or overflowing text. */
    private static long unsignedAscii(byte[] b, int from, int to) {
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return -1L;
            }
            // Nineteen digits stay below 10^19 < 2^64; only a further digit can overflow, so only it pays for the
            // check (an unsigned 64-bit division) that v * 10 + d stays below 2^64.
            if (i - from >= 19 && Long.compareUnsigned(v, Long.divideUnsigned(-1L - d, 10)) > 0) {
                return -1L;
            }
            v = v * 10 + d;
        }
        return v;
    }

    private static final byte[] MAX_TEXT = "18446744073709551615".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static boolean isMaxValue(byte[] b, int from, int to) {
        return java.util.Arrays.equals(b, from, to, MAX_TEXT, 0, MAX_TEXT.length);
    }

    /** An unsigned 64-bit decimal as redis-server's {@code string2ull} accepts it: digits only. */
    static long parseUnsigned(String s) {
        if (s.isEmpty() || s.length() > 20) {
            throw new RespCommandException(INVALID);
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new RespCommandException(INVALID);
            }
        }
        try {
            return Long.parseUnsignedLong(s);
        } catch (NumberFormatException e) {
            throw new RespCommandException(INVALID);
        }
    }

    /** The id right after this one, or {@code null} when this is {@link #MAX}. */
    public RespStreamId next() {
        if (seq != -1L) {
            return new RespStreamId(ms, seq + 1);
        }
        return ms == -1L ? null : new RespStreamId(ms + 1, 0);
    }

    /** The id right before this one, or {@code null} when this is {@link #MIN}. */
    public RespStreamId previous() {
        if (seq != 0) {
            return new RespStreamId(ms, seq - 1);
        }
        return ms == 0 ? null : new RespStreamId(ms - 1, -1L);
    }

    @Override
    public int compareTo(RespStreamId o) {
        int c = Long.compareUnsigned(ms, o.ms);
        return c != 0 ? c : Long.compareUnsigned(seq, o.seq);
    }

    public boolean isAfter(RespStreamId o) {
        return compareTo(o) > 0;
    }

    @Override
    public String toString() {
        return Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq);
    }

    /**
     * {@link #toString()} as US-ASCII bytes, written straight into the array: every delivered or appended entry needs
     * its id as bytes, and the string (a concatenation and two number formats) was the larger part of the cost.
     */
    public byte[] toAscii() {
        if (ms < 0 || seq < 0) { // above Long.MAX_VALUE as unsigned: rare enough for the string path
            return toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
        byte[] out = new byte[AsciiDigits.count(ms) + 1 + AsciiDigits.count(seq)];
        int dash = AsciiDigits.put(out, 0, ms);
        out[dash] = '-';
        AsciiDigits.put(out, dash + 1, seq);
        return out;
    }
}
