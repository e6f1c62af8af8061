package io.sluice.protocol.nats.session;

import com.fasterxml.jackson.databind.JsonNode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class NatsJsPubAckTest {

    @Test
    void writesThePubAckAsNatsServerDoes() {
        assertThat(new String(NatsJsStreams.pubAck("ORDERS", 42, false), StandardCharsets.UTF_8))
                .isEqualTo("{\"stream\":\"ORDERS\",\"seq\":42}");
        assertThat(new String(NatsJsStreams.pubAck("ORDERS", 7, true), StandardCharsets.UTF_8))
                .isEqualTo("{\"stream\":\"ORDERS\",\"seq\":7,\"duplicate\":true}");
    }

    @Property(tries = 200)
    void pubAckIsValidJsonForAnyStreamName(@ForAll @StringLength(min = 1, max = 40) String stream,
                                           @ForAll @LongRange(min = 1) long seq) throws Exception {
        JsonNode n = NatsJsJson.MAPPER.readTree(NatsJsStreams.pubAck(stream, seq, seq % 2 == 0));
        assertThat(n.get("stream").asText()).isEqualTo(stream);
        assertThat(n.get("seq").asLong()).isEqualTo(seq);
        assertThat(n.path("duplicate").asBoolean(false)).isEqualTo(seq % 2 == 0);
    }

    @Test
    void recognisesPlainAcksWithoutDecodingThem() {
        assertThat(NatsJsConsumers.isPlainAck(new byte[0])).isTrue();
        assertThat(NatsJsConsumers.isPlainAck("+ACK".getBytes(StandardCharsets.US_ASCII))).isTrue();
        assertThat(NatsJsConsumers.isPlainAck("-NAK".getBytes(StandardCharsets.US_ASCII))).isFalse();
        assertThat(NatsJsConsumers.isPlainAck("+WPI".getBytes(StandardCharsets.US_ASCII))).isFalse();
        assertThat(NatsJsConsumers.isPlainAck("+AC".getBytes(StandardCharsets.US_ASCII))).isFalse();
    }
}
