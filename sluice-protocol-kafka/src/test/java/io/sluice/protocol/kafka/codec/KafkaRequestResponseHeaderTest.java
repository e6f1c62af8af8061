package io.sluice.protocol.kafka.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.sluice.protocol.kafka.message.ApiVersionsResponse;
import io.sluice.protocol.kafka.message.KafkaApiKey;
import io.sluice.protocol.kafka.message.MetadataRequest;
import io.sluice.protocol.kafka.message.MetadataResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Request and response headers against kafka-clients' own request serialization and response parsing. */
class KafkaRequestResponseHeaderTest {

    @ParameterizedTest
    @ValueSource(shorts = {1, 4, 8, 9, 12, 13})
    void parsesRequestsSerializedByKafkaClients(short version) {
        org.apache.kafka.common.requests.MetadataRequest theirs =
                new org.apache.kafka.common.requests.MetadataRequest.Builder(List.of("orders", "payments"), true, version)
                        .build(version);
        RequestHeader header = new RequestHeader(ApiKeys.METADATA, version, "client-ä", 4711);
        ByteBuffer bytes = theirs.serializeWithHeader(header);

        KafkaRequest req = KafkaRequest.parse(Unpooled.wrappedBuffer(bytes));
        try {
            assertThat(req.apiKey()).isEqualTo(KafkaApiKey.METADATA);
            assertThat(req.version()).isEqualTo(version);
            assertThat(req.correlationId()).isEqualTo(4711);
            assertThat(req.clientId()).isEqualTo("client-ä");
            MetadataRequest body = new MetadataRequest(req.body(), version);
            assertThat(body.topics).extracting(t -> t.name).containsExactly("orders", "payments");
        } finally {
            req.release();
        }
    }

    @Test
    void unknownApiKeyKeepsTheCorrelationId() {
        ByteBuf frame = Unpooled.buffer().writeShort(999).writeShort(0).writeInt(42).writeShort(-1);
        KafkaRequest req = KafkaRequest.parse(frame);
        assertThat(req.apiKey()).isNull();
        assertThat(req.apiKeyId()).isEqualTo((short) 999);
        assertThat(req.correlationId()).isEqualTo(42);
        req.release();
        assertThat(frame.refCnt()).isZero();
    }

    @Test
    void truncatedHeaderIsAProtocolErrorAndReleasesTheFrame() {
        ByteBuf frame = Unpooled.buffer().writeShort(3).writeShort(12).writeShort(1);
        assertThatThrownBy(() -> KafkaRequest.parse(frame)).isInstanceOf(KafkaProtocolException.class);
        assertThat(frame.refCnt()).isZero();
    }

    @ParameterizedTest
    @ValueSource(shorts = {0, 3, 4, 5})
    void apiVersionsResponseAlwaysUsesHeaderV0(short version) {
        ApiVersionsResponse resp = new ApiVersionsResponse();
        resp.apiKeys.add(new ApiVersionsResponse.ApiVersion().setApiKey((short) 3).setMinVersion((short) 0).setMaxVersion((short) 13));
        ByteBuffer bytes = encode(new KafkaResponse(KafkaApiKey.API_VERSIONS, version, 9, resp));
        RequestHeader reqHeader = new RequestHeader(ApiKeys.API_VERSIONS, version, "c", 9);
        var parsed = (org.apache.kafka.common.requests.ApiVersionsResponse) AbstractResponse.parseResponse(bytes, reqHeader);
        assertThat(parsed.apiVersion(ApiKeys.METADATA.id).maxVersion()).isEqualTo((short) 13);
    }

    @ParameterizedTest
    @ValueSource(shorts = {0, 8, 9, 12, 13})
    void responseHeaderFollowsFlexibility(short version) {
        MetadataResponse resp = new MetadataResponse();
        resp.brokers.add(new MetadataResponse.MetadataResponseBroker().setNodeId(1).setHost("localhost").setPort(9092));
        resp.clusterId = version >= 2 ? "cluster" : null;
        ByteBuffer bytes = encode(new KafkaResponse(KafkaApiKey.METADATA, version, 77, resp));
        RequestHeader reqHeader = new RequestHeader(ApiKeys.METADATA, version, "c", 77);
        var parsed = (org.apache.kafka.common.requests.MetadataResponse) AbstractResponse.parseResponse(bytes, reqHeader);
        assertThat(parsed.brokers()).singleElement().satisfies(n -> {
            assertThat(n.host()).isEqualTo("localhost");
            assertThat(n.port()).isEqualTo(9092);
        });
    }

    /** The frame without its size prefix, checked against the prefix. */
    private static ByteBuffer encode(KafkaResponse r) {
        ByteBuf buf = KafkaResponseEncoder.encodeToBuffer(ByteBufAllocator.DEFAULT, r);
        try {
            int size = buf.readInt();
            assertThat(size).isEqualTo(buf.readableBytes());
            byte[] b = new byte[size];
            buf.readBytes(b);
            return ByteBuffer.wrap(b);
        } finally {
            buf.release();
        }
    }
}
