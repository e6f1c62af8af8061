package io.sluice.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.Scope;
import io.sluice.core.route.TopicMatcher;
import io.sluice.core.stream.StreamInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StreamSubjectIndexTest {

    private static final String[] TOKENS = {"a", "b", "c", "*", ">"};

    private static StreamInfo stream(Scope scope, String name, String... subjects) {
        return new StreamInfo(scope, name, UUID.randomUUID(), 1, Map.of(), List.of(subjects), StreamInfo.Kind.STREAM, 0);
    }

    @Test
    void findsLiteralStarAndTailPatternsPerScope() {
        Scope other = new Scope("t2", "default");
        StreamSubjectIndex idx = StreamSubjectIndex.of(List.of(
                stream(Scope.DEFAULT, "ORDERS", "orders.>"),
                stream(Scope.DEFAULT, "EU", "eu.*.created", "eu"),
                stream(other, "OTHER", "orders.new")));
        assertThat(idx.find(Scope.DEFAULT, "orders.new").name()).isEqualTo("ORDERS");
        assertThat(idx.find(Scope.DEFAULT, "orders.a.b.c").name()).isEqualTo("ORDERS");
        assertThat(idx.find(Scope.DEFAULT, "orders")).isNull();
        assertThat(idx.find(Scope.DEFAULT, "eu.x.created").name()).isEqualTo("EU");
        assertThat(idx.find(Scope.DEFAULT, "eu").name()).isEqualTo("EU");
        assertThat(idx.find(Scope.DEFAULT, "eu.x.created.y")).isNull();
        assertThat(idx.find(other, "orders.new").name()).isEqualTo("OTHER");
        assertThat(idx.find(other, "orders.old")).isNull();
    }

    /** Against the linear scan it replaces: a subject is captured exactly when some pattern matches it. */
    @Test
    void agreesWithMatchingEveryPattern() {
        Random random = new Random(42);
        for (int round = 0; round < 300; round++) {
            List<StreamInfo> streams = new ArrayList<>();
            for (int i = 0; i < 1 + random.nextInt(6); i++) {
                streams.add(stream(Scope.DEFAULT, "S" + i, subject(random, true)));
            }
            StreamSubjectIndex idx = StreamSubjectIndex.of(streams);
            for (int j = 0; j < 30; j++) {
                String subject = subject(random, false);
                StreamInfo found = idx.find(Scope.DEFAULT, subject);
                boolean anyMatches = streams.stream().anyMatch(s -> TopicMatcher.natsMatches(s.subjects().get(0), subject));
                assertThat(found != null).as("%s in %s", subject, streams).isEqualTo(anyMatches);
                if (found != null) {
                    assertThat(TopicMatcher.natsMatches(found.subjects().get(0), subject)).isTrue();
                }
            }
        }
    }

    private static String subject(Random random, boolean pattern) {
        int n = 1 + random.nextInt(4);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String t = TOKENS[random.nextInt(pattern ? TOKENS.length : 3)];
            if (t.equals(">") && i < n - 1) {
                t = "*";
            }
            sb.append(i == 0 ? "" : ".").append(t);
        }
        return sb.toString();
    }
}
