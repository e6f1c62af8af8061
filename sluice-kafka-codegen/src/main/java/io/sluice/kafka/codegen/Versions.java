package io.sluice.kafka.codegen;

/**
 * An inclusive range of message versions as written in the schemas: {@code "3+"}, {@code "0-2"}, {@code "5"} or
 * {@code "none"}. An open upper end is {@link Short#MAX_VALUE}; the empty range has {@code lowest > highest}.
 */
record Versions(short lowest, short highest) {

    static final Versions NONE = new Versions((short) 1, (short) 0);
    static final Versions ALL = new Versions((short) 0, Short.MAX_VALUE);

    static Versions parse(String text, Versions ifAbsent) {
        if (text == null) {
            return ifAbsent;
        }
        String s = text.trim();
        if (s.equals("none")) {
            return NONE;
        }
        if (s.endsWith("+")) {
            return new Versions(Short.parseShort(s.substring(0, s.length() - 1)), Short.MAX_VALUE);
        }
        int dash = s.indexOf('-');
        if (dash > 0) {
            return new Versions(Short.parseShort(s.substring(0, dash)), Short.parseShort(s.substring(dash + 1)));
        }
        short v = Short.parseShort(s);
        return new Versions(v, v);
    }

    boolean isEmpty() {
        return lowest > highest;
    }

    boolean contains(int v) {
        return v >= lowest && v <= highest;
    }

    boolean containsAll(Versions other) {
        return other.isEmpty() || (contains(other.lowest) && contains(other.highest));
    }

    Versions intersect(Versions other) {
        short lo = (short) Math.max(lowest, other.lowest);
        short hi = (short) Math.min(highest, other.highest);
        return lo > hi ? NONE : new Versions(lo, hi);
    }

    /**
     * A Java boolean expression testing whether {@code var} is in this range, simplified against the versions the
     * enclosing message can have at all ({@code valid}).
     */
    String test(String var, Versions valid) {
        Versions r = intersect(valid);
        if (r.isEmpty()) {
            return "false";
        }
        boolean lowOk = r.lowest <= valid.lowest;
        boolean highOk = r.highest >= valid.highest;
        if (lowOk && highOk) {
            return "true";
        }
        if (lowOk) {
            return var + " <= " + r.highest;
        }
        if (highOk) {
            return var + " >= " + r.lowest;
        }
        return "(" + var + " >= " + r.lowest + " && " + var + " <= " + r.highest + ")";
    }

    @Override
    public String toString() {
        if (isEmpty()) {
            return "none";
        }
        return highest == Short.MAX_VALUE ? lowest + "+" : lowest == highest ? Short.toString(lowest) : lowest + "-" + highest;
    }
}
