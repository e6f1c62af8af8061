package io.sluice.core;

import io.sluice.storage.record.Header;
import java.util.List;

/**
 * A protocol-neutral message as adapters publish and receive it outside the Kafka path (which appends whole record
 * batches instead). It is stored as one record of the record batch format; see {@link MessageCodec} for the mapping.
 *
 * @param subject      routing key / NATS subject / Redis stream key it was published to; null if none
 * @param key          record key (Kafka key, compaction key); may be null
 * @param value        payload; may be null only for compaction tombstones
 * @param headers      application headers, in order (AMQP properties and headers are encoded here by the AMQP adapter)
 * @param timestamp    milliseconds since the epoch; 0 or negative means "stamp with the broker clock"
 * @param priority     0..255 for priority queues, or -1 when unset
 * @param expirationMs per-message time to live in milliseconds (AMQP expiration), or -1 when unset
 */
public record Message(String subject, byte[] key, byte[] value, List<Header> headers, long timestamp, int priority,
                      long expirationMs) {

    public Message {
        headers = headers == null ? List.of() : List.copyOf(headers);
    }

    public static Message of(String subject, byte[] value) {
        return new Message(subject, null, value, List.of(), 0, -1, -1);
    }

    public static Message of(String subject, byte[] value, List<Header> headers) {
        return new Message(subject, null, value, headers, 0, -1, -1);
    }

    public Message withTimestamp(long ts) {
        return new Message(subject, key, value, headers, ts, priority, expirationMs);
    }

    public Message withSubject(String s) {
        return new Message(s, key, value, headers, timestamp, priority, expirationMs);
    }

    public Message withHeaders(List<Header> h) {
        return new Message(subject, key, value, h, timestamp, priority, expirationMs);
    }

    /** The first header with this key, or null. */
    public byte[] header(String name) {
        for (Header h : headers) {
            if (h.key().equals(name)) {
                return h.value();
            }
        }
        return null;
    }

    public int sizeInBytes() {
        int n = (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
        for (Header h : headers) {
            n += h.key().length() + (h.value() == null ? 0 : h.value().length);
        }
        return n;
    }
}
