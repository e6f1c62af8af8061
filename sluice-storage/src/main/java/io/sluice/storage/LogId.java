package io.sluice.storage;

import java.util.regex.Pattern;

/**
 * The identity of one partition log and its folder under the data directory: {@code tenant/namespace/stream-partition}.
 * Every component is restricted to a file-name-safe alphabet so the path is the name; callers that accept wider
 * names (AMQP queue names may hold any UTF-8) encode them first with {@link #encodeComponent}.
 */
public record LogId(String tenant, String namespace, String stream, int partition) {

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._~%+=-]{1,200}");

    public LogId {
        check(tenant);
        check(namespace);
        check(stream);
        if (partition < 0) {
            throw new IllegalArgumentException("negative partition " + partition);
        }
    }

    private static void check(String c) {
        if (c == null || !SAFE.matcher(c).matches() || c.equals(".") || c.equals("..")) {
            throw new IllegalArgumentException("not a file-name-safe log id component: '" + c + "'");
        }
    }

    /** The folder of this log relative to the data directory. */
    public String relativePath() {
        return tenant + "/" + namespace + "/" + stream + "-" + partition;
    }

    /** Percent-encodes every byte outside {@code [A-Za-z0-9._~=+-]} so any name becomes a safe component. */
    public static String encodeComponent(String name) {
        StringBuilder sb = new StringBuilder();
        for (byte b : name.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '~' || c == '=' || c == '+' || c == '-') {
                sb.append(c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit((c >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        String s = sb.toString();
        return s.isEmpty() || s.equals(".") || s.equals("..") ? "%" + s : s;
    }

    @Override
    public String toString() {
        return relativePath();
    }
}
