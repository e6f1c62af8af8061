package io.sluice.protocol.nats.session;

/**
 * Subject syntax checks, as nats-server applies them. Stateless.
 *
 * <p>A subject is a non-empty sequence of dot-separated non-empty tokens without whitespace. In a subscription, a
 * token may be {@code *} (one token) and the last token may be {@code >} (one or more tokens); a publish subject must
 * be literal.
 */
public final class NatsSubjects {

    private NatsSubjects() {
    }

    /** Whether {@code subject} is a valid subscription subject (wildcards allowed). */
    public static boolean isValidSubscription(String subject) {
        return check(subject, true);
    }

    /** Whether {@code subject} is a valid publish subject (no wildcards). */
    public static boolean isValidPublish(String subject) {
        return check(subject, false);
    }

    private static boolean check(String subject, boolean wildcards) {
        if (subject == null || subject.isEmpty()) {
            return false;
        }
        int tokenStart = 0;
        int n = subject.length();
        for (int i = 0; i <= n; i++) {
            if (i == n || subject.charAt(i) == '.') {
                int len = i - tokenStart;
                if (len == 0) {
                    return false;
                }
                if (len == 1) {
                    char c = subject.charAt(tokenStart);
                    if (c == '*' || c == '>') {
                        if (!wildcards || (c == '>' && i != n)) {
                            return false;
                        }
                    }
                }
                tokenStart = i + 1;
            } else {
                char c = subject.charAt(i);
                if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                    return false;
                }
            }
        }
        return true;
    }
}
