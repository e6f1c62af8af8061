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
 *
 * <p>Server-generated statuses that travel through the core pub/sub (a push consumer's heartbeats and flow control
 * requests) carry their status line in the reserved first header {@value #STATUS_HEADER} ({@code "100 Idle
 * Heartbeat"}); it becomes the block's status line and is never shown as a header.
 */
final class NatsMessages {

    static final String STATUS_HEADER = "sluice.nats.status";

    private NatsMessages() {
    }

    static List<Header> toCore(byte[] natsHeaders) {
        if (natsHeaders == null) {
            return List.of();
        }
        NatsHeaders parsed = NatsHeaders.parse(natsHeaders);
        List<Header> out = new ArrayList<>();
        parsed.values().forEach((name, values) -> {
            if (!name.equals(STATUS_HEADER)) { // a client cannot forge a server status
                values.forEach(v -> out.add(new Header(name, v.getBytes(StandardCharsets.UTF_8))));
            }
        });
        return out;
    }

    /** The NATS header block for a core message, or {@code null} when it has no headers. */
    static byte[] toNats(List<Header> headers) {
        if (headers.isEmpty()) {
            return null;
        }
        int status = 0;
        String description = "";
        int from = 0;
        if (headers.get(0).key().equals(STATUS_HEADER)) {
            String line = new String(headers.get(0).value(), StandardCharsets.UTF_8);
            int space = line.indexOf(' ');
            status = Integer.parseInt(space < 0 ? line : line.substring(0, space));
            description = space < 0 ? "" : line.substring(space + 1);
            from = 1;
        }
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (Header h : headers.subList(from, headers.size())) {
            values.computeIfAbsent(h.key(), k -> new ArrayList<>())
                    .add(h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8));
        }
        return new NatsHeaders(status, description, values).encode();
    }

    /** The reserved header that carries a status line through the core (see the class comment). */
    static Header status(int code, String description) {
        return new Header(STATUS_HEADER, (code + " " + description).getBytes(StandardCharsets.UTF_8));
    }

    static byte[] payload(Message m) {
        return m.value() == null ? new byte[0] : m.value();
    }
}
