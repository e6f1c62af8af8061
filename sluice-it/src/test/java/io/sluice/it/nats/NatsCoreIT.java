package io.sluice.it.nats;

import io.nats.client.Connection;
import io.nats.client.JetStreamStatusException;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.sluice.testkit.EmbeddedSluice;
import io.sluice.testkit.SluiceExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Core NATS with the official Java client: subjects, wildcards, queue groups, request-reply, headers, UNSUB max. */
@Tag("it")
class NatsCoreIT {

    @RegisterExtension
    static final SluiceExtension SLUICE = new SluiceExtension(EmbeddedSluice.builder().set("log.durability", "os-cache"));

    private static Connection connect() throws Exception {
        return Nats.connect(options().build());
    }

    /** Generous timeouts: CI shares two cores between many JVMs. */
    static Options.Builder options() {
        return new Options.Builder().server(SLUICE.natsUrl()).noReconnect().connectionTimeout(Duration.ofSeconds(20));
    }

    private static String text(Message m) {
        return new String(m.getData(), StandardCharsets.UTF_8);
    }

    @Test
    void wildcardSubscriptionsReceiveMatchingSubjectsOnly() throws Exception {
        try (Connection sub = connect(); Connection pub = connect()) {
            Subscription star = sub.subscribe("orders.*");
            Subscription tail = sub.subscribe("orders.>");
            Subscription exact = sub.subscribe("orders.eu.new");
            sub.flush(Duration.ofSeconds(10));
            pub.publish("orders.us", "a".getBytes());
            pub.publish("orders.eu.new", "b".getBytes());
            pub.publish("other", "c".getBytes());
            pub.flush(Duration.ofSeconds(10));

            assertThat(text(tail.nextMessage(Duration.ofSeconds(10)))).isEqualTo("a");
            Message second = tail.nextMessage(Duration.ofSeconds(10));
            assertThat(second.getSubject()).isEqualTo("orders.eu.new");
            // Copies for one connection are written in order, so star's would already be there.
            assertThat(text(star.nextMessage(Duration.ofSeconds(10)))).isEqualTo("a");
            assertThat(star.nextMessage(Duration.ofMillis(200))).isNull();
            assertThat(text(exact.nextMessage(Duration.ofSeconds(10)))).isEqualTo("b");
        }
    }

    @Test
    void eachMessageGoesToOneMemberOfAQueueGroup() throws Exception {
        try (Connection a = connect(); Connection b = connect(); Connection pub = connect()) {
            Subscription qa = a.subscribe("work", "workers");
            Subscription qb = b.subscribe("work", "workers");
            Subscription all = pub.subscribe("work");
            a.flush(Duration.ofSeconds(10));
            b.flush(Duration.ofSeconds(10));
            int n = 200;
            for (int i = 0; i < n; i++) {
                pub.publish("work", Integer.toString(i).getBytes());
            }
            pub.flush(Duration.ofSeconds(10));
            for (int i = 0; i < n; i++) {
                assertThat(all.nextMessage(Duration.ofSeconds(10))).isNotNull();
            }
            Set<String> seen = new HashSet<>();
            List<String> dupes = new ArrayList<>();
            int fromA = drain(qa, seen, dupes);
            int fromB = drain(qb, seen, dupes);
            assertThat(dupes).isEmpty();
            assertThat(seen).hasSize(n);
            assertThat(fromA).isPositive();
            assertThat(fromB).isPositive();
        }
    }

    private static int drain(Subscription s, Set<String> seen, List<String> dupes) throws InterruptedException {
        int count = 0;
        Message m;
        while ((m = s.nextMessage(Duration.ofMillis(1000))) != null) {
            if (!seen.add(text(m))) {
                dupes.add(text(m));
            }
            count++;
        }
        return count;
    }

    @Test
    void requestReplyThroughInboxes() throws Exception {
        try (Connection responder = connect(); Connection requester = connect()) {
            responder.createDispatcher(m -> responder.publish(m.getReplyTo(), ("re:" + text(m)).getBytes()))
                    .subscribe("svc.echo");
            responder.flush(Duration.ofSeconds(10));
            Message reply = requester.request("svc.echo", "hi".getBytes(), Duration.ofSeconds(10));
            assertThat(text(reply)).isEqualTo("re:hi");
        }
    }

    @Test
    void requestWithoutRespondersFailsFast() throws Exception {
        try (Connection requester = Nats.connect(options().reportNoResponders().build())) {
            CompletableFuture<Message> f = requester.request("nobody.home", "x".getBytes());
            assertThatThrownBy(() -> f.get(30, java.util.concurrent.TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(JetStreamStatusException.class)
                    .satisfies(e -> assertThat(((JetStreamStatusException) e).getStatus().getCode()).isEqualTo(503));
        }
    }

    @Test
    void headersArriveIntact() throws Exception {
        try (Connection sub = connect(); Connection pub = connect()) {
            Subscription s = sub.subscribe("h.test");
            sub.flush(Duration.ofSeconds(10));
            Headers headers = new Headers().add("Trace-Id", "abc").add("Multi", "1", "2");
            pub.publish(NatsMessage.builder().subject("h.test").headers(headers).data("body").build());
            Message m = s.nextMessage(Duration.ofSeconds(10));
            assertThat(m.getHeaders().getFirst("Trace-Id")).isEqualTo("abc");
            assertThat(m.getHeaders().get("Multi")).containsExactly("1", "2");
            assertThat(text(m)).isEqualTo("body");
        }
    }

    @Test
    void unsubscribeAfterMaxMessages() throws Exception {
        try (Connection sub = connect(); Connection pub = connect()) {
            Subscription s = sub.subscribe("limited");
            s.unsubscribe(3);
            sub.flush(Duration.ofSeconds(10));
            for (int i = 0; i < 10; i++) {
                pub.publish("limited", Integer.toString(i).getBytes());
            }
            pub.flush(Duration.ofSeconds(10));
            List<String> got = new ArrayList<>();
            Message m;
            try {
                while ((m = s.nextMessage(Duration.ofMillis(2000))) != null) {
                    got.add(text(m));
                }
            } catch (IllegalStateException inactive) {
                // jnats deactivates the subscription itself once max is reached
            }
            assertThat(got).containsExactly("0", "1", "2");
        }
    }

    @Test
    void echoOffSuppressesOwnMessages() throws Exception {
        try (Connection c = Nats.connect(options().noEcho().build());
             Connection other = connect()) {
            Subscription own = c.subscribe("echo.test");
            Subscription theirs = other.subscribe("echo.test");
            c.flush(Duration.ofSeconds(10));
            other.flush(Duration.ofSeconds(10));
            c.publish("echo.test", "x".getBytes());
            c.flush(Duration.ofSeconds(10));
            assertThat(text(theirs.nextMessage(Duration.ofSeconds(10)))).isEqualTo("x");
            other.publish("echo.test", "y".getBytes());
            other.flush(Duration.ofSeconds(10));
            // Had "x" been echoed, it would have arrived first.
            assertThat(text(own.nextMessage(Duration.ofSeconds(10)))).isEqualTo("y");
        }
    }
}
