package io.sluice.protocol.kafka.api;

import io.sluice.protocol.kafka.message.DeleteGroupsRequest;
import io.sluice.protocol.kafka.message.DeleteGroupsResponse;
import io.sluice.protocol.kafka.session.KafkaApiHandler;
import io.sluice.protocol.kafka.session.KafkaErrors;
import io.sluice.protocol.kafka.session.KafkaNode;
import io.sluice.protocol.kafka.session.KafkaRequestContext;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** DeleteGroups (v0-2): removes an empty group (classic or KIP-848 consumer group) and its committed offsets. */
public final class KafkaDeleteGroupsHandler implements KafkaApiHandler<DeleteGroupsRequest> {

    private final KafkaNode node;

    public KafkaDeleteGroupsHandler(KafkaNode node) {
        this.node = node;
    }

    @Override
    public CompletionStage<DeleteGroupsResponse> handle(KafkaRequestContext ctx, DeleteGroupsRequest req) {
        DeleteGroupsResponse resp = new DeleteGroupsResponse();
        Set<String> withOffsets = node.broker().offsets().groups(ctx.call());
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (String g : req.groupsNames) {
            DeleteGroupsResponse.DeletableGroupResult r = new DeleteGroupsResponse.DeletableGroupResult().setGroupId(g);
            resp.results.add(r);
            Short consumerGroup = node.consumerGroups().delete(g);
            if (consumerGroup == null && !withOffsets.contains(g) && !node.groups().exists(g)) {
                r.errorCode = KafkaErrors.GROUP_ID_NOT_FOUND;
                continue;
            }
            r.errorCode = consumerGroup != null ? consumerGroup : node.groups().delete(g);
            if (r.errorCode == KafkaErrors.NONE && withOffsets.contains(g)) {
                pending.add(node.broker().offsets().delete(ctx.call(), g, null).handle((v, err) -> {
                    if (err != null) {
                        r.errorCode = KafkaErrors.fromCore(err);
                    }
                    return null;
                }));
            }
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).thenApply(v -> resp);
    }
}
