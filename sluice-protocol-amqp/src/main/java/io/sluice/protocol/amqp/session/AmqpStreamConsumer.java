package io.sluice.protocol.amqp.session;

import io.netty.channel.EventLoop;
import io.sluice.core.Broker;
import io.sluice.core.CallContext;
import io.sluice.core.MessageCodec;
import io.sluice.core.queue.Delivery;
import io.sluice.core.stream.Isolation;
import io.sluice.core.stream.StreamPartition;
import io.sluice.protocol.amqp.codec.AmqpValue;
import io.sluice.storage.LogReadResult;
import io.sluice.storage.TimestampOffset;
import io.sluice.storage.record.Record;
import io.sluice.storage.record.RecordBatches;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * A consumer of a stream queue ({@code x-queue-type=stream}): reads the queue's log from an offset chosen with
 * {@code x-stream-offset}, without consuming it for anyone else, and delivers at most {@code prefetch} messages
 * beyond the last acknowledged, as RabbitMQ's stream queues do (acknowledgements only return credit).
 *
 * <p>The stream queue's log is the core stream of the same name, partition 0. Reads run on the broker's
 * {@linkplain Broker#blockingExecutor() blocking executor} (a read may copy from a segment file), one at a time per
 * consumer; deliveries and credit changes happen on the event loop.
 */
final class AmqpStreamConsumer {

    private static final int READ_BYTES = 1 << 20;
    private static final long WAIT_MS = 30_000;

    /** Where to start: one of RabbitMQ's x-stream-offset specifications. */
    sealed interface StartOffset {
        record First() implements StartOffset {
        }

        record Last() implements StartOffset {
        }

        record Next() implements StartOffset {
        }

        record Offset(long offset) implements StartOffset {
        }

        record Timestamp(long epochMillis) implements StartOffset {
        }

        /** The specification from the consume argument, "next" when absent, or null when it is invalid. */
        static StartOffset parse(AmqpValue v) {
            if (v == null) {
                return new Next();
            }
            if (v instanceof AmqpValue.Timestamp t) {
                return new Timestamp(t.epochSeconds() * 1000);
            }
            Long n = AmqpValue.asLong(v);
            if (n != null) {
                return n < 0 ? null : new Offset(n);
            }
            if (v instanceof AmqpValue.LongString s) {
                String text = s.asString();
                return switch (text) {
                    case "first" -> new First();
                    case "last" -> new Last();
                    case "next" -> new Next();
                    default -> interval(text);
                };
            }
            return null;
        }

        /** RabbitMQ's relative form: a count and a unit Y, M, D, h, m or s, meaning "from that long ago". */
        private static StartOffset interval(String text) {
            if (text.length() < 2) {
                return null;
            }
            long unit = switch (text.charAt(text.length() - 1)) {
                case 'Y' -> 365L * 86_400_000;
                case 'M' -> 30L * 86_400_000;
                case 'D' -> 86_400_000L;
                case 'h' -> 3_600_000L;
                case 'm' -> 60_000L;
                case 's' -> 1000L;
                default -> -1;
            };
            if (unit < 0) {
                return null;
            }
            try {
                long count = Long.parseLong(text.substring(0, text.length() - 1));
                return new Timestamp(System.currentTimeMillis() - count * unit);
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    private final String queue;
    private final StreamPartition partition;
    private final StartOffset start;
    private final int prefetch;
    private final EventLoop loop;
    private final Executor reads;
    private final Consumer<Delivery> sink;
    private final ArrayDeque<Record> buffered = new ArrayDeque<>();
    private long nextOffset = -1;
    private int outstanding;
    private boolean reading;
    private boolean closed;

    AmqpStreamConsumer(Broker broker, CallContext ctx, String queue, StartOffset start, int prefetch, EventLoop loop,
                       Consumer<Delivery> sink) {
        this.queue = queue;
        this.partition = broker.streams().partition(ctx, queue, 0);
        this.start = start;
        this.prefetch = prefetch;
        this.loop = loop;
        this.reads = broker.blockingExecutor();
        this.sink = sink;
    }

    void start() {
        long logStart = partition.logStartOffset();
        long end = partition.highWatermark();
        nextOffset = switch (start) {
            case StartOffset.First f -> logStart;
            case StartOffset.Last l -> Math.max(logStart, end - 1);
            case StartOffset.Next n -> end;
            case StartOffset.Offset o -> Math.max(logStart, Math.min(o.offset(), end));
            case StartOffset.Timestamp t -> {
                Optional<TimestampOffset> at = partition.offsetForTimestamp(t.epochMillis());
                yield at.map(TimestampOffset::offset).orElse(end);
            }
        };
        pump();
    }

    /** Acknowledgements of {@code n} deliveries return as much credit. */
    void acked(int n) {
        outstanding = Math.max(0, outstanding - n);
        pump();
    }

    void close() {
        closed = true;
        buffered.clear();
    }

    private void pump() {
        while (!closed && outstanding < prefetch && !buffered.isEmpty()) {
            Record r = buffered.poll();
            outstanding++;
            nextOffset = r.offset() + 1;
            sink.accept(new Delivery(queue, r.offset(), MessageCodec.fromRecord(r), 1, ""));
        }
        if (closed || reading || outstanding >= prefetch || !buffered.isEmpty()) {
            return;
        }
        reading = true;
        long from = nextOffset;
        CompletableFuture<List<Record>> read;
        try {
            read = CompletableFuture.supplyAsync(() -> read(from), reads);
        } catch (RejectedExecutionException stopping) {
            reading = false; // the broker is closing; its connections close with it
            return;
        }
        read.whenComplete((records, err) -> loop.execute(() -> {
            reading = false;
            if (closed) {
                return;
            }
            if (err != null || records.isEmpty()) {
                partition.awaitBeyond(from, WAIT_MS).whenComplete((v, e) -> loop.execute(this::pump));
                return;
            }
            buffered.addAll(records);
            pump();
        }));
    }

    private List<Record> read(long from) {
        try {
            LogReadResult result = partition.read(from, READ_BYTES, Isolation.READ_UNCOMMITTED);
            ByteBuffer bytes = result.records().toByteBuffer();
            return RecordBatches.records(bytes).stream()
                    .filter(r -> r.offset() >= from && r.offset() < result.highWatermark())
                    .toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
