package io.sluice.protocol.nats.session;

/**
 * Matches a literal subject against a subscription pattern ({@code *} one token, trailing {@code >} one or more).
 * Stateless. Used for the few deliveries that bypass the core's routing (see {@link NatsSession#deliverLocally}).
 */
final class NatsSubjectMatch {

    private NatsSubjectMatch() {
    }

    static boolean matches(String pattern, String subject) {
        String[] pt = pattern.split("\\.", -1);
        String[] st = subject.split("\\.", -1);
        for (int i = 0; i < pt.length; i++) {
            if (pt[i].equals(">")) {
                return st.length > i;
            }
            if (i >= st.length || !(pt[i].equals("*") || pt[i].equals(st[i]))) {
                return false;
            }
        }
        return pt.length == st.length;
    }
}
