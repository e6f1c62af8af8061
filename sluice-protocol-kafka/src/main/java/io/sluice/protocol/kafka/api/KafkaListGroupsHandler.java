package io.sluice.protocol.kafka.api;

import io.sluice.protocol.kafka.message.ListGroupsRequest;
import io.sluice.protocol.kafka.message.ListGroupsResponse;
import io.sluice.protocol.kafka.session.KafkaApiHandler;
import io.sluice.protocol.kafka.session.KafkaErrors;
import io.sluice.protocol.kafka.session.KafkaNode;
import io.sluice.protocol.kafka.session.KafkaRequestContext;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ListGroups (v0-5): live classic groups, KIP-848 consumer groups (type {@code consumer}, states Empty, Assigning,
 * Reconciling, Stable) and groups that only have committed offsets (classic, Empty). v4 filters by state and v5 by
 * type, both case-insensitively as Kafka does.
 */
public final class KafkaListGroupsHandler implements KafkaApiHandler<ListGroupsRequest> {

    private final KafkaNode node;

    public KafkaListGroupsHandler(KafkaNode node) {
        this.node = node;
    }

    @Override
    public CompletionStage<ListGroupsResponse> handle(KafkaRequestContext ctx, ListGroupsRequest req) {
        Map<String, String[]> all = new LinkedHashMap<>();
        for (String g : node.broker().offsets().groups(ctx.call())) {
            all.put(g, new String[] {"Empty", "consumer"});
        }
        all.putAll(node.groups().list());
        Map<String, String> consumerGroups = node.consumerGroups().list();
        consumerGroups.forEach((id, state) -> all.put(id, new String[] {state, "consumer"}));
        ListGroupsResponse resp = new ListGroupsResponse();
        for (var e : all.entrySet()) {
            String state = e.getValue()[0];
            if (ctx.version() >= 4 && !req.statesFilter.isEmpty()
                    && req.statesFilter.stream().noneMatch(s -> s.equalsIgnoreCase(state))) {
                continue;
            }
            String type = consumerGroups.containsKey(e.getKey()) ? "consumer" : "classic";
            if (ctx.version() >= 5 && !req.typesFilter.isEmpty()
                    && req.typesFilter.stream().noneMatch(s -> s.equalsIgnoreCase(type))) {
                continue;
            }
            resp.groups.add(new ListGroupsResponse.ListedGroup().setGroupId(e.getKey()).setProtocolType(e.getValue()[1])
                    .setGroupState(state).setGroupType(type));
        }
        return CompletableFuture.completedFuture(resp.setErrorCode(KafkaErrors.NONE));
    }
}
