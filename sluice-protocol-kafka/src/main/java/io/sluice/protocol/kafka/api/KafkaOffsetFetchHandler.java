package io.sluice.protocol.kafka.api;

import io.sluice.core.offset.CommittedOffset;
import io.sluice.core.offset.PartitionKey;
import io.sluice.protocol.kafka.message.OffsetFetchRequest;
import io.sluice.protocol.kafka.message.OffsetFetchResponse;
import io.sluice.protocol.kafka.session.KafkaApiHandler;
import io.sluice.protocol.kafka.session.KafkaErrors;
import io.sluice.protocol.kafka.session.KafkaNode;
import io.sluice.protocol.kafka.session.KafkaRequestContext;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OffsetFetch (v1-9, batched groups from v8): committed offsets from the core; a partition without one reports -1.
 * From v9 a member of a KIP-848 consumer group names itself and its epoch; an unknown member or another epoch fails
 * the whole group with UNKNOWN_MEMBER_ID or STALE_MEMBER_EPOCH, as in Kafka.
 * With requireStable, a partition with an offset staged by an open transaction reports UNSTABLE_OFFSET_COMMIT so the
 * consumer retries once the transaction ends.
 */
public final class KafkaOffsetFetchHandler implements KafkaApiHandler<OffsetFetchRequest> {

    private final KafkaNode node;

    public KafkaOffsetFetchHandler(KafkaNode node) {
        this.node = node;
    }

    @Override
    public CompletionStage<OffsetFetchResponse> handle(KafkaRequestContext ctx, OffsetFetchRequest req) {
        OffsetFetchResponse resp = new OffsetFetchResponse();
        if (ctx.version() < 8) {
            Map<String, List<Integer>> wanted = null;
            if (req.topics != null) {
                wanted = new LinkedHashMap<>();
                for (OffsetFetchRequest.OffsetFetchRequestTopic t : req.topics) {
                    wanted.put(t.name, t.partitionIndexes);
                }
            }
            for (var e : fetch(ctx, req.groupId, wanted, req.requireStable).entrySet()) {
                OffsetFetchResponse.OffsetFetchResponseTopic tr = new OffsetFetchResponse.OffsetFetchResponseTopic().setName(e.getKey());
                for (Object[] p : e.getValue()) {
                    tr.partitions.add(new OffsetFetchResponse.OffsetFetchResponsePartition().setPartitionIndex((Integer) p[0])
                            .setCommittedOffset((Long) p[1]).setCommittedLeaderEpoch((Integer) p[2]).setMetadata((String) p[3])
                            .setErrorCode((Short) p[4]));
                }
                resp.topics.add(tr);
            }
            return CompletableFuture.completedFuture(resp);
        }
        for (OffsetFetchRequest.OffsetFetchRequestGroup g : req.groups) {
            Map<String, List<Integer>> wanted = null;
            if (g.topics != null) {
                wanted = new LinkedHashMap<>();
                for (OffsetFetchRequest.OffsetFetchRequestTopics t : g.topics) {
                    wanted.put(t.name, t.partitionIndexes);
                }
            }
            OffsetFetchResponse.OffsetFetchResponseGroup gr = new OffsetFetchResponse.OffsetFetchResponseGroup().setGroupId(g.groupId);
            Short memberError = ctx.version() >= 9 ? node.consumerGroups().validateFetch(g.groupId, g.memberId, g.memberEpoch) : null;
            if (memberError != null && memberError != KafkaErrors.NONE) {
                resp.groups.add(gr.setErrorCode(memberError));
                continue;
            }
            for (var e : fetch(ctx, g.groupId, wanted, req.requireStable).entrySet()) {
                OffsetFetchResponse.OffsetFetchResponseTopics tr = new OffsetFetchResponse.OffsetFetchResponseTopics().setName(e.getKey());
                for (Object[] p : e.getValue()) {
                    tr.partitions.add(new OffsetFetchResponse.OffsetFetchResponsePartitions().setPartitionIndex((Integer) p[0])
                            .setCommittedOffset((Long) p[1]).setCommittedLeaderEpoch((Integer) p[2]).setMetadata((String) p[3])
                            .setErrorCode((Short) p[4]));
                }
                gr.topics.add(tr);
            }
            resp.groups.add(gr);
        }
        return CompletableFuture.completedFuture(resp);
    }

    /** Topic to rows of (partition, offset, leader epoch, metadata, error), for the requested or all partitions. */
    private Map<String, List<Object[]>> fetch(KafkaRequestContext ctx, String group, Map<String, List<Integer>> wanted,
                                              boolean requireStable) {
        Map<String, List<Object[]>> out = new LinkedHashMap<>();
        if (wanted == null) {
            Map<PartitionKey, CommittedOffset> all = node.broker().offsets().fetch(ctx.call(), group, null);
            for (var e : all.entrySet()) {
                out.computeIfAbsent(e.getKey().stream(), k -> new ArrayList<>()).add(row(group, e.getKey(), e.getValue(), requireStable));
            }
            return out;
        }
        List<PartitionKey> keys = new ArrayList<>();
        wanted.forEach((t, ps) -> ps.forEach(p -> keys.add(new PartitionKey(t, p))));
        Map<PartitionKey, CommittedOffset> found = node.broker().offsets().fetch(ctx.call(), group, keys);
        for (PartitionKey k : keys) {
            out.computeIfAbsent(k.stream(), x -> new ArrayList<>()).add(row(group, k, found.get(k), requireStable));
        }
        return out;
    }

    private Object[] row(String group, PartitionKey k, CommittedOffset o, boolean requireStable) {
        short err = requireStable && node.transactions().hasPendingOffset(group, k) ? KafkaErrors.UNSTABLE_OFFSET_COMMIT
                : KafkaErrors.NONE;
        if (o == null) {
            return new Object[] {k.partition(), -1L, -1, "", err};
        }
        return new Object[] {k.partition(), o.offset(), o.leaderEpoch(), o.metadata() == null ? "" : o.metadata(), err};
    }
}
