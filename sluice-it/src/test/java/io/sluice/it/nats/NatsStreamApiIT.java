package io.sluice.it.nats;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.nats.client.impl.Headers;
import io.sluice.testkit.EmbeddedSluice;
import io.sluice.testkit.SluiceExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * JetStream stream management beyond create/delete with the official Java client: stream update, message get by
 * sequence and by subject (API and direct), and {@code Nats-Msg-Id} de-duplication across a broker restart.
 */
@Tag("it")
class NatsStreamApiIT {

    @RegisterExtension
    static final SluiceExtension SLUICE = new SluiceExtension(EmbeddedSluice.builder().set("log.durability", "os-cache"));

    private static Connection connect() throws Exception {
        return Nats.connect(new Options.Builder().server(SLUICE.natsUrl()).noReconnect()
                .connectionTimeout(Duration.ofSeconds(20)).build());
    }

    private static JetStreamOptions jsOptions() {
        return JetStreamOptions.builder().requestTimeout(Duration.ofSeconds(20)).build();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void updateChangesSubjectsAndLimitsButNotStorage() throws Exception {
        try (Connection nc = connect()) {
            JetStreamManagement jsm = nc.jetStreamManagement(jsOptions());
            JetStream js = nc.jetStream(jsOptions());
            jsm.addStream(StreamConfiguration.builder().name("UPD").subjects("upd.a").build());
            jsm.addStream(StreamConfiguration.builder().name("UPDOTHER").subjects("other.>").build());
            js.publish("upd.a", bytes("one"));

            StreamInfo updated = jsm.updateStream(StreamConfiguration.builder().name("UPD").subjects("upd.a", "upd.b")
                    .maxAge(Duration.ofHours(1)).duplicateWindow(Duration.ofSeconds(30)).build());
            assertThat(updated.getConfiguration().getSubjects()).containsExactly("upd.a", "upd.b");
            assertThat(updated.getConfiguration().getMaxAge()).isEqualTo(Duration.ofHours(1));
            assertThat(js.publish("upd.b", bytes("two")).getSeqno()).isEqualTo(2);
            assertThat(jsm.getStreamInfo("UPD").getConfiguration().getDuplicateWindow()).isEqualTo(Duration.ofSeconds(30));

            // Dropping a subject stops its capture.
            jsm.updateStream(StreamConfiguration.builder().name("UPD").subjects("upd.b").maxAge(Duration.ofHours(1))
                    .duplicateWindow(Duration.ofSeconds(30)).build());
            assertThatThrownBy(() -> js.publish("upd.a", bytes("lost"))).isInstanceOf(Exception.class);

            assertThatThrownBy(() -> jsm.updateStream(StreamConfiguration.builder().name("UPD").subjects("other.x").build()))
                    .isInstanceOfSatisfying(JetStreamApiException.class, e -> assertThat(e.getApiErrorCode()).isEqualTo(10065));
            assertThatThrownBy(() -> jsm.updateStream(StreamConfiguration.builder().name("UPD").subjects("upd.b")
                    .storageType(StorageType.Memory).build()))
                    .isInstanceOfSatisfying(JetStreamApiException.class, e -> assertThat(e.getApiErrorCode()).isEqualTo(10052));
            assertThatThrownBy(() -> jsm.updateStream(StreamConfiguration.builder().name("NOPE").subjects("nope").build()))
                    .isInstanceOfSatisfying(JetStreamApiException.class, e -> assertThat(e.getApiErrorCode()).isEqualTo(10059));
        }
    }

    @Test
    void messagesAreReadBackBySequenceAndLastBySubject() throws Exception {
        try (Connection nc = connect()) {
            JetStreamManagement jsm = nc.jetStreamManagement(jsOptions());
            JetStream js = nc.jetStream(jsOptions());
            jsm.addStream(StreamConfiguration.builder().name("GET").subjects("get.>").build());
            Headers h = new Headers().add("k", "v");
            js.publish("get.a", h, bytes("a1"));
            js.publish("get.b", bytes("b1"));
            js.publish("get.a", bytes("a2"));

            MessageInfo bySeq = jsm.getMessage("GET", 1);
            assertThat(bySeq.getSubject()).isEqualTo("get.a");
            assertThat(text(bySeq.getData())).isEqualTo("a1");
            assertThat(bySeq.getHeaders().getFirst("k")).isEqualTo("v");
            assertThat(bySeq.getSeq()).isEqualTo(1);
            MessageInfo last = jsm.getLastMessage("GET", "get.a");
            assertThat(text(last.getData())).isEqualTo("a2");
            assertThat(last.getSeq()).isEqualTo(3);
            assertThat(jsm.getNextMessage("GET", 2, "get.a").getSeq()).isEqualTo(3);
            assertThatThrownBy(() -> jsm.getMessage("GET", 99))
                    .isInstanceOfSatisfying(JetStreamApiException.class, e -> assertThat(e.getApiErrorCode()).isEqualTo(10037));
            assertThatThrownBy(() -> jsm.getLastMessage("GET", "get.none"))
                    .isInstanceOfSatisfying(JetStreamApiException.class, e -> assertThat(e.getApiErrorCode()).isEqualTo(10037));
        }
    }

    @Test
    void directGetServesStreamsThatAllowIt() throws Exception {
        try (Connection nc = connect()) {
            JetStreamManagement jsm = nc.jetStreamManagement(jsOptions());
            JetStream js = nc.jetStream(jsOptions());
            jsm.addStream(StreamConfiguration.builder().name("DGET").subjects("dget.>").allowDirect(true).build());
            js.publish("dget.x", bytes("x1"));
            js.publish("dget.x", bytes("x2"));

            // jnats uses DIRECT.GET for streams with allow_direct.
            MessageInfo last = jsm.getLastMessage("DGET", "dget.x");
            assertThat(text(last.getData())).isEqualTo("x2");
            assertThat(last.getSeq()).isEqualTo(2);
            assertThat(last.getStream()).isEqualTo("DGET");
            assertThat(text(jsm.getMessage("DGET", 1).getData())).isEqualTo("x1");

            // The subject form, answered with the message and nats-server's headers.
            Message raw = nc.request("$JS.API.DIRECT.GET.DGET.dget.x", new byte[0], Duration.ofSeconds(10));
            assertThat(text(raw.getData())).isEqualTo("x2");
            assertThat(raw.getHeaders().getFirst("Nats-Sequence")).isEqualTo("2");
            assertThat(raw.getHeaders().getFirst("Nats-Subject")).isEqualTo("dget.x");
            assertThat(raw.getHeaders().getFirst("Nats-Time-Stamp")).isNotBlank();
            Message missing = nc.request("$JS.API.DIRECT.GET.DGET", bytes("{\"seq\":42}"), Duration.ofSeconds(10));
            assertThat(missing.getStatus().getCode()).isEqualTo(404);
            assertThat(missing.getStatus().getMessage()).isEqualTo("Message Not Found");

            // Without allow_direct nobody answers, as with nats-server.
            jsm.addStream(StreamConfiguration.builder().name("NODGET").subjects("nodget").build());
            js.publish("nodget", bytes("n"));
            // (A plain subscription sees the no-responders status that request() would turn into an exception.)
            String inbox = nc.createInbox();
            io.nats.client.Subscription replies = nc.subscribe(inbox);
            nc.publish("$JS.API.DIRECT.GET.NODGET.nodget", inbox, new byte[0]);
            Message none = replies.nextMessage(Duration.ofSeconds(10));
            assertThat(none.getStatus().getCode()).isEqualTo(503);
        }
    }

    @Test
    void duplicateDetectionSurvivesARestart() throws Exception {
        try (Connection nc = connect()) {
            nc.jetStreamManagement(jsOptions()).addStream(StreamConfiguration.builder().name("DEDUP")
                    .subjects("dedup").duplicateWindow(Duration.ofMinutes(10)).build());
            JetStream js = nc.jetStream(jsOptions());
            assertThat(js.publish("dedup", bytes("a"), PublishOptions.builder().messageId("id-1").build()).getSeqno())
                    .isEqualTo(1);
            js.publish("dedup", bytes("b"), PublishOptions.builder().messageId("id-2").build());
        }
        SLUICE.restart();
        try (Connection nc = connect()) {
            JetStream js = nc.jetStream(jsOptions());
            PublishAck again = js.publish("dedup", bytes("a"), PublishOptions.builder().messageId("id-1").build());
            assertThat(again.isDuplicate()).isTrue();
            assertThat(again.getSeqno()).isEqualTo(1);
            PublishAck fresh = js.publish("dedup", bytes("c"), PublishOptions.builder().messageId("id-3").build());
            assertThat(fresh.isDuplicate()).isFalse();
            assertThat(fresh.getSeqno()).isEqualTo(3);
            assertThat(nc.jetStreamManagement(jsOptions()).getStreamInfo("DEDUP").getStreamState().getMsgCount())
                    .isEqualTo(3);
        }
    }
}
