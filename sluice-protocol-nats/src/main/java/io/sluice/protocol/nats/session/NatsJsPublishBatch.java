package io.sluice.protocol.nats.session;

import io.sluice.core.CallContext;
import io.sluice.core.Message;
import io.sluice.core.stream.StreamInfo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The stream captures one connection read in one burst, appended to each stream as one record batch when the burst
 * ends (or earlier, see below), each publish still answered by its own PubAck. Event loop only.
 *
 * <p>Why: an asynchronous JetStream publisher keeps hundreds of publishes in flight, so a read burst carries many.
 * Appended one by one, each costs a record batch (header, CRC), a trip through the log writer's queue, a completion
 * and a high-watermark notification of the stream's consumers; appended together, one of each. A message's sequence
 * is its batch's base offset plus its position, plus one.
 *
 * <p>Order: messages of one stream keep their arrival order inside a batch. Whatever cannot be batched (a publish
 * with a {@code Nats-Msg-Id}, which must reserve its id first, or to a stream with a {@code max_msg_size}, which
 * bounds a record batch) and every JetStream API request first {@link #flush flush} the held ones, so no later
 * operation overtakes an earlier publish. A batch is also appended once it holds {@link #MAX_BATCH_BYTES}, well below
 * the log's default largest batch (1 MiB).
 */
final class NatsJsPublishBatch {

    static final int MAX_BATCH_BYTES = 128 << 10;

    private final NatsJetStream jetStream;
    private final Map<String, Pending> pending = new LinkedHashMap<>();

    private static final class Pending {
        final CallContext ctx;
        final StreamInfo stream;
        final List<Message> messages = new ArrayList<>();
        final List<CompletableFuture<byte[]>> acks = new ArrayList<>();
        int bytes;

        Pending(CallContext ctx, StreamInfo stream) {
            this.ctx = ctx;
            this.stream = stream;
        }
    }

    NatsJsPublishBatch(NatsJetStream jetStream) {
        this.jetStream = jetStream;
    }

    /** Holds a capture of {@code message} by {@code stream}; completes with its PubAck once appended. */
    CompletableFuture<byte[]> add(CallContext ctx, StreamInfo stream, Message message) {
        Pending p = pending.get(stream.name());
        if (p != null && !p.stream.id().equals(stream.id())) {
            flush(); // the stream was deleted and created again meanwhile
            p = null;
        }
        if (p == null) {
            p = new Pending(ctx, stream);
            pending.put(stream.name(), p);
        }
        CompletableFuture<byte[]> ack = new CompletableFuture<>();
        p.messages.add(message);
        p.acks.add(ack);
        p.bytes += message.value() == null ? 0 : message.value().length;
        if (p.bytes >= MAX_BATCH_BYTES) {
            pending.remove(stream.name());
            append(p);
        }
        return ack;
    }

    /** Appends everything held. */
    void flush() {
        if (pending.isEmpty()) {
            return;
        }
        for (Pending p : pending.values()) {
            append(p);
        }
        pending.clear();
    }

    private void append(Pending p) {
        jetStream.captureAll(p.ctx, p.stream, p.messages, p.acks);
    }
}
