package io.sluice.protocol.nats.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * JSON helpers shared by the JetStream API handlers: one mapper, the response envelope and the error shape. Stateless
 * and thread-safe.
 *
 * <p>Every API response carries {@code "type":"io.nats.jetstream.api.v1.<name>_response"}; an error response adds
 * {@code "error":{"code":..., "err_code":..., "description":...}} (see {@link NatsJsError}). Timestamps are RFC 3339
 * with nanoseconds in UTC ({@code 2026-01-02T03:04:05.123456789Z}) and durations are integer nanoseconds, as the Go
 * server writes them.
 */
public final class NatsJsJson {

    public static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String TYPE_PREFIX = "io.nats.jetstream.api.v1.";

    private NatsJsJson() {
    }

    /** A response object with its {@code type}. */
    public static ObjectNode response(String type) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("type", TYPE_PREFIX + type);
        return n;
    }

    public static ObjectNode error(String type, NatsJsError error, String detail) {
        ObjectNode n = response(type);
        ObjectNode e = n.putObject("error");
        e.put("code", error.code());
        e.put("err_code", error.errCode());
        e.put("description", detail == null ? error.description() : error.description() + ": " + detail);
        return n;
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses a request body; an empty body is an empty object. Throws {@link IllegalArgumentException} when malformed. */
    public static ObjectNode parseObject(byte[] body) {
        if (body == null || body.length == 0 || new String(body, StandardCharsets.UTF_8).isBlank()) {
            return MAPPER.createObjectNode();
        }
        try {
            JsonNode n = MAPPER.readTree(body);
            if (n == null || n.isNull() || n.isMissingNode()) {
                return MAPPER.createObjectNode();
            }
            if (!(n instanceof ObjectNode o)) {
                throw new IllegalArgumentException("expected a JSON object");
            }
            return o;
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * Whether two JSON objects are equal as JSON text would be: Jackson's node equality tells an int node from a long
     * node of the same value, which a config read back from storage would trip on.
     */
    public static boolean sameJson(JsonNode a, JsonNode b) {
        try {
            return MAPPER.readTree(a.toString()).equals(MAPPER.readTree(b.toString()));
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    /** RFC 3339 UTC time as Go writes it. */
    public static String time(Instant t) {
        return t.toString();
    }

    /** The zero time Go writes for "never". */
    public static final String ZERO_TIME = "0001-01-01T00:00:00Z";
}
