package io.sluice.protocol.nats.codec;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NatsHeadersTest {

    @Test
    void anEmptyBlockIsNoHeaders() {
        NatsHeaders h = NatsHeaders.parse(new byte[0]);
        assertThat(h.values()).isEmpty();
        assertThat(h.status()).isZero();
    }

    @Test
    void parsesStatusAndRepeatedValues() {
        NatsHeaders h = NatsHeaders.parse("NATS/1.0 408 Request Timeout\r\nA: 1\r\nA: 2\r\nNats-Msg-Id: x\r\n\r\n"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(h.status()).isEqualTo(408);
        assertThat(h.description()).isEqualTo("Request Timeout");
        assertThat(h.values().get("A")).containsExactly("1", "2");
        assertThat(h.first("Nats-Msg-Id")).isEqualTo("x");
    }

    @Test
    void encodeThenParseKeepsEverything() {
        NatsHeaders h = new NatsHeaders(404, "No Messages", Map.of("K", List.of("v1", "v2")));
        assertThat(NatsHeaders.parse(h.encode())).isEqualTo(h);
        assertThat(new String(NatsHeaders.status(503, null).encode(), StandardCharsets.US_ASCII))
                .isEqualTo("NATS/1.0 503\r\n\r\n");
    }

    @Test
    void rejectsBlockWithoutVersion() {
        assertThatThrownBy(() -> NatsHeaders.parse("HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void connectOptionsReadNatsFieldsAndIgnoreUnknown() {
        NatsConnectOptions o = NatsConnectOptions.parse("{\"verbose\":true,\"headers\":true,\"no_responders\":true,"
                + "\"echo\":false,\"user\":\"u\",\"pass\":\"p\",\"protocol\":1,\"sig\":\"zzz\"}");
        assertThat(o.verbose()).isTrue();
        assertThat(o.headers()).isTrue();
        assertThat(o.noResponders()).isTrue();
        assertThat(o.echoEnabled()).isFalse();
        assertThat(o.user()).isEqualTo("u");
        assertThat(NatsConnectOptions.parse("{}").echoEnabled()).isTrue();
        assertThatThrownBy(() -> NatsConnectOptions.parse("{nope")).isInstanceOf(IllegalArgumentException.class);
    }
}
