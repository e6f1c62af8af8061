package io.sluice.protocol.kafka.api;

import io.sluice.core.stream.StreamPartition;
import io.sluice.protocol.kafka.message.DeleteRecordsRequest;
import io.sluice.protocol.kafka.message.DeleteRecordsResponse;
import io.sluice.protocol.kafka.session.KafkaApiHandler;
import io.sluice.protocol.kafka.session.KafkaErrors;
import io.sluice.protocol.kafka.session.KafkaNode;
import io.sluice.protocol.kafka.session.KafkaRequestContext;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** DeleteRecords (v0-2): raises the log start offset (-1 means the high watermark). */
public final class KafkaDeleteRecordsHandler implements KafkaApiHandler<DeleteRecordsRequest> {

    private final KafkaNode node;

    public KafkaDeleteRecordsHandler(KafkaNode node) {
        this.node = node;
    }

    @Override
    public CompletionStage<DeleteRecordsResponse> handle(KafkaRequestContext ctx, DeleteRecordsRequest req) {
        DeleteRecordsResponse resp = new DeleteRecordsResponse();
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (DeleteRecordsRequest.DeleteRecordsTopic t : req.topics) {
            DeleteRecordsResponse.DeleteRecordsTopicResult tr = new DeleteRecordsResponse.DeleteRecordsTopicResult().setName(t.name);
            resp.topics.add(tr);
            for (DeleteRecordsRequest.DeleteRecordsPartition p : t.partitions) {
                DeleteRecordsResponse.DeleteRecordsPartitionResult pr = new DeleteRecordsResponse.DeleteRecordsPartitionResult()
                        .setPartitionIndex(p.partitionIndex).setLowWatermark(-1);
                tr.partitions.add(pr);
                Optional<StreamPartition> part = node.topics().partition(ctx.call(), t.name, p.partitionIndex);
                if (part.isEmpty()) {
                    pr.errorCode = KafkaErrors.UNKNOWN_TOPIC_OR_PARTITION;
                    continue;
                }
                long hw = part.get().highWatermark();
                long target = p.offset == -1 ? hw : p.offset;
                if (target < 0 || target > hw) {
                    pr.errorCode = KafkaErrors.OFFSET_OUT_OF_RANGE;
                    continue;
                }
                pending.add(part.get().deleteRecordsBefore(target).handle((low, err) -> {
                    if (err != null) {
                        pr.errorCode = KafkaErrors.fromCore(err);
                    } else {
                        pr.lowWatermark = low;
                    }
                    return null;
                }));
            }
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).thenApply(v -> resp);
    }
}
