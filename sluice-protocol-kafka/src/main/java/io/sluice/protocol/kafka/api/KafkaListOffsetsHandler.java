package io.sluice.protocol.kafka.api;

import io.sluice.core.stream.StreamPartition;
import io.sluice.protocol.kafka.message.ListOffsetsRequest;
import io.sluice.protocol.kafka.message.ListOffsetsResponse;
import io.sluice.protocol.kafka.session.KafkaApiHandler;
import io.sluice.protocol.kafka.session.KafkaErrors;
import io.sluice.protocol.kafka.session.KafkaNode;
import io.sluice.protocol.kafka.session.KafkaRequestContext;
import io.sluice.storage.TimestampOffset;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * ListOffsets: earliest (-2, and -4 earliest-local, the same here: there is no tiered storage), latest (-1: the high
 * watermark, or the last stable offset for read_committed), max timestamp (-3), or the first offset whose timestamp
 * is at least the one asked (-1/-1 when none is).
 */
public final class KafkaListOffsetsHandler implements KafkaApiHandler<ListOffsetsRequest> {

    static final long LATEST = -1;
    static final long EARLIEST = -2;
    static final long MAX_TIMESTAMP = -3;
    static final long EARLIEST_LOCAL = -4;
    static final long LATEST_TIERED = -5;

    private final KafkaNode node;

    public KafkaListOffsetsHandler(KafkaNode node) {
        this.node = node;
    }

    @Override
    public CompletionStage<ListOffsetsResponse> handle(KafkaRequestContext ctx, ListOffsetsRequest req) {
        ListOffsetsResponse resp = new ListOffsetsResponse();
        for (ListOffsetsRequest.ListOffsetsTopic t : req.topics) {
            ListOffsetsResponse.ListOffsetsTopicResponse tr = new ListOffsetsResponse.ListOffsetsTopicResponse().setName(t.name);
            resp.topics.add(tr);
            for (ListOffsetsRequest.ListOffsetsPartition p : t.partitions) {
                ListOffsetsResponse.ListOffsetsPartitionResponse pr = new ListOffsetsResponse.ListOffsetsPartitionResponse()
                        .setPartitionIndex(p.partitionIndex).setTimestamp(-1).setOffset(-1).setLeaderEpoch(0);
                tr.partitions.add(pr);
                Optional<StreamPartition> part = node.topics().partition(ctx.call(), t.name, p.partitionIndex);
                if (part.isEmpty()) {
                    pr.errorCode = KafkaErrors.UNKNOWN_TOPIC_OR_PARTITION;
                    continue;
                }
                try {
                    lookup(part.get(), p.timestamp, req.isolationLevel == 1, pr);
                } catch (RuntimeException e) {
                    pr.errorCode = KafkaErrors.fromCore(e);
                }
            }
        }
        return CompletableFuture.completedFuture(resp);
    }

    /**
     * The timestamp of the record found; Kafka answers with it rather than the one asked for. Read from the batch
     * because the log's time lookup reports the requested time.
     */
    private static long recordTimestamp(StreamPartition p, TimestampOffset to) {
        try {
            var slice = p.read(to.offset(), 1, io.sluice.core.stream.Isolation.READ_UNCOMMITTED).records();
            for (var batch : io.sluice.storage.record.RecordBatches.iterate(slice.toByteBuffer())) {
                if (batch.lastOffset() < to.offset()) {
                    continue;
                }
                if (batch.timestampType() == io.sluice.storage.TimestampType.LOG_APPEND_TIME) {
                    return batch.maxTimestamp();
                }
                for (var r : batch.records()) {
                    if (r.offset() == to.offset()) {
                        return r.timestamp();
                    }
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // fall back to what the log reported
        }
        return to.timestamp();
    }

    private static void lookup(StreamPartition p, long ts, boolean committed,
                               ListOffsetsResponse.ListOffsetsPartitionResponse pr) {
        if (ts == EARLIEST || ts == EARLIEST_LOCAL) {
            pr.offset = p.logStartOffset();
        } else if (ts == LATEST || ts == LATEST_TIERED) {
            pr.offset = committed ? p.lastStableOffset() : p.highWatermark();
        } else if (ts == MAX_TIMESTAMP) {
            Optional<TimestampOffset> m = p.maxTimestamp();
            m.ifPresent(to -> {
                pr.offset = to.offset();
                pr.timestamp = to.timestamp();
            });
        } else {
            Optional<TimestampOffset> found = p.offsetForTimestamp(ts);
            long limit = committed ? p.lastStableOffset() : p.highWatermark();
            found.filter(to -> to.offset() < limit).ifPresent(to -> {
                pr.offset = to.offset();
                pr.timestamp = recordTimestamp(p, to);
            });
        }
    }
}
