package io.sluice.protocol.nats.codec;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The options a client sends in {@code CONNECT {json}}. Unknown fields are ignored (clients add fields faster than
 * servers read them); absent booleans take nats-server's defaults. Immutable.
 *
 * @param verbose      answer each operation with {@code +OK}
 * @param pedantic     check subjects strictly
 * @param headers      the client understands {@code HMSG} and may send {@code HPUB}
 * @param noResponders the client wants a 503 status message when a request finds no subscriber (needs headers)
 * @param echo         deliver the client's own publishes to its own subscriptions (default true)
 * @param protocol     protocol version; 1 means the client understands async INFO
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NatsConnectOptions(
        @JsonProperty("verbose") boolean verbose,
        @JsonProperty("pedantic") boolean pedantic,
        @JsonProperty("tls_required") boolean tlsRequired,
        @JsonProperty("auth_token") String authToken,
        @JsonProperty("user") String user,
        @JsonProperty("pass") String pass,
        @JsonProperty("name") String name,
        @JsonProperty("lang") String lang,
        @JsonProperty("version") String version,
        @JsonProperty("protocol") int protocol,
        @JsonProperty("echo") Boolean echo,
        @JsonProperty("headers") boolean headers,
        @JsonProperty("no_responders") boolean noResponders) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Whether the client's own messages are delivered back to it; nats-server defaults this to true. */
    public boolean echoEnabled() {
        return echo == null || echo;
    }

    /** Parses the JSON of a {@code CONNECT} line; throws {@link IllegalArgumentException} when it is not valid. */
    public static NatsConnectOptions parse(String json) {
        try {
            NatsConnectOptions options = JSON.readValue(json, NatsConnectOptions.class);
            if (options == null) {
                throw new IllegalArgumentException("CONNECT without options");
            }
            return options;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed CONNECT JSON: " + e.getOriginalMessage(), e);
        }
    }
}
