package io.sluice.protocol.nats.session;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NatsSubjectsTest {

    @Test
    void validatesSubscriptionAndPublishSubjects() {
        assertThat(NatsSubjects.isValidSubscription("a.*.c")).isTrue();
        assertThat(NatsSubjects.isValidSubscription("a.>")).isTrue();
        assertThat(NatsSubjects.isValidSubscription(">")).isTrue();
        assertThat(NatsSubjects.isValidSubscription("a.>.c")).isFalse();
        assertThat(NatsSubjects.isValidSubscription("a..b")).isFalse();
        assertThat(NatsSubjects.isValidSubscription("a.")).isFalse();
        assertThat(NatsSubjects.isValidSubscription("")).isFalse();
        assertThat(NatsSubjects.isValidPublish("a.b")).isTrue();
        assertThat(NatsSubjects.isValidPublish("a.*")).isFalse();
        assertThat(NatsSubjects.isValidPublish("a b")).isFalse();
        assertThat(NatsSubjects.isValidPublish("a.b*")).isTrue();
    }

    @Test
    void matchesWildcards() {
        assertThat(NatsSubjectMatch.matches("a.*", "a.b")).isTrue();
        assertThat(NatsSubjectMatch.matches("a.*", "a.b.c")).isFalse();
        assertThat(NatsSubjectMatch.matches("a.>", "a.b.c")).isTrue();
        assertThat(NatsSubjectMatch.matches("a.>", "a")).isFalse();
        assertThat(NatsSubjectMatch.matches("*.b", "a.b")).isTrue();
        assertThat(NatsSubjectMatch.matches("a.b", "a.b")).isTrue();
        assertThat(NatsSubjectMatch.matches("a.b", "a.bc")).isFalse();
        assertThat(NatsSubjectMatch.matches("_INBOX.abc.*", "_INBOX.abc.7")).isTrue();
    }

    @Property(tries = 200)
    void aLiteralSubjectMatchesItselfAndItsWildcardForms(
            @ForAll @Size(min = 1, max = 5) List<@AlphaChars @StringLength(min = 1, max = 4) String> tokens) {
        String subject = String.join(".", tokens);
        assertThat(NatsSubjectMatch.matches(subject, subject)).isTrue();
        assertThat(NatsSubjectMatch.matches(">", subject)).isTrue();
        String star = String.join(".", tokens.stream().map(t -> "*").toList());
        assertThat(NatsSubjectMatch.matches(star, subject)).isTrue();
        assertThat(NatsJsStreams.overlap(star, subject)).isTrue();
        assertThat(NatsJsStreams.overlap(subject + ".x", subject)).isFalse();
    }

    @Test
    void streamSubjectsOverlap() {
        assertThat(NatsJsStreams.overlap("orders.*", "orders.new")).isTrue();
        assertThat(NatsJsStreams.overlap("orders.>", "orders")).isFalse();
        assertThat(NatsJsStreams.overlap("orders.>", "*.eu.x")).isTrue();
        assertThat(NatsJsStreams.overlap("a.b", "a.c")).isFalse();
    }

    @Test
    void ackSubjectRoundTrips() {
        NatsAckSubject a = new NatsAckSubject("S", "C", 2, 10, 11, 1_700_000_000_000_000_000L, 3);
        assertThat(a.format()).isEqualTo("$JS.ACK.S.C.2.10.11.1700000000000000000.3");
        assertThat(NatsAckSubject.parse(a.format())).isEqualTo(a);
        assertThat(NatsAckSubject.parse("$JS.ACK.S.C.x.10.11.1.3")).isNull();
        assertThat(NatsAckSubject.parse("foo")).isNull();
    }

    @Test
    void nakDelayIsReadFromJsonOrNanos() {
        assertThat(NatsJsConsumers.nakDelayMs("")).isZero();
        assertThat(NatsJsConsumers.nakDelayMs("{\"delay\":2000000000}")).isEqualTo(2000);
        assertThat(NatsJsConsumers.nakDelayMs("5000000")).isEqualTo(5);
        assertThat(NatsJsConsumers.nakDelayMs("junk")).isZero();
    }
}
