package io.sluice.protocol.nats.session;

import io.sluice.core.route.TopicMatcher;

/**
 * Matches a literal subject against a subscription pattern ({@code *} one token, trailing {@code >} one or more).
 * Stateless. Used for the deliveries that bypass the core's routing (see {@link NatsSession#deliverLocally}) and for
 * consumer filter subjects; the core's matcher, so both agree.
 */
final class NatsSubjectMatch {

    private NatsSubjectMatch() {
    }

    static boolean matches(String pattern, String subject) {
        return TopicMatcher.natsMatches(pattern, subject);
    }
}
