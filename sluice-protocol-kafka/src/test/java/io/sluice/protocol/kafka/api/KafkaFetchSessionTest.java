package io.sluice.protocol.kafka.api;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.sluice.core.CallContext;
import io.sluice.core.Message;
import io.sluice.core.internal.BrokerOptions;
import io.sluice.core.internal.DefaultBroker;
import io.sluice.core.stream.StreamInfo;
import io.sluice.core.stream.StreamSpec;
import io.sluice.protocol.kafka.KafkaListener;
import io.sluice.protocol.kafka.codec.KafkaFrameDecoder;
import io.sluice.protocol.kafka.codec.KafkaResponseEncoder;
import io.sluice.protocol.kafka.session.KafkaConnection;
import io.sluice.protocol.kafka.session.KafkaFetchSessionCache;
import io.sluice.storage.memory.MemoryLogStore;
import io.sluice.transport.ProtocolContext;
import io.sluice.transport.ProtocolSettings;
import org.apache.kafka.clients.FetchSessionHandler;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.FetchMetadata;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.utils.internals.LogContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Incremental fetch sessions through the whole Kafka pipeline (frames, dispatch, fetch handler) over an in-memory
 * broker, driven by kafka-clients' own {@link FetchSessionHandler}: it builds the full and incremental requests a
 * consumer sends and checks each response against the session it believes in, as the real consumer does.
 */
class KafkaFetchSessionTest {

    private final DefaultBroker broker = DefaultBroker.start(BrokerOptions.of(new MemoryLogStore(), new MemoryLogStore()));
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private KafkaListener listener;
    private EmbeddedChannel channel;
    private int correlation;

    private void start(Map<String, String> settings) {
        listener = new KafkaListener(new ProtocolContext(broker, new ProtocolSettings(settings), "127.0.0.1", 0,
                "127.0.0.1", 9092, meters));
        channel = new EmbeddedChannel(new KafkaFrameDecoder(1 << 20), new KafkaResponseEncoder(false),
                new KafkaConnection(listener.dispatcher(), CallContext.DEFAULT));
    }

    @AfterEach
    void close() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
        if (listener != null) {
            listener.close();
        }
        broker.close();
    }

    private Uuid topic(String name, int partitions) {
        StreamInfo info = broker.streams().create(CallContext.DEFAULT, new StreamSpec(name, partitions, Map.of(),
                List.of())).join();
        return new Uuid(info.id().getMostSignificantBits(), info.id().getLeastSignificantBits());
    }

    private void publish(String topic, int partition, int count) {
        List<Message> messages = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            messages.add(Message.of(topic, ("m" + i).getBytes(StandardCharsets.UTF_8)));
        }
        broker.streams().partition(CallContext.DEFAULT, topic, partition).publish(messages).join();
    }

    private double counter(String name) {
        return meters.get(name).counter().count();
    }

    private FetchResponse send(FetchRequest.Builder builder, short version) {
        RequestHeader h = new RequestHeader(ApiKeys.FETCH, version, "test", ++correlation);
        ByteBuffer req = builder.build(version).serializeWithHeader(h);
        channel.writeInbound(Unpooled.buffer().writeInt(req.remaining()).writeBytes(req));
        channel.runPendingTasks();
        ByteBuf out = channel.readOutbound();
        assertThat(out).as("a fetch response").isNotNull();
        out.readInt();
        ByteBuffer b = ByteBuffer.allocate(out.readableBytes());
        out.readBytes(b);
        out.release();
        return (FetchResponse) AbstractResponse.parseResponse(b.flip(), h);
    }

    /** What the consumer's fetcher does for one poll: build from the session handler, send, hand back the answer. */
    private FetchResponse poll(FetchSessionHandler session, Map<TopicPartition, FetchRequest.PartitionData> wanted,
                               short version) {
        FetchSessionHandler.Builder b = session.newBuilder();
        wanted.forEach(b::add);
        FetchSessionHandler.FetchRequestData data = b.build();
        FetchRequest.Builder req = FetchRequest.Builder.forConsumer(version, 0, 1, data.toSend())
                .metadata(data.metadata()).removed(data.toForget()).replaced(data.toReplace());
        FetchResponse resp = send(req, version);
        assertThat(session.handleResponse(resp, version)).as("the client accepts %s", resp.data()).isTrue();
        return resp;
    }

    private static FetchRequest.PartitionData at(Uuid id, long offset) {
        return new FetchRequest.PartitionData(id, offset, -1, 1 << 20, Optional.empty());
    }

    @ParameterizedTest(name = "Fetch v{0}")
    @ValueSource(shorts = {7, 12, 17})
    void aSessionServesIncrementalFetchesWithOnlyThePartitionsThatChanged(short version) {
        start(Map.of());
        Uuid id = topic("t", 3);
        publish("t", 0, 2);
        TopicPartition p0 = new TopicPartition("t", 0);
        TopicPartition p1 = new TopicPartition("t", 1);
        TopicPartition p2 = new TopicPartition("t", 2);
        FetchSessionHandler session = new FetchSessionHandler(new LogContext(), 1);
        Map<TopicPartition, FetchRequest.PartitionData> wanted = new LinkedHashMap<>();
        wanted.put(p0, at(id, 0));
        wanted.put(p1, at(id, 0));
        wanted.put(p2, at(id, 0));

        FetchResponse full = poll(session, wanted, version);
        assertThat(full.sessionId()).as("a full fetch with epoch 0 opens a session").isNotZero();
        assertThat(full.responseData(Map.of(id, "t"), version)).containsOnlyKeys(p0, p1, p2);
        assertThat(counter("sluice.kafka.fetch.sessions.opened")).isEqualTo(1);

        wanted.put(p0, at(id, 2));
        FetchResponse idle = poll(session, wanted, version);
        assertThat(idle.sessionId()).isEqualTo(full.sessionId());
        assertThat(idle.responseData(Map.of(id, "t"), version)).as("nothing changed").isEmpty();

        publish("t", 1, 3);
        FetchResponse news = poll(session, wanted, version);
        var data = news.responseData(Map.of(id, "t"), version);
        assertThat(data).as("only the partition with new records").containsOnlyKeys(p1);
        assertThat(data.get(p1).highWatermark()).isEqualTo(3);
        assertThat(FetchResponse.recordsSize(data.get(p1))).isPositive();

        wanted.remove(p2);
        wanted.put(p1, at(id, 3));
        FetchResponse forgot = poll(session, wanted, version);
        assertThat(forgot.responseData(Map.of(id, "t"), version)).isEmpty();
        assertThat(listener.fetchSessions().get(full.sessionId()).size()).as("p2 was forgotten").isEqualTo(2);
        assertThat(counter("sluice.kafka.fetch.sessions.incremental")).isEqualTo(3);
    }

    @Test
    void anUnknownSessionIsRefusedAndTheClientFallsBackToAFullFetch() {
        start(Map.of());
        Uuid id = topic("t", 1);
        short v = 12;
        FetchRequest.Builder unknown = FetchRequest.Builder.forConsumer(v, 0, 1, Map.of())
                .metadata(new FetchMetadata(12345, 1));
        FetchResponse refused = send(unknown, v);
        assertThat(refused.error()).isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND);
        assertThat(refused.sessionId()).isZero();
        assertThat(refused.data().responses()).isEmpty();

        FetchSessionHandler session = new FetchSessionHandler(new LogContext(), 1);
        Map<TopicPartition, FetchRequest.PartitionData> wanted = Map.of(new TopicPartition("t", 0), at(id, 0));
        FetchResponse full = poll(session, wanted, v);
        // Simulate a broker restart: the session is gone, the client still has it.
        listener.fetchSessions().remove(full.sessionId());
        FetchSessionHandler.Builder b = session.newBuilder();
        wanted.forEach(b::add);
        FetchSessionHandler.FetchRequestData data = b.build();
        assertThat(data.metadata().isFull()).isFalse();
        FetchResponse lost = send(FetchRequest.Builder.forConsumer(v, 0, 1, data.toSend()).metadata(data.metadata()), v);
        assertThat(lost.error()).isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND);
        assertThat(session.handleResponse(lost, v)).isFalse();
        FetchSessionHandler.Builder again = session.newBuilder();
        wanted.forEach(again::add);
        assertThat(again.build().metadata().isFull()).as("the client's next fetch is a full one").isTrue();
    }

    @Test
    void aRepeatedEpochIsRefusedWithInvalidFetchSessionEpoch() {
        start(Map.of());
        Uuid id = topic("t", 1);
        short v = 12;
        FetchSessionHandler session = new FetchSessionHandler(new LogContext(), 1);
        Map<TopicPartition, FetchRequest.PartitionData> wanted = Map.of(new TopicPartition("t", 0), at(id, 0));
        FetchResponse full = poll(session, wanted, v);
        FetchMetadata first = new FetchMetadata(full.sessionId(), 1);
        assertThat(send(FetchRequest.Builder.forConsumer(v, 0, 1, Map.of()).metadata(first), v).error())
                .isEqualTo(Errors.NONE);
        FetchResponse replay = send(FetchRequest.Builder.forConsumer(v, 0, 1, Map.of()).metadata(first), v);
        assertThat(replay.error()).isEqualTo(Errors.INVALID_FETCH_SESSION_EPOCH);
        assertThat(replay.sessionId()).isZero();
        assertThat(replay.data().responses()).isEmpty();
        FetchResponse next = send(FetchRequest.Builder.forConsumer(v, 0, 1, Map.of())
                .metadata(new FetchMetadata(full.sessionId(), 2)), v);
        assertThat(next.error()).as("the session itself survives a bad epoch").isEqualTo(Errors.NONE);
    }

    @Test
    void aSessionOpenedWithTopicNamesCannotContinueWithTopicIds() {
        start(Map.of());
        Uuid id = topic("t", 1);
        FetchResponse full = send(FetchRequest.Builder.forConsumer((short) 12, 0, 1,
                Map.of(new TopicPartition("t", 0), at(id, 0))).metadata(FetchMetadata.INITIAL), (short) 12);
        assertThat(full.sessionId()).isNotZero();
        FetchResponse mixed = send(FetchRequest.Builder.forConsumer((short) 13, 0, 1, Map.of())
                .metadata(new FetchMetadata(full.sessionId(), 1)), (short) 13);
        assertThat(mixed.error()).isEqualTo(Errors.FETCH_SESSION_TOPIC_ID_ERROR);
    }

    @Test
    void epochMinusOneFetchesWithoutASessionAndClosesTheNamedOne() {
        start(Map.of());
        Uuid id = topic("t", 1);
        short v = 12;
        Map<TopicPartition, FetchRequest.PartitionData> wanted = Map.of(new TopicPartition("t", 0), at(id, 0));
        FetchResponse opened = send(FetchRequest.Builder.forConsumer(v, 0, 1, wanted)
                .metadata(FetchMetadata.INITIAL), v);
        assertThat(opened.sessionId()).isNotZero();
        FetchResponse closing = send(FetchRequest.Builder.forConsumer(v, 0, 1, wanted)
                .metadata(new FetchMetadata(opened.sessionId(), FetchMetadata.FINAL_EPOCH)), v);
        assertThat(closing.sessionId()).isZero();
        assertThat(closing.responseData(Map.of(), v)).containsOnlyKeys(new TopicPartition("t", 0));
        assertThat(listener.fetchSessions().size()).isZero();
    }

    @Test
    void withNoSlotsEveryFetchIsSessionlessAndStillServed() {
        start(Map.of(KafkaFetchSessionCache.SLOTS, "0"));
        Uuid id = topic("t", 1);
        publish("t", 0, 1);
        short v = 12;
        FetchSessionHandler session = new FetchSessionHandler(new LogContext(), 1);
        Map<TopicPartition, FetchRequest.PartitionData> wanted = Map.of(new TopicPartition("t", 0), at(id, 0));
        for (int i = 0; i < 2; i++) {
            FetchResponse r = poll(session, wanted, v);
            assertThat(r.sessionId()).isZero();
            assertThat(r.responseData(Map.of(), v)).containsOnlyKeys(new TopicPartition("t", 0));
        }
    }
}
