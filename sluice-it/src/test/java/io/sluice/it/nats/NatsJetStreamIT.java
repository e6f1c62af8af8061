package io.sluice.it.nats;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.nats.client.Message;
import io.nats.client.Subscription;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.sluice.testkit.EmbeddedSluice;
import io.sluice.testkit.SluiceExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** JetStream streams with the official Java client: create/info/list/purge/delete, capture with PubAck, dedupe. */
@Tag("it")
class NatsJetStreamIT {

    @RegisterExtension
    static final SluiceExtension SLUICE = new SluiceExtension(EmbeddedSluice.builder().set("log.durability", "os-cache"));

    static Connection connect() throws Exception {
        return Nats.connect(new Options.Builder().server(SLUICE.natsUrl()).noReconnect()
                .connectionTimeout(Duration.ofSeconds(20)).build());
    }

    static io.nats.client.JetStreamOptions jsOptions() {
        return io.nats.client.JetStreamOptions.builder().requestTimeout(Duration.ofSeconds(20)).build();
    }

    @Test
    void streamLifecycle() throws Exception {
        try (Connection nc = connect()) {
            JetStreamManagement jsm = nc.jetStreamManagement(jsOptions());
            StreamInfo created = jsm.addStream(StreamConfiguration.builder().name("LIFE").subjects("life.>")
                    .storageType(StorageType.File).build());
            assertThat(created.getConfiguration().getName()).isEqualTo("LIFE");
            assertThat(created.getConfiguration().getSubjects()).containsExactly("life.>");
            assertThat(created.getStreamState().getMsgCount()).isZero();

            JetStream js = nc.jetStream(jsOptions());
            for (int i = 0; i < 5; i++) {
                js.publish("life.event", ("e" + i).getBytes());
            }
            StreamInfo info = jsm.getStreamInfo("LIFE");
            assertThat(info.getStreamState().getMsgCount()).isEqualTo(5);
            assertThat(info.getStreamState().getFirstSequence()).isEqualTo(1);
            assertThat(info.getStreamState().getLastSequence()).isEqualTo(5);
            assertThat(jsm.getStreamNames()).contains("LIFE");
            assertThat(jsm.getStreams()).extracting(s -> s.getConfiguration().getName()).contains("LIFE");

            assertThat(jsm.purgeStream("LIFE").getPurged()).isEqualTo(5);
            StreamInfo purged = jsm.getStreamInfo("LIFE");
            assertThat(purged.getStreamState().getMsgCount()).isZero();
            assertThat(purged.getStreamState().getFirstSequence()).isEqualTo(6);

            assertThat(jsm.deleteStream("LIFE")).isTrue();
            assertThatThrownBy(() -> jsm.getStreamInfo("LIFE"))
                    .isInstanceOf(JetStreamApiException.class)
                    .satisfies(e -> assertThat(((JetStreamApiException) e).getApiErrorCode()).isEqualTo(10059));
        }
    }

    @Test
    void creatingAStreamTwiceWithTheSameConfigIsIdempotentAndDifferentConfigFails() throws Exception {
        try (Connection nc = connect()) {
            JetStreamManagement jsm = nc.jetStreamManagement(jsOptions());
            StreamConfiguration config = StreamConfiguration.builder().name("TWICE").subjects("twice.*").build();
            jsm.addStream(config);
            assertThat(jsm.addStream(config).getConfiguration().getName()).isEqualTo("TWICE");
            assertThatThrownBy(() -> jsm.addStream(StreamConfiguration.builder().name("TWICE").subjects("other").build()))
                    .isInstanceOf(JetStreamApiException.class)
                    .satisfies(e -> assertThat(((JetStreamApiException) e).getApiErrorCode()).isEqualTo(10058));
            assertThatThrownBy(() -> jsm.addStream(StreamConfiguration.builder().name("OVERLAP").subjects("twice.x").build()))
                    .isInstanceOf(JetStreamApiException.class)
                    .satisfies(e -> assertThat(((JetStreamApiException) e).getApiErrorCode()).isEqualTo(10065));
            jsm.deleteStream("TWICE");
        }
    }

    @Test
    void publishToACapturedSubjectIsAcknowledgedWithItsSequenceAndStillReachesSubscribers() throws Exception {
        try (Connection nc = connect(); Connection listener = connect()) {
            JetStreamManagement jsm = nc.jetStreamManagement(jsOptions());
            jsm.addStream(StreamConfiguration.builder().name("ORDERS").subjects("orders.*").build());
            Subscription live = listener.subscribe("orders.*");
            listener.flush(Duration.ofSeconds(10));
            JetStream js = nc.jetStream(jsOptions());
            PublishAck first = js.publish("orders.new", "a".getBytes());
            PublishAck second = js.publish("orders.paid", "b".getBytes());
            assertThat(first.getStream()).isEqualTo("ORDERS");
            assertThat(first.getSeqno()).isEqualTo(1);
            assertThat(second.getSeqno()).isEqualTo(2);
            assertThat(first.isDuplicate()).isFalse();
            Message m = live.nextMessage(Duration.ofSeconds(10));
            assertThat(m.getSubject()).isEqualTo("orders.new");
            jsm.deleteStream("ORDERS");
        }
    }

    @Test
    void asyncPublishesGetTheSequencesOfTheirPublishOrderAlsoWhenSomeCarryAMessageId() throws Exception {
        // Captures of one read burst are appended as one batch, while a publish with an id is appended on its own:
        // the PubAcks must still number the messages in the order they were published, and the stream hold them so.
        try (Connection nc = connect()) {
            JetStreamManagement jsm = nc.jetStreamManagement(jsOptions());
            jsm.addStream(StreamConfiguration.builder().name("BURST").subjects("burst").build());
            JetStream js = nc.jetStream(jsOptions());
            int n = 2_000;
            java.util.List<java.util.concurrent.CompletableFuture<PublishAck>> acks = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                byte[] body = Integer.toString(i).getBytes();
                acks.add(i % 7 == 3
                        ? js.publishAsync("burst", body, PublishOptions.builder().messageId("m-" + i).build())
                        : js.publishAsync("burst", body));
            }
            for (int i = 0; i < n; i++) {
                PublishAck ack = acks.get(i).get(30, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(ack.getSeqno()).as("PubAck of publish %d", i).isEqualTo(i + 1);
                assertThat(ack.isDuplicate()).isFalse();
            }
            for (int seq : new int[] {1, 4, 5, 1000, n}) {
                assertThat(new String(jsm.getMessage("BURST", seq).getData())).isEqualTo(Integer.toString(seq - 1));
            }
            jsm.deleteStream("BURST");
        }
    }

    @Test
    void sameMessageIdWithinTheWindowIsStoredOnce() throws Exception {
        try (Connection nc = connect()) {
            JetStreamManagement jsm = nc.jetStreamManagement(jsOptions());
            jsm.addStream(StreamConfiguration.builder().name("DEDUPE").subjects("dedupe").build());
            JetStream js = nc.jetStream(jsOptions());
            PublishAck a = js.publish("dedupe", "x".getBytes(), PublishOptions.builder().messageId("id-1").build());
            PublishAck b = js.publish("dedupe", "x".getBytes(), PublishOptions.builder().messageId("id-1").build());
            PublishAck c = js.publish("dedupe", "y".getBytes(), PublishOptions.builder().messageId("id-2").build());
            assertThat(a.isDuplicate()).isFalse();
            assertThat(b.isDuplicate()).isTrue();
            assertThat(b.getSeqno()).isEqualTo(a.getSeqno());
            assertThat(c.getSeqno()).isEqualTo(a.getSeqno() + 1);
            assertThat(jsm.getStreamInfo("DEDUPE").getStreamState().getMsgCount()).isEqualTo(2);
            jsm.deleteStream("DEDUPE");
        }
    }

    @Test
    void publishToASubjectNoStreamCapturesFailsWithNoResponders() throws Exception {
        try (Connection nc = connect()) {
            JetStream js = nc.jetStream(jsOptions());
            assertThatThrownBy(() -> js.publish("uncaptured.subject", "x".getBytes()))
                    .isInstanceOf(java.io.IOException.class);
        }
    }

    @Test
    void accountInfoCountsStreams() throws Exception {
        try (Connection nc = connect()) {
            JetStreamManagement jsm = nc.jetStreamManagement(jsOptions());
            jsm.addStream(StreamConfiguration.builder().name("COUNTED").subjects("counted").build());
            assertThat(jsm.getAccountStatistics().getStreams()).isGreaterThanOrEqualTo(1);
            jsm.deleteStream("COUNTED");
        }
    }
}
