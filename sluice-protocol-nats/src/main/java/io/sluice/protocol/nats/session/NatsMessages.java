package io.sluice.protocol.nats.session;

import io.sluice.core.Message;
import io.sluice.protocol.nats.codec.NatsHeaders;
import io.sluice.storage.record.Header;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts between NATS header blocks and the core's ordered header list, so a message published over NATS reads
 * the same from Kafka, AMQP or Redis and back. Stateless.
 *
 * <p>Each NATS header value becomes one core header (repeated names stay repeated, in order), values UTF-8. The
 * status line of a published block is not kept: statuses are the server's to send. An empty block maps to no headers,
 * so such a message is delivered as {@code MSG}, not {@code HMSG}.
 */
final class NatsMessages {

    private NatsMessages() {
    }

    static List<Header> toCore(byte[] natsHeaders) {
        if (natsHeaders == null) {
            return List.of();
        }
        NatsHeaders parsed = NatsHeaders.parse(natsHeaders);
        List<Header> out = new ArrayList<>();
        parsed.values().forEach((name, values) -> values.forEach(v ->
                out.add(new Header(name, v.getBytes(StandardCharsets.UTF_8)))));
        return out;
    }

    /** The NATS header block for a core message, or {@code null} when it has no headers. */
    static byte[] toNats(List<Header> headers) {
        if (headers.isEmpty()) {
            return null;
        }
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (Header h : headers) {
            values.computeIfAbsent(h.key(), k -> new ArrayList<>())
                    .add(h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8));
        }
        return new NatsHeaders(0, "", values).encode();
    }

    static byte[] payload(Message m) {
        return m.value() == null ? new byte[0] : m.value();
    }
}
