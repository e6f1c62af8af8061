package io.sluice.protocol.nats.session;

import io.sluice.core.Message;
import io.sluice.core.MessageCodec;
import io.sluice.core.stream.StreamPartition;
import io.sluice.core.stream.StreamReads;
import io.sluice.storage.record.Record;

import java.util.function.Predicate;

/**
 * Reads stored JetStream messages back from a stream's partition: one message by sequence, the last message on a
 * subject, and forward scans (the de-duplication window rebuilt after a restart). Stateless; each call reads the log
 * through the partition's read path on the caller's thread (an index lookup and a copy, no waiting).
 *
 * <p>The log has no per-subject index, so "last by subject" scans the whole partition from its start: fine for the
 * occasional {@code MSG.GET}/{@code DIRECT.GET}, not for a key-value workload.
 */
final class NatsJsStreamReader {

    private static final int READ_BYTES = 1 << 20;

    /** A stored message with its stream sequence. */
    record Stored(long seq, Message message) {
        String subject(String stream) {
            return message.subject() == null ? stream : message.subject();
        }
    }

    private NatsJsStreamReader() {
    }

    /** The message at {@code seq}, or null if it was never stored or is gone. */
    static Stored at(StreamPartition p, long seq) {
        long offset = seq - 1;
        if (offset < p.logStartOffset() || offset >= p.highWatermark()) {
            return null;
        }
        Stored[] found = new Stored[1];
        scan(p, offset, r -> {
            if (r.offset() == offset) {
                found[0] = new Stored(seq, MessageCodec.fromRecord(r));
            }
            return r.offset() < offset;
        });
        return found[0];
    }

    /** The last message whose subject matches {@code subject} (which may hold wildcards), or null. */
    static Stored lastBySubject(StreamPartition p, String stream, String subject) {
        Stored[] last = new Stored[1];
        scan(p, p.logStartOffset(), r -> {
            Message m = MessageCodec.fromRecord(r);
            if (NatsSubjectMatch.matches(subject, m.subject() == null ? stream : m.subject())) {
                last[0] = new Stored(r.offset() + 1, m);
            }
            return true;
        });
        return last[0];
    }

    /** The first message at or after {@code seq} whose subject matches {@code subject}, or null. */
    static Stored nextBySubject(StreamPartition p, String stream, long seq, String subject) {
        Stored[] next = new Stored[1];
        scan(p, Math.max(p.logStartOffset(), seq - 1), r -> {
            Message m = MessageCodec.fromRecord(r);
            if (NatsSubjectMatch.matches(subject, m.subject() == null ? stream : m.subject())) {
                next[0] = new Stored(r.offset() + 1, m);
                return false;
            }
            return true;
        });
        return next[0];
    }

    /**
     * Visits the records from {@code from} (control batches left out) up to the high watermark, in offset order,
     * until the visitor returns false.
     */
    static void scan(StreamPartition p, long from, Predicate<Record> visitor) {
        StreamReads.scan(p, from, READ_BYTES, visitor);
    }
}
