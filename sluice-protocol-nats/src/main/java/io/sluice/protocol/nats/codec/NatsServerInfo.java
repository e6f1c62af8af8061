package io.sluice.protocol.nats.codec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The JSON body of the {@code INFO} a server sends on connect, with the fields jnats reads. Immutable.
 *
 * @param jetStream whether the JetStream API subjects are served ({@code jetstream} in INFO)
 * @param clientId  the server-assigned id of this connection
 * @param clientIp  the client's address as the server sees it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NatsServerInfo(
        @JsonProperty("server_id") String serverId,
        @JsonProperty("server_name") String serverName,
        @JsonProperty("version") String version,
        @JsonProperty("proto") int proto,
        @JsonProperty("go") String go,
        @JsonProperty("host") String host,
        @JsonProperty("port") int port,
        @JsonProperty("headers") boolean headers,
        @JsonProperty("auth_required") Boolean authRequired,
        @JsonProperty("max_payload") long maxPayload,
        @JsonProperty("jetstream") Boolean jetStream,
        @JsonProperty("client_id") long clientId,
        @JsonProperty("client_ip") String clientIp) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public NatsServerOp.Info toOp() {
        return new NatsServerOp.Info(toJson());
    }
}
