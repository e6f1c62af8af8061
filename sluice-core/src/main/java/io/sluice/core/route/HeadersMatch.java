package io.sluice.core.route;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * RabbitMQ's headers-exchange match: the binding's {@code x-match} is {@code all} (default), {@code any},
 * {@code all-with-x} or {@code any-with-x}; binding arguments starting with {@code x-} take part only in the
 * {@code -with-x} forms; a binding value of null (AMQP void) matches on the header's presence alone. Values compare
 * by meaning across the types a round trip through JSON may change (numbers by value, byte arrays as UTF-8 text).
 */
public final class HeadersMatch {
    private HeadersMatch() {
    }

    public static boolean matches(Map<String, Object> bindingArgs, Map<String, Object> headers) {
        Object mode = bindingArgs.get("x-match");
        String m = mode == null ? "all" : text(mode);
        boolean any = m.startsWith("any");
        boolean withX = m.endsWith("-with-x");
        for (Map.Entry<String, Object> e : bindingArgs.entrySet()) {
            String k = e.getKey();
            if (k.equals("x-match") || (!withX && k.startsWith("x-"))) {
                continue;
            }
            boolean present = headers.containsKey(k);
            boolean ok = present && (e.getValue() == null || same(e.getValue(), headers.get(k)));
            if (any && ok) {
                return true;
            }
            if (!any && !ok) {
                return false;
            }
        }
        // all: every candidate matched (vacuously true with none); any: none did.
        return !any;
    }

    private static String text(Object o) {
        return o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(o);
    }

    static boolean same(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a instanceof Number x && b instanceof Number y) {
            if (isIntegral(x) && isIntegral(y)) {
                return x.longValue() == y.longValue();
            }
            return x.doubleValue() == y.doubleValue();
        }
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        if (a instanceof byte[] || b instanceof byte[] || a instanceof CharSequence || b instanceof CharSequence) {
            return text(a).equals(text(b));
        }
        return a.equals(b);
    }

    private static boolean isIntegral(Number n) {
        return n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte;
    }
}
