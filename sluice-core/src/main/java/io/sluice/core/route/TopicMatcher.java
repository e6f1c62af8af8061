package io.sluice.core.route;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A trie of dot-separated binding patterns, matched against routing keys: AMQP topic exchanges ({@code *} one word,
 * {@code #} zero or more words) and NATS subjects ({@code *} one token, {@code >} one or more trailing tokens) share it.
 * Matching walks only the branches a key can reach, so cost grows with the key's length and the wildcards on its
 * path, not with the number of bindings.
 *
 * <p>Not thread-safe: owners copy on write (routing tables are read far more often than changed).
 *
 * @param <T> what a pattern leads to (a binding, a subscription)
 */
public final class TopicMatcher<T> {
    private final String oneWord;
    private final String manyWords;
    private final boolean manyMayBeEmpty;
    private final Node<T> root = new Node<>();
    private int size;

    private TopicMatcher(String oneWord, String manyWords, boolean manyMayBeEmpty) {
        this.oneWord = oneWord;
        this.manyWords = manyWords;
        this.manyMayBeEmpty = manyMayBeEmpty;
    }

    /** AMQP topic exchange semantics: {@code *} and {@code #} (zero or more words). */
    public static <T> TopicMatcher<T> amqp() {
        return new TopicMatcher<>("*", "#", true);
    }

    /** NATS subject semantics: {@code *} and {@code >} (one or more trailing tokens). */
    public static <T> TopicMatcher<T> nats() {
        return new TopicMatcher<>("*", ">", false);
    }

    private static final class Node<T> {
        final Map<String, Node<T>> children = new HashMap<>(4);
        Node<T> one;
        Node<T> many;
        final List<T> values = new ArrayList<>(1);

        boolean isEmpty() {
            return children.isEmpty() && one == null && many == null && values.isEmpty();
        }
    }

    public void add(String pattern, T value) {
        Node<T> n = root;
        for (String w : split(pattern)) {
            if (w.equals(oneWord)) {
                n = n.one == null ? (n.one = new Node<>()) : n.one;
            } else if (w.equals(manyWords)) {
                n = n.many == null ? (n.many = new Node<>()) : n.many;
            } else {
                n = n.children.computeIfAbsent(w, k -> new Node<>());
            }
        }
        n.values.add(value);
        size++;
    }

    /** Removes one occurrence of {@code value} under {@code pattern}; returns whether it was there. */
    public boolean remove(String pattern, T value) {
        String[] words = split(pattern);
        boolean removed = remove(root, words, 0, value);
        if (removed) {
            size--;
        }
        return removed;
    }

    private boolean remove(Node<T> n, String[] words, int i, T value) {
        if (i == words.length) {
            return n.values.remove(value);
        }
        String w = words[i];
        Node<T> child = w.equals(oneWord) ? n.one : w.equals(manyWords) ? n.many : n.children.get(w);
        if (child == null || !remove(child, words, i + 1, value)) {
            return false;
        }
        if (child.isEmpty()) {
            if (w.equals(oneWord)) {
                n.one = null;
            } else if (w.equals(manyWords)) {
                n.many = null;
            } else {
                n.children.remove(w);
            }
        }
        return true;
    }

    public int size() {
        return size;
    }

    /** Calls {@code sink} for every value whose pattern matches {@code key} (a value may be reported more than once). */
    public void match(String key, Consumer<T> sink) {
        match(root, split(key), 0, sink);
    }

    public List<T> match(String key) {
        List<T> out = new ArrayList<>();
        match(key, out::add);
        return out;
    }

    public void addAllTo(Collection<T> out) {
        collect(root, out);
    }

    private void collect(Node<T> n, Collection<T> out) {
        out.addAll(n.values);
        n.children.values().forEach(c -> collect(c, out));
        if (n.one != null) {
            collect(n.one, out);
        }
        if (n.many != null) {
            collect(n.many, out);
        }
    }

    private void match(Node<T> n, String[] words, int i, Consumer<T> sink) {
        if (n.many != null) {
            // '#' / '>' swallows words i..j-1 for every j; '#' may also swallow none.
            for (int j = manyMayBeEmpty ? i : i + 1; j <= words.length; j++) {
                match(n.many, words, j, sink);
            }
        }
        if (i == words.length) {
            n.values.forEach(sink);
            return;
        }
        Node<T> c = n.children.get(words[i]);
        if (c != null) {
            match(c, words, i + 1, sink);
        }
        if (n.one != null) {
            match(n.one, words, i + 1, sink);
        }
    }

    /** Splits on '.', keeping empty words (AMQP routing keys "a..b" have an empty middle word). */
    static String[] split(String s) {
        if (s.isEmpty()) {
            return new String[] {""};
        }
        int count = 1;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '.') {
                count++;
            }
        }
        String[] out = new String[count];
        int start = 0;
        int k = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '.') {
                out[k++] = s.substring(start, i);
                start = i + 1;
            }
        }
        out[k] = s.substring(start);
        return out;
    }

    /**
     * Whether a single NATS pattern matches a subject: {@code *} matches one token, {@code >} one or more. Walks both
     * strings in place without splitting them, since it runs for every pattern subscription on every publish.
     */
    public static boolean natsMatches(String pattern, String subject) {
        int pn = pattern.length();
        int sn = subject.length();
        int pi = 0;
        int si = 0;
        while (true) {
            if (pi > pn) {
                return si > sn; // the pattern is used up: a match only if the subject is too
            }
            int pe = pattern.indexOf('.', pi);
            if (pe < 0) {
                pe = pn;
            }
            int len = pe - pi;
            if (len == 1 && pattern.charAt(pi) == '>') {
                return si <= sn; // at least one subject token left
            }
            if (si > sn) {
                return false;
            }
            int se = subject.indexOf('.', si);
            if (se < 0) {
                se = sn;
            }
            boolean star = len == 1 && pattern.charAt(pi) == '*';
            if (!star && (se - si != len || !pattern.regionMatches(pi, subject, si, len))) {
                return false;
            }
            pi = pe + 1;
            si = se + 1;
        }
    }
}
