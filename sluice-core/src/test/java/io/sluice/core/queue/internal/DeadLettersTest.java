package io.sluice.core.queue.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.Message;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RabbitMQ's dead-letter cycle rule over the x-death history that {@link DeadLetters#annotate} writes. */
class DeadLettersTest {

    private static Message died(Message m, String queue, String reason) {
        return DeadLetters.annotate(m, queue, reason, 1_000);
    }

    private static final Message FRESH = Message.of("rk", "body".getBytes(StandardCharsets.UTF_8));

    @Test
    void expiringIntoItselfIsACycle() {
        List<Map<String, Object>> deaths = DeadLetters.deaths(died(FRESH, "a", "expired"));
        assertThat(DeadLetters.cycles(deaths, "a")).isTrue();
        assertThat(DeadLetters.cycles(deaths, "b")).isFalse();
    }

    @Test
    void aLoopOfExpiriesThroughTwoQueuesIsACycleAtTheFirstQueue() {
        Message m = died(died(FRESH, "a", "expired"), "b", "maxlen");
        List<Map<String, Object>> deaths = DeadLetters.deaths(m);
        assertThat(DeadLetters.cycles(deaths, "a")).isTrue();
        assertThat(DeadLetters.cycles(deaths, "witness")).isFalse();
    }

    @Test
    void aRejectionAnywhereInTheLoopBreaksTheCycle() {
        // work -(rejected)-> retry -(expired)-> work: a consumer decided, so the retry loop goes on
        Message m = died(died(FRESH, "work", "rejected"), "retry", "expired");
        assertThat(DeadLetters.cycles(DeadLetters.deaths(m), "work")).isFalse();
        // rejected into itself
        assertThat(DeadLetters.cycles(DeadLetters.deaths(died(FRESH, "q", "rejected")), "q")).isFalse();
    }

    @Test
    void aRejectionOlderThanTheLoopDoesNotBreakIt() {
        // rejected in "start" long ago, then a and b expire into each other
        Message m = died(died(died(FRESH, "start", "rejected"), "a", "expired"), "b", "expired");
        assertThat(DeadLetters.cycles(DeadLetters.deaths(m), "a")).isTrue();
        assertThat(DeadLetters.cycles(DeadLetters.deaths(m), "start")).isFalse();
    }
}
