package io.sluice.protocol.kafka.api;

import io.sluice.core.stream.StreamConfig;
import io.sluice.core.stream.StreamInfo;
import io.sluice.protocol.kafka.message.IncrementalAlterConfigsRequest;
import io.sluice.protocol.kafka.message.IncrementalAlterConfigsResponse;
import io.sluice.protocol.kafka.session.KafkaApiHandler;
import io.sluice.protocol.kafka.session.KafkaErrors;
import io.sluice.protocol.kafka.session.KafkaNode;
import io.sluice.protocol.kafka.session.KafkaRequestContext;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * IncrementalAlterConfigs (v0-1) on topics: SET and DELETE applied atomically by the core; APPEND and SUBTRACT
 * (list-valued broker settings) are refused with INVALID_CONFIG. Broker resources are refused with INVALID_REQUEST.
 */
public final class KafkaIncrementalAlterConfigsHandler implements KafkaApiHandler<IncrementalAlterConfigsRequest> {

    static final byte SET = 0;
    static final byte DELETE = 1;

    private final KafkaNode node;

    public KafkaIncrementalAlterConfigsHandler(KafkaNode node) {
        this.node = node;
    }

    @Override
    public CompletionStage<IncrementalAlterConfigsResponse> handle(KafkaRequestContext ctx, IncrementalAlterConfigsRequest req) {
        IncrementalAlterConfigsResponse resp = new IncrementalAlterConfigsResponse();
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (IncrementalAlterConfigsRequest.AlterConfigsResource r : req.resources) {
            IncrementalAlterConfigsResponse.AlterConfigsResourceResponse res =
                    new IncrementalAlterConfigsResponse.AlterConfigsResourceResponse().setResourceType(r.resourceType)
                            .setResourceName(r.resourceName).setErrorMessage(null);
            resp.responses.add(res);
            if (r.resourceType != KafkaDescribeConfigsHandler.TOPIC) {
                res.setErrorCode(KafkaErrors.INVALID_REQUEST).setErrorMessage("only topic configs can be altered");
                continue;
            }
            Optional<StreamInfo> info = node.topics().describe(ctx.call(), r.resourceName);
            if (info.isEmpty()) {
                res.setErrorCode(KafkaErrors.UNKNOWN_TOPIC_OR_PARTITION).setErrorMessage("Topic " + r.resourceName + " does not exist.");
                continue;
            }
            Map<String, String> set = new HashMap<>();
            Set<String> remove = new HashSet<>();
            String bad = null;
            for (IncrementalAlterConfigsRequest.AlterableConfig c : r.configs) {
                if (c.configOperation == SET) {
                    set.put(c.name, c.value);
                } else if (c.configOperation == DELETE) {
                    remove.add(c.name);
                } else {
                    bad = "operation " + c.configOperation + " is not supported for " + c.name;
                }
            }
            Map<String, String> result = new HashMap<>(info.get().config());
            result.putAll(set);
            result.keySet().removeAll(remove);
            try {
                StreamConfig.validate(result);
            } catch (IllegalArgumentException e) {
                bad = e.getMessage();
            }
            if (bad != null) {
                res.setErrorCode(KafkaErrors.INVALID_CONFIG).setErrorMessage(bad);
                continue;
            }
            if (req.validateOnly) {
                continue;
            }
            pending.add(node.topics().streams().alterConfig(ctx.call(), r.resourceName, set, remove).handle((v, err) -> {
                if (err != null) {
                    res.setErrorCode(KafkaErrors.INVALID_CONFIG).setErrorMessage(KafkaErrors.message(err));
                }
                return null;
            }));
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).thenApply(v -> resp);
    }
}
