package io.sluice.core.internal;

import io.sluice.core.CallContext;
import io.sluice.core.Message;
import io.sluice.core.Scope;
import io.sluice.core.pubsub.PatternSyntax;
import io.sluice.core.pubsub.PubSub;
import io.sluice.core.pubsub.TransientListener;
import io.sluice.core.route.GlobMatcher;
import io.sluice.core.route.TopicMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.StampedLock;

/**
 * Transient publish/subscribe. Per scope: exact subjects in a concurrent map of immutable arrays (copy on write,
 * read without locks); NATS wildcard patterns in a {@link TopicMatcher} trie, so a publish costs the subject's
 * length and the wildcards on its path rather than the number of subscriptions (the trie is not thread-safe:
 * publishers match under the read side of a {@link StampedLock}, optimistically first, and subscribe/unsubscribe
 * take the write side); Redis glob patterns, which a trie cannot index, in one immutable array scanned per publish.
 * Queue groups: among the matching members of one group, one is picked at random (as nats-server does).
 */
public final class PubSubImpl implements PubSub {

    private static final class Sub {
        final String pattern;
        final PatternSyntax syntax;
        final String queueGroup;
        final TransientListener listener;

        Sub(String pattern, PatternSyntax syntax, String queueGroup, TransientListener listener) {
            this.pattern = pattern;
            this.syntax = syntax;
            this.queueGroup = queueGroup;
            this.listener = listener;
        }

        boolean matches(String subject) {
            return switch (syntax) {
                case EXACT -> pattern.equals(subject);
                case NATS -> TopicMatcher.natsMatches(pattern, subject);
                case GLOB -> GlobMatcher.matches(pattern, subject);
            };
        }
    }

    private static final Sub[] NONE = new Sub[0];

    private static final class Registry {
        final ConcurrentHashMap<String, Sub[]> exact = new ConcurrentHashMap<>();
        final TopicMatcher<Sub> wildcards = TopicMatcher.nats();
        final StampedLock wildcardLock = new StampedLock();
        volatile int wildcardCount;
        volatile Sub[] globs = NONE;

        /** The NATS wildcard subscriptions matching {@code subject}, appended to {@code out}. */
        void matchWildcards(String subject, List<Sub> out) {
            if (wildcardCount == 0) {
                return;
            }
            long stamp = wildcardLock.readLock();
            try {
                wildcards.match(subject, out::add);
            } finally {
                wildcardLock.unlockRead(stamp);
            }
        }
    }

    private final Map<Scope, Registry> registries = new ConcurrentHashMap<>();

    private static boolean isPattern(String pattern, PatternSyntax syntax) {
        return switch (syntax) {
            case EXACT -> false;
            case NATS -> Arrays.stream(pattern.split("\\.", -1)).anyMatch(t -> t.equals("*") || t.equals(">"));
            case GLOB -> pattern.indexOf('*') >= 0 || pattern.indexOf('?') >= 0 || pattern.indexOf('[') >= 0
                    || pattern.indexOf('\\') >= 0;
        };
    }

    @Override
    public AutoCloseable subscribe(CallContext ctx, String pattern, PatternSyntax syntax, String queueGroup,
                                   TransientListener listener) {
        Registry r = registries.computeIfAbsent(ctx.scope(), s -> new Registry());
        Sub sub = new Sub(pattern, syntax, queueGroup, listener);
        if (isPattern(pattern, syntax) && syntax == PatternSyntax.NATS) {
            long stamp = r.wildcardLock.writeLock();
            try {
                r.wildcards.add(pattern, sub);
                r.wildcardCount = r.wildcards.size();
            } finally {
                r.wildcardLock.unlockWrite(stamp);
            }
            return () -> {
                long st = r.wildcardLock.writeLock();
                try {
                    r.wildcards.remove(pattern, sub);
                    r.wildcardCount = r.wildcards.size();
                } finally {
                    r.wildcardLock.unlockWrite(st);
                }
            };
        }
        if (isPattern(pattern, syntax)) {
            synchronized (r) {
                Sub[] next = Arrays.copyOf(r.globs, r.globs.length + 1);
                next[next.length - 1] = sub;
                r.globs = next;
            }
            return () -> {
                synchronized (r) {
                    r.globs = without(r.globs, sub);
                }
            };
        }
        r.exact.merge(pattern, new Sub[] {sub}, (a, b) -> {
            Sub[] next = Arrays.copyOf(a, a.length + 1);
            next[a.length] = sub;
            return next;
        });
        return () -> r.exact.computeIfPresent(pattern, (k, a) -> {
            Sub[] next = without(a, sub);
            return next.length == 0 ? null : next;
        });
    }

    private static Sub[] without(Sub[] subs, Sub sub) {
        List<Sub> out = new ArrayList<>(subs.length);
        for (Sub s : subs) {
            if (s != sub) {
                out.add(s);
            }
        }
        return out.toArray(NONE);
    }

    @Override
    public int publish(CallContext ctx, String subject, Message message) {
        Registry r = registries.get(ctx.scope());
        if (r == null) {
            return 0;
        }
        Sub[] exact = r.exact.getOrDefault(subject, NONE);
        Sub[] globs = r.globs;
        // Fast path: no queue groups among exact matches and no patterns.
        if (globs.length == 0 && r.wildcardCount == 0 && !hasGroups(exact)) {
            for (Sub s : exact) {
                s.listener.onMessage(subject, message);
            }
            return exact.length;
        }
        int delivered = 0;
        Map<String, List<Sub>> groups = null;
        for (Sub s : exact) {
            if (s.queueGroup == null) {
                s.listener.onMessage(subject, message);
                delivered++;
            } else {
                groups = addToGroup(groups, s);
            }
        }
        List<Sub> matched = new ArrayList<>();
        r.matchWildcards(subject, matched);
        for (Sub s : globs) {
            if (s.matches(subject)) {
                matched.add(s);
            }
        }
        for (Sub s : matched) {
            if (s.queueGroup == null) {
                s.listener.onMessage(subject, message);
                delivered++;
            } else {
                groups = addToGroup(groups, s);
            }
        }
        if (groups != null) {
            for (List<Sub> members : groups.values()) {
                members.get(ThreadLocalRandom.current().nextInt(members.size())).listener.onMessage(subject, message);
                delivered++;
            }
        }
        return delivered;
    }

    private static Map<String, List<Sub>> addToGroup(Map<String, List<Sub>> groups, Sub s) {
        Map<String, List<Sub>> g = groups == null ? new HashMap<>() : groups;
        g.computeIfAbsent(s.queueGroup, k -> new ArrayList<>(2)).add(s);
        return g;
    }

    private static boolean hasGroups(Sub[] subs) {
        for (Sub s : subs) {
            if (s.queueGroup != null) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean hasSubscribers(CallContext ctx, String subject) {
        Registry r = registries.get(ctx.scope());
        if (r == null) {
            return false;
        }
        if (r.exact.containsKey(subject)) {
            return true;
        }
        List<Sub> matched = new ArrayList<>(1);
        r.matchWildcards(subject, matched);
        if (!matched.isEmpty()) {
            return true;
        }
        for (Sub s : r.globs) {
            if (s.matches(subject)) {
                return true;
            }
        }
        return false;
    }
}
