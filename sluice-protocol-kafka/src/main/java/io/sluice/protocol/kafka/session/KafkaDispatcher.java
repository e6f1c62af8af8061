package io.sluice.protocol.kafka.session;

import io.sluice.core.CallContext;
import io.sluice.protocol.kafka.codec.KafkaApiMessage;
import io.sluice.protocol.kafka.codec.KafkaProtocolException;
import io.sluice.protocol.kafka.codec.KafkaRequest;
import io.sluice.protocol.kafka.codec.KafkaResponse;
import io.sluice.protocol.kafka.message.ApiVersionsResponse;
import io.sluice.protocol.kafka.message.KafkaApiKey;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Routes a request to the handler of its api after checking the version against what this broker advertises. The
 * table is built once; the dispatcher is shared by every connection of a listener and is thread-safe.
 *
 * <p>Version rules follow Kafka: an ApiVersions request of an unsupported version is answered at v0 with
 * UNSUPPORTED_VERSION and the full key list (so a newer client can pick a version); any other unsupported api or
 * version is a protocol error that closes the connection.
 */
public final class KafkaDispatcher {

    /** One supported api: the advertised range and its handler. */
    public record Route(KafkaApiKey apiKey, short minVersion, short maxVersion, KafkaApiHandler<?> handler) {
    }

    private final Map<KafkaApiKey, Route> routes = new EnumMap<>(KafkaApiKey.class);

    public <Q extends KafkaApiMessage> KafkaDispatcher register(KafkaApiKey key, int min, int max, KafkaApiHandler<Q> h) {
        routes.put(key, new Route(key, (short) min, (short) max, h));
        return this;
    }

    public Map<KafkaApiKey, Route> routes() {
        return routes;
    }

    /**
     * Handles one request. The future completes with the response to send, {@code null} for none, or fails with a
     * {@link KafkaProtocolException} when the connection must be closed.
     */
    public CompletableFuture<KafkaResponse> dispatch(KafkaRequest req, String clientHost, CallContext call) {
        return dispatch(req, clientHost, call, null);
    }

    /** As {@link #dispatch(KafkaRequest, String, CallContext)}, naming the connection's event loop for handlers. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public CompletableFuture<KafkaResponse> dispatch(KafkaRequest req, String clientHost, CallContext call,
                                                     Executor executor) {
        KafkaApiKey key = req.apiKey();
        if (key == null) {
            return CompletableFuture.failedFuture(new KafkaProtocolException("unknown api key " + req.apiKeyId()));
        }
        Route route = routes.get(key);
        short version = req.version();
        if (route == null || version < route.minVersion || version > route.maxVersion) {
            if (key == KafkaApiKey.API_VERSIONS) {
                return CompletableFuture.completedFuture(new KafkaResponse(key, (short) 0, req.correlationId(),
                        apiVersions(KafkaErrors.UNSUPPORTED_VERSION)));
            }
            return CompletableFuture.failedFuture(new KafkaProtocolException(
                    "unsupported " + key.apiName + " version " + version));
        }
        if (version < key.lowestVersion) {
            // Produce v0-2 are advertised (old librdkafka needs min 0) but no longer exist in the schema.
            return CompletableFuture.failedFuture(new KafkaProtocolException(
                    key.apiName + " v" + version + " is advertised for compatibility only"));
        }
        KafkaApiMessage body = key.newRequest();
        try {
            body.read(req.body(), version);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new KafkaProtocolException("malformed " + req + ": " + e));
        }
        KafkaRequestContext ctx = new KafkaRequestContext(key, version, req.correlationId(), req.clientId(),
                clientHost, call, executor);
        CompletableFuture<KafkaResponse> out = new CompletableFuture<>();
        try {
            ((KafkaApiHandler) route.handler).handle(ctx, body).whenComplete((resp, err) -> {
                if (err != null) {
                    out.completeExceptionally((Throwable) err);
                } else {
                    out.complete(resp == null ? null : new KafkaResponse(key, version, req.correlationId(),
                            (KafkaApiMessage) resp));
                }
            });
        } catch (RuntimeException e) {
            out.completeExceptionally(e);
        }
        return out;
    }

    /** The ApiVersions body listing every advertised api. */
    public ApiVersionsResponse apiVersions(short errorCode) {
        ApiVersionsResponse r = new ApiVersionsResponse().setErrorCode(errorCode);
        for (Route route : routes.values()) {
            r.apiKeys.add(new ApiVersionsResponse.ApiVersion().setApiKey(route.apiKey.id)
                    .setMinVersion(route.minVersion).setMaxVersion(route.maxVersion));
        }
        return r;
    }
}
