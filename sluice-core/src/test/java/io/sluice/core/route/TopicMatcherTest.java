package io.sluice.core.route;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicMatcherTest {

    @Test
    void amqpTopicWildcards() {
        TopicMatcher<String> m = TopicMatcher.amqp();
        m.add("stock.*.nyse", "a");
        m.add("stock.#", "b");
        m.add("#", "c");
        m.add("*.usd.#", "d");
        m.add("stock.usd.nyse", "e");
        assertThat(m.match("stock.usd.nyse")).containsExactlyInAnyOrder("a", "b", "c", "d", "e");
        assertThat(m.match("stock")).containsExactlyInAnyOrder("b", "c");
        assertThat(m.match("bond.usd")).containsExactlyInAnyOrder("c", "d");
        assertThat(m.match("")).containsExactly("c");
        assertThat(m.remove("#", "c")).isTrue();
        assertThat(m.match("bond.eur")).isEmpty();
        assertThat(m.size()).isEqualTo(4);
    }

    @Test
    void natsWildcardsNeedAtLeastOneTokenForGreaterThan() {
        TopicMatcher<String> m = TopicMatcher.nats();
        m.add("foo.>", "gt");
        m.add("foo.*", "star");
        assertThat(m.match("foo")).isEmpty();
        assertThat(m.match("foo.bar")).containsExactlyInAnyOrder("gt", "star");
        assertThat(m.match("foo.bar.baz")).containsExactly("gt");
        assertThat(TopicMatcher.natsMatches("foo.>", "foo")).isFalse();
        assertThat(TopicMatcher.natsMatches("foo.*.baz", "foo.x.baz")).isTrue();
        assertThat(TopicMatcher.natsMatches("foo.*.baz", "foo.x.y")).isFalse();
    }

    @Test
    void globPatterns() {
        assertThat(GlobMatcher.matches("news.*", "news.sport")).isTrue();
        assertThat(GlobMatcher.matches("h?llo", "hallo")).isTrue();
        assertThat(GlobMatcher.matches("h[ae]llo", "hillo")).isFalse();
        assertThat(GlobMatcher.matches("h[^e]llo", "hallo")).isTrue();
        assertThat(GlobMatcher.matches("h[a-c]llo", "hbllo")).isTrue();
        assertThat(GlobMatcher.matches("a\\*b", "a*b")).isTrue();
        assertThat(GlobMatcher.matches("a\\*b", "axb")).isFalse();
    }

    @Test
    void headersMatching() {
        var all = java.util.Map.<String, Object>of("x-match", "all", "format", "pdf", "type", "report");
        var any = java.util.Map.<String, Object>of("x-match", "any", "format", "pdf", "type", "report");
        assertThat(HeadersMatch.matches(all, java.util.Map.of("format", "pdf", "type", "report"))).isTrue();
        assertThat(HeadersMatch.matches(all, java.util.Map.of("format", "pdf"))).isFalse();
        assertThat(HeadersMatch.matches(any, java.util.Map.of("format", "pdf"))).isTrue();
        assertThat(HeadersMatch.matches(any, java.util.Map.of("format", "doc"))).isFalse();
        assertThat(HeadersMatch.matches(java.util.Map.of("n", 5), java.util.Map.of("n", 5L))).isTrue();
    }

    /** The in-place walk agrees with matching token arrays, including empty tokens and mid-pattern {@code >}. */
    @Test
    void natsMatchesAgreesWithTokenByTokenMatching() {
        String[] tokens = {"a", "b", "", "*", ">", "ab"};
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 20_000; i++) {
            String pattern = join(random, tokens, tokens.length);
            String subject = join(random, tokens, 3);
            assertThat(TopicMatcher.natsMatches(pattern, subject)).as("%s ~ %s", pattern, subject)
                    .isEqualTo(byTokens(pattern.split("\\.", -1), subject.split("\\.", -1)));
        }
    }

    private static String join(java.util.Random random, String[] tokens, int bound) {
        StringBuilder sb = new StringBuilder();
        int n = 1 + random.nextInt(4);
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ".").append(tokens[random.nextInt(bound)]);
        }
        return sb.toString();
    }

    private static boolean byTokens(String[] p, String[] s) {
        for (int i = 0; i < p.length; i++) {
            if (p[i].equals(">")) {
                return s.length > i;
            }
            if (i >= s.length || !(p[i].equals("*") || p[i].equals(s[i]))) {
                return false;
            }
        }
        return p.length == s.length;
    }
}
