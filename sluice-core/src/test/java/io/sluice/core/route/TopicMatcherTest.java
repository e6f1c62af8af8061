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
}
