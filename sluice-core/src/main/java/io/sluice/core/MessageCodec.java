package io.sluice.core;

import io.sluice.storage.record.Compression;
import io.sluice.storage.record.Header;
import io.sluice.storage.record.Record;
import io.sluice.storage.record.RecordBatchBuilder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps {@link Message}s to records of the record batch format and back, so every protocol reads what every other
 * wrote.
 *
 * <p>Mapping: record key = message key; record value = message value; record timestamp = message timestamp (broker
 * time when unset); record headers = the application headers in order, followed by reserved headers that carry the
 * broker-level fields, present only when set:
 * <ul>
 *   <li>{@value #SUBJECT}: the routing key / subject, UTF-8</li>
 *   <li>{@value #PRIORITY}: the priority as decimal ASCII</li>
 *   <li>{@value #EXPIRATION}: the per-message TTL in milliseconds as decimal ASCII</li>
 * </ul>
 * A Kafka consumer sees the reserved headers as ordinary headers; they are documented in docs/COMPATIBILITY.md.
 * Reading strips them back into the {@link Message} fields.
 */
public final class MessageCodec {
    public static final String SUBJECT = "sluice.subject";
    public static final String PRIORITY = "sluice.priority";
    public static final String EXPIRATION = "sluice.expiration";

    private MessageCodec() {
    }

    /** Builds one uncompressed batch of the messages, stamping unset timestamps with {@code now}. */
    public static ByteBuffer toBatch(List<Message> messages, long now) {
        // Sized up front: growing from the builder's default (512 bytes) copied a 1 KiB message's batch twice.
        int capacity = 64;
        for (Message m : messages) {
            capacity += m.sizeInBytes() + 96 + (m.subject() == null ? 0 : m.subject().length() * 3)
                    + 8 * m.headers().size();
        }
        RecordBatchBuilder b = RecordBatchBuilder.create(Compression.NONE, capacity);
        for (Message m : messages) {
            b.append(m.timestamp() > 0 ? m.timestamp() : now, m.key(), m.value(), recordHeaders(m));
        }
        return b.build();
    }

    static List<Header> recordHeaders(Message m) {
        if (m.subject() == null && m.priority() < 0 && m.expirationMs() < 0) {
            return m.headers();
        }
        List<Header> hs = new ArrayList<>(m.headers().size() + 3);
        hs.addAll(m.headers());
        if (m.subject() != null) {
            hs.add(new Header(SUBJECT, m.subject().getBytes(StandardCharsets.UTF_8)));
        }
        if (m.priority() >= 0) {
            hs.add(new Header(PRIORITY, Integer.toString(m.priority()).getBytes(StandardCharsets.US_ASCII)));
        }
        if (m.expirationMs() >= 0) {
            hs.add(new Header(EXPIRATION, Long.toString(m.expirationMs()).getBytes(StandardCharsets.US_ASCII)));
        }
        return hs;
    }

    /** The message a record holds; records written by Kafka clients come back with subject null. */
    public static Message fromRecord(Record r) {
        String subject = null;
        int priority = -1;
        long expiration = -1;
        List<Header> app = r.headers();
        boolean reserved = false;
        for (Header h : app) {
            if (h.key().startsWith("sluice.")) {
                reserved = true;
                break;
            }
        }
        if (reserved) {
            app = new ArrayList<>(r.headers().size());
            for (Header h : r.headers()) {
                switch (h.key()) {
                    case SUBJECT -> subject = h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
                    case PRIORITY -> priority = parseInt(h.value());
                    case EXPIRATION -> expiration = parseLong(h.value());
                    default -> app.add(h);
                }
            }
        }
        return new Message(subject, r.keyBytes(), r.valueBytes(), app, r.timestamp(), priority, expiration);
    }

    private static int parseInt(byte[] v) {
        try {
            return v == null ? -1 : Integer.parseInt(new String(v, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static long parseLong(byte[] v) {
        try {
            return v == null ? -1 : Long.parseLong(new String(v, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
