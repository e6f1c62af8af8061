package io.sluice.protocol.amqp.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.Message;
import io.sluice.protocol.amqp.codec.AmqpBasicProperties;
import io.sluice.protocol.amqp.codec.AmqpTable;
import io.sluice.protocol.amqp.codec.AmqpValue;
import io.sluice.storage.record.Header;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Renders the core's dead-letter history as the {@code x-death} header RabbitMQ writes, so AMQP consumers of
 * dead-lettered messages see what RabbitMQ would show them. Stateless.
 *
 * <p>The core (its dead-lettering) stores the history in record headers: {@code x-death}, a UTF-8 JSON array, most
 * recent first, of objects {@code {count, reason, queue, time (epoch seconds), exchange, routing-keys[],
 * original-expiration?}}, and {@code x-first-death-*} / {@code x-last-death-*} as UTF-8 text. Here the array becomes
 * an AMQP field array of tables typed as RabbitMQ types them: {@code count} a long ({@code l}), {@code time} a
 * timestamp ({@code T}), {@code routing-keys} an array of long strings, the rest long strings; the first/last
 * headers become long strings. The core's values replace same-named headers a publisher may have set, since the
 * core's are the current history.
 */
final class AmqpDeadLetters {

    static final String X_DEATH = "x-death";
    private static final String[] SUMMARY = {"x-first-death-reason", "x-first-death-queue", "x-first-death-exchange",
            "x-last-death-reason", "x-last-death-queue", "x-last-death-exchange"};
    private static final ObjectMapper JSON = new ObjectMapper();

    private AmqpDeadLetters() {
    }

    static AmqpBasicProperties withDeathHeaders(AmqpBasicProperties props, Message m) {
        byte[] history = m.header(X_DEATH);
        if (history == null) {
            return props;
        }
        AmqpValue.Array deaths = parse(history);
        if (deaths == null) {
            return props;
        }
        AmqpTable headers = props.headers() == null ? AmqpTable.EMPTY : props.headers();
        headers = headers.with(X_DEATH, deaths);
        for (String name : SUMMARY) {
            byte[] v = m.header(name);
            if (v != null) {
                headers = headers.with(name, new AmqpValue.LongString(v));
            }
        }
        return props.withHeaders(headers);
    }

    /** The x-death array, or null when the stored history is not the JSON the core writes. */
    static AmqpValue.Array parse(byte[] json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            return null;
        }
        if (root == null || !root.isArray()) {
            return null;
        }
        List<AmqpValue> out = new ArrayList<>();
        for (JsonNode death : root) {
            if (!death.isObject()) {
                continue;
            }
            AmqpTable.Builder t = AmqpTable.builder();
            Iterator<Map.Entry<String, JsonNode>> fields = death.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                JsonNode v = f.getValue();
                switch (f.getKey()) {
                    case "count" -> t.put("count", new AmqpValue.Int64(v.asLong()));
                    case "time" -> t.put("time", new AmqpValue.Timestamp(v.asLong()));
                    case "routing-keys" -> {
                        List<AmqpValue> keys = new ArrayList<>();
                        v.forEach(k -> keys.add(AmqpValue.LongString.of(k.asText())));
                        t.put("routing-keys", new AmqpValue.Array(keys));
                    }
                    default -> t.put(f.getKey(), v.isNumber() ? new AmqpValue.Int64(v.asLong())
                            : AmqpValue.LongString.of(v.asText()));
                }
            }
            out.add(new AmqpValue.Table(t.build()));
        }
        return new AmqpValue.Array(out);
    }

    /** True for record headers the core writes for dead letters (they never become plain AMQP headers twice). */
    static boolean isDeathHeader(Header h) {
        if (h.key().equals(X_DEATH)) {
            return true;
        }
        for (String s : SUMMARY) {
            if (s.equals(h.key())) {
                return true;
            }
        }
        return false;
    }
}
