package io.sluice.protocol.kafka.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.sluice.core.CallContext;
import io.sluice.protocol.kafka.api.KafkaApiVersionsHandler;
import io.sluice.protocol.kafka.codec.KafkaFrameDecoder;
import io.sluice.protocol.kafka.codec.KafkaResponseEncoder;
import io.sluice.protocol.kafka.message.KafkaApiKey;
import io.sluice.protocol.kafka.message.MetadataResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connection pipeline (frames, dispatch, version rules, ordered responses) in an EmbeddedChannel, with requests
 * serialized and responses parsed by kafka-clients.
 */
class KafkaConnectionTest {

    private final KafkaDispatcher dispatcher = new KafkaDispatcher();
    private final CompletableFuture<MetadataResponse> slowMetadata = new CompletableFuture<>();

    private final List<CompletableFuture<io.sluice.protocol.kafka.message.ProduceResponse>> produces =
            new ArrayList<>();

    private EmbeddedChannel channel() {
        dispatcher.register(KafkaApiKey.API_VERSIONS, 0, 4, new KafkaApiVersionsHandler(dispatcher, null));
        dispatcher.register(KafkaApiKey.METADATA, 1, 12, (ctx, req) -> slowMetadata);
        return new EmbeddedChannel(new KafkaFrameDecoder(1 << 20), new KafkaResponseEncoder(false),
                new KafkaConnection(dispatcher, CallContext.DEFAULT));
    }

    private static ByteBuf frame(ByteBuffer request) {
        return Unpooled.buffer().writeInt(request.remaining()).writeBytes(request);
    }

    private static ByteBuffer response(EmbeddedChannel ch) {
        ByteBuf out = ch.readOutbound();
        assertThat(out).as("a response was written").isNotNull();
        int size = out.readInt();
        assertThat(size).isEqualTo(out.readableBytes());
        ByteBuffer b = ByteBuffer.allocate(size);
        out.readBytes(b);
        out.release();
        return b.flip();
    }

    @Test
    void apiVersionsListsTheAdvertisedRanges() {
        EmbeddedChannel ch = channel();
        short v = 3;
        RequestHeader h = new RequestHeader(ApiKeys.API_VERSIONS, v, "test", 1);
        ch.writeInbound(frame(new ApiVersionsRequest.Builder().build(v).serializeWithHeader(h)));
        ApiVersionsResponse r = (ApiVersionsResponse) AbstractResponse.parseResponse(response(ch), h);
        assertThat(r.data().errorCode()).isZero();
        assertThat(r.apiVersion(ApiKeys.METADATA.id).minVersion()).isEqualTo((short) 1);
        assertThat(r.apiVersion(ApiKeys.METADATA.id).maxVersion()).isEqualTo((short) 12);
        assertThat(r.apiVersion(ApiKeys.PRODUCE.id)).isNull();
    }

    @Test
    void apiVersionsFromTheFutureGetsV0WithTheKeyList() {
        EmbeddedChannel ch = channel();
        ByteBuf req = Unpooled.buffer().writeShort(18).writeShort(42).writeInt(5).writeShort(-1).writeByte(0);
        ch.writeInbound(Unpooled.buffer().writeInt(req.readableBytes()).writeBytes(req));
        ByteBuffer resp = response(ch);
        assertThat(resp.getInt()).isEqualTo(5);
        assertThat(resp.getShort()).isEqualTo((short) 35);
        assertThat(resp.getInt()).isEqualTo(2);
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void unsupportedVersionOfAnotherApiClosesTheConnection() {
        EmbeddedChannel ch = channel();
        short v = 13;
        RequestHeader h = new RequestHeader(ApiKeys.METADATA, v, "test", 1);
        ch.writeInbound(frame(new MetadataRequest.Builder(List.of("t"), true, v).build(v).serializeWithHeader(h)));
        ch.runPendingTasks();
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void unknownApiKeyClosesTheConnection() {
        EmbeddedChannel ch = channel();
        ByteBuf req = Unpooled.buffer().writeShort(4242).writeShort(0).writeInt(5).writeShort(-1);
        ch.writeInbound(Unpooled.buffer().writeInt(req.readableBytes()).writeBytes(req));
        ch.runPendingTasks();
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void responsesLeaveInRequestOrderEvenWhenAnEarlierOneIsSlow() {
        EmbeddedChannel ch = channel();
        short mv = 12;
        RequestHeader mh = new RequestHeader(ApiKeys.METADATA, mv, "test", 1);
        RequestHeader ah = new RequestHeader(ApiKeys.API_VERSIONS, (short) 3, "test", 2);
        ch.writeInbound(frame(new MetadataRequest.Builder(List.of("t"), true, mv).build(mv).serializeWithHeader(mh)),
                frame(new ApiVersionsRequest.Builder().build((short) 3).serializeWithHeader(ah)));
        assertThat((Object) ch.readOutbound()).as("nothing before the slow metadata answer").isNull();
        MetadataResponse m = new MetadataResponse();
        m.clusterId = "c";
        slowMetadata.complete(m);
        ch.runPendingTasks();
        var first = (org.apache.kafka.common.requests.MetadataResponse) AbstractResponse.parseResponse(response(ch), mh);
        assertThat(first.clusterId()).isEqualTo("c");
        var second = (ApiVersionsResponse) AbstractResponse.parseResponse(response(ch), ah);
        assertThat(second.data().errorCode()).isZero();
    }

    private static ByteBuf produce(RequestHeader h) {
        ProduceRequestData data = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(1000);
        return frame(ProduceRequest.builder(data).build(h.apiVersion()).serializeWithHeader(h));
    }

    @Test
    void produceRequestsArePipelinedButAnswersKeepTheirOrder() {
        dispatcher.register(KafkaApiKey.PRODUCE, 3, 12, (ctx, req) -> {
            CompletableFuture<io.sluice.protocol.kafka.message.ProduceResponse> f = new CompletableFuture<>();
            produces.add(f);
            return f;
        });
        EmbeddedChannel ch = channel();
        short v = 9;
        RequestHeader p1 = new RequestHeader(ApiKeys.PRODUCE, v, "test", 1);
        RequestHeader p2 = new RequestHeader(ApiKeys.PRODUCE, v, "test", 2);
        RequestHeader av = new RequestHeader(ApiKeys.API_VERSIONS, (short) 3, "test", 3);
        RequestHeader p3 = new RequestHeader(ApiKeys.PRODUCE, v, "test", 4);
        ch.writeInbound(produce(p1), produce(p2),
                frame(new ApiVersionsRequest.Builder().build((short) 3).serializeWithHeader(av)), produce(p3));
        assertThat(produces).as("the second produce starts before the first completed").hasSize(2);
        produces.get(1).complete(new io.sluice.protocol.kafka.message.ProduceResponse().setThrottleTimeMs(2));
        ch.runPendingTasks();
        assertThat((Object) ch.readOutbound()).as("the second answer waits for the first").isNull();
        produces.get(0).complete(new io.sluice.protocol.kafka.message.ProduceResponse().setThrottleTimeMs(1));
        ch.runPendingTasks();
        assertThat(((ProduceResponse) AbstractResponse.parseResponse(response(ch), p1)).throttleTimeMs()).isEqualTo(1);
        assertThat(((ProduceResponse) AbstractResponse.parseResponse(response(ch), p2)).throttleTimeMs()).isEqualTo(2);
        assertThat(((ApiVersionsResponse) AbstractResponse.parseResponse(response(ch), av)).data().errorCode()).isZero();
        assertThat(produces).as("a produce after another api waits for it").hasSize(3);
        produces.get(2).complete(new io.sluice.protocol.kafka.message.ProduceResponse());
        ch.runPendingTasks();
        assertThat(AbstractResponse.parseResponse(response(ch), p3)).isInstanceOf(ProduceResponse.class);
    }
}
