package io.sluice.core.internal;

import io.sluice.core.Scope;
import io.sluice.core.stream.StreamInfo;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Which stream captures a subject (NATS JetStream), answered in time proportional to the subject's tokens rather
 * than to the number of streams: literal subjects in a hash map, NATS wildcard patterns ({@code *}, {@code >}) in a
 * token trie. Immutable: the stream service builds a new index on each change of the stream set (rare) and publishes
 * it through a volatile field, so the publish path reads it without locks.
 *
 * <p>When patterns overlap (JetStream forbids it; the core does not check), a literal match wins, then the pattern
 * found first in a depth-first walk that tries a literal token before {@code *} before {@code >}.
 */
final class StreamSubjectIndex {

    static final StreamSubjectIndex EMPTY = new StreamSubjectIndex(Map.of());

    private static final class Node {
        final Map<String, Node> children = new HashMap<>();
        Node star;
        StreamInfo tail; // a pattern ending in '>' at this depth
        StreamInfo end;  // a pattern ending exactly here
    }

    private record ScopeIndex(Map<String, StreamInfo> literal, Node root) {
    }

    private final Map<Scope, ScopeIndex> scopes;

    private StreamSubjectIndex(Map<Scope, ScopeIndex> scopes) {
        this.scopes = scopes;
    }

    static StreamSubjectIndex of(Collection<StreamInfo> streams) {
        Map<Scope, ScopeIndex> scopes = new HashMap<>();
        for (StreamInfo s : streams) {
            for (String pattern : s.subjects()) {
                ScopeIndex idx = scopes.computeIfAbsent(s.scope(), k -> new ScopeIndex(new HashMap<>(), new Node()));
                if (pattern.indexOf('*') < 0 && pattern.indexOf('>') < 0) {
                    idx.literal().putIfAbsent(pattern, s);
                    continue;
                }
                Node n = idx.root();
                String[] tokens = pattern.split("\\.", -1);
                for (int i = 0; i < tokens.length; i++) {
                    String t = tokens[i];
                    if (t.equals(">") && i == tokens.length - 1) {
                        if (n.tail == null) {
                            n.tail = s;
                        }
                        n = null;
                        break;
                    }
                    if (t.equals("*")) {
                        n = n.star == null ? (n.star = new Node()) : n.star;
                    } else {
                        n = n.children.computeIfAbsent(t, k -> new Node());
                    }
                }
                if (n != null && n.end == null) {
                    n.end = s;
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
        if (exact != null) {
            return exact;
        }
        return idx.root().children.isEmpty() && idx.root().star == null && idx.root().tail == null
                ? null : walk(idx.root(), subject, 0);
    }

    /** Matches the subject from {@code from} (the start of a token) against the trie below {@code n}. */
    private static StreamInfo walk(Node n, String subject, int from) {
        int dot = subject.indexOf('.', from);
        int to = dot < 0 ? subject.length() : dot;
        boolean last = dot < 0;
        Node child = n.children.isEmpty() ? null : n.children.get(subject.substring(from, to));
        StreamInfo found = step(child, subject, to, last);
        if (found == null) {
            found = step(n.star, subject, to, last);
        }
        return found != null ? found : n.tail;
    }

    private static StreamInfo step(Node child, String subject, int to, boolean last) {
        if (child == null) {
            return null;
        }
        return last ? child.end : walk(child, subject, to + 1);
    }
}
