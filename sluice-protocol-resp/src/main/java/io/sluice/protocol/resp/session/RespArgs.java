package io.sluice.protocol.resp.session;

import io.sluice.protocol.resp.codec.RespCommand;

import java.util.Locale;

/** Argument parsing helpers with redis-server's error texts; failures throw {@link RespCommandException}. */
final class RespArgs {

    private RespArgs() {
    }

    /** A signed 64-bit integer, strictly as redis-server's {@code string2ll} reads it. */
    static long parseLong(RespCommand c, int i) {
        return parseLong(c.argString(i));
    }

    static long parseLong(String s) {
        if (s.isEmpty() || s.length() > 20 || s.charAt(0) == '+' || (s.length() > 1 && s.charAt(0) == '0')
                || s.startsWith("-0")) {
            throw new RespCommandException(RespErrors.NOT_AN_INTEGER);
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new RespCommandException(RespErrors.NOT_AN_INTEGER);
        }
    }

    /** A non-negative integer or the given error. */
    static long parseNonNegative(RespCommand c, int i, String error) {
        long v = parseLong(c, i);
        if (v < 0) {
            throw new RespCommandException(error);
        }
        return v;
    }

    static boolean is(RespCommand c, int i, String lowerCaseWord) {
        return i < c.argc() && c.argString(i).toLowerCase(Locale.ROOT).equals(lowerCaseWord);
    }

    static String lower(RespCommand c, int i) {
        return c.argString(i).toLowerCase(Locale.ROOT);
    }

    /** Throws the syntax error unless argument {@code i} exists. */
    static void need(RespCommand c, int i) {
        if (i >= c.argc()) {
            throw new RespCommandException(RespErrors.SYNTAX);
        }
    }

    /** A BLOCK timeout in milliseconds with redis-server's checks. */
    static long parseTimeout(RespCommand c, int i) {
        long v;
        try {
            v = parseLong(c, i);
        } catch (RespCommandException e) {
            throw new RespCommandException(RespErrors.TIMEOUT_NOT_INTEGER);
        }
        if (v < 0) {
            throw new RespCommandException(RespErrors.TIMEOUT_NEGATIVE);
        }
        return v;
    }
}
