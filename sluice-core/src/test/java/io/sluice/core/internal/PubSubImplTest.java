package io.sluice.core.internal;

import io.sluice.core.CallContext;
import io.sluice.core.Message;
import io.sluice.core.Principal;
import io.sluice.core.Scope;
import io.sluice.core.pubsub.PatternSyntax;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PubSubImplTest {

    private final PubSubImpl pubsub = new PubSubImpl();
    private final CallContext ctx = CallContext.DEFAULT;
    private final List<String> got = new ArrayList<>();

    private AutoCloseable sub(String name, String pattern, PatternSyntax syntax, String group) {
        return pubsub.subscribe(ctx, pattern, syntax, group, (subject, m) -> got.add(name + ":" + subject));
    }

    private int publish(String subject) {
        return pubsub.publish(ctx, subject, Message.of(subject, new byte[0]));
    }

    @Test
    void exactWildcardAndGlobSubscriptionsEachGetAMatchingMessageOnce() {
        sub("exact", "orders.eu.new", PatternSyntax.EXACT, null);
        sub("star", "orders.*.new", PatternSyntax.NATS, null);
        sub("tail", "orders.>", PatternSyntax.NATS, null);
        sub("other", "billing.>", PatternSyntax.NATS, null);
        sub("glob", "orders.e?.*", PatternSyntax.GLOB, null);

        assertThat(publish("orders.eu.new")).isEqualTo(4);
        assertThat(got).containsExactlyInAnyOrder("exact:orders.eu.new", "star:orders.eu.new", "tail:orders.eu.new",
                "glob:orders.eu.new");

        got.clear();
        // '>' needs at least one more token; '*' exactly one
        assertThat(publish("orders")).isZero();
        assertThat(publish("orders.us.new.x")).isEqualTo(1);
        assertThat(got).containsExactly("tail:orders.us.new.x");
        assertThat(pubsub.hasSubscribers(ctx, "billing.x")).isTrue();
        assertThat(pubsub.hasSubscribers(ctx, "shipping.x")).isFalse();
    }

    @Test
    void unsubscribedWildcardsNoLongerMatchAndScopesAreSeparate() throws Exception {
        AutoCloseable a = sub("a", "x.*", PatternSyntax.NATS, null);
        sub("b", "x.>", PatternSyntax.NATS, null);
        a.close();
        assertThat(publish("x.y")).isEqualTo(1);
        assertThat(got).containsExactly("b:x.y");

        CallContext other = new CallContext(Principal.ANONYMOUS, new Scope("t2", "ns"));
        assertThat(pubsub.publish(other, "x.y", Message.of("x.y", new byte[0]))).isZero();
        assertThat(pubsub.hasSubscribers(other, "x.y")).isFalse();
    }

    @Test
    void oneMemberOfAQueueGroupGetsEachMessageWhateverTheMembersPatterns() {
        sub("g1", "jobs.*", PatternSyntax.NATS, "workers");
        sub("g2", "jobs.>", PatternSyntax.NATS, "workers");
        sub("g3", "jobs.run", PatternSyntax.EXACT, "workers");
        sub("solo", "jobs.*", PatternSyntax.NATS, null);

        for (int i = 0; i < 50; i++) {
            assertThat(publish("jobs.run")).isEqualTo(2);
        }
        assertThat(got).filteredOn(s -> s.startsWith("solo:")).hasSize(50);
        assertThat(got).filteredOn(s -> s.startsWith("g")).hasSize(50);
    }
}
