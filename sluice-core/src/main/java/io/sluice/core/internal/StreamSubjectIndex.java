package io.sluice.core.internal;

import io.sluice.core.Scope;
import io.sluice.core.route.TopicMatcher;
import io.sluice.core.stream.StreamInfo;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Which stream captures a subject (NATS JetStream), answered in time proportional to the subject's tokens rather
 * than to the number of streams: literal subjects in a hash map, NATS wildcard patterns ({@code *}, {@code >}) in a
 * {@link TopicMatcher} trie per scope. Immutable once built: the stream service builds a new index on each change of
 * the stream set (rare) and publishes it through a volatile field, so the publish path reads it without locks (the
 * trie is only read after that safe publication).
 *
 * <p>When patterns overlap (JetStream forbids it; the core does not check), a literal match wins, then the most
 * specific pattern: compared token by token, a literal token before {@code *} before {@code >}.
 */
final class StreamSubjectIndex {

    static final StreamSubjectIndex EMPTY = new StreamSubjectIndex(Map.of());

    private record Captured(String pattern, StreamInfo stream) {
    }

    private record ScopeIndex(Map<String, StreamInfo> literal, TopicMatcher<Captured> patterns) {
    }

    private final Map<Scope, ScopeIndex> scopes;

    private StreamSubjectIndex(Map<Scope, ScopeIndex> scopes) {
        this.scopes = scopes;
    }

    static StreamSubjectIndex of(Collection<StreamInfo> streams) {
        Map<Scope, ScopeIndex> scopes = new HashMap<>();
        for (StreamInfo s : streams) {
            for (String pattern : s.subjects()) {
                ScopeIndex idx = scopes.computeIfAbsent(s.scope(),
                        k -> new ScopeIndex(new HashMap<>(), TopicMatcher.nats()));
                if (pattern.indexOf('*') < 0 && pattern.indexOf('>') < 0) {
                    idx.literal().putIfAbsent(pattern, s);
                } else {
                    idx.patterns().add(pattern, new Captured(pattern, s));
                }
            }
        }
        return scopes.isEmpty() ? EMPTY : new StreamSubjectIndex(scopes);
    }

    StreamInfo find(Scope scope, String subject) {
        ScopeIndex idx = scopes.get(scope);
        if (idx == null) {
            return null;
        }
        StreamInfo exact = idx.literal().get(subject);
        if (exact != null || idx.patterns().size() == 0) {
            return exact;
        }
        Captured[] best = new Captured[1];
        idx.patterns().match(subject, c -> {
            if (best[0] == null || moreSpecific(c.pattern(), best[0].pattern())) {
                best[0] = c;
            }
        });
        return best[0] == null ? null : best[0].stream();
    }

    /** Whether pattern {@code a} is more specific than {@code b}: at the first differing token, literal > * > '>'. */
    private static boolean moreSpecific(String a, String b) {
        String[] x = a.split("\\.", -1);
        String[] y = b.split("\\.", -1);
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int rx = rank(x[i]);
            int ry = rank(y[i]);
            if (rx != ry) {
                return rx < ry;
            }
        }
        return false;
    }

    private static int rank(String token) {
        return token.equals(">") ? 2 : token.equals("*") ? 1 : 0;
    }
}
