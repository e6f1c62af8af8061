package io.sluice.protocol.nats.codec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The header block of {@code HPUB}/{@code HMSG}: an HTTP-like block that clients parse strictly. Immutable.
 *
 * <p>Byte format (every line ends with {@code \r\n}, the block with an empty line):
 * <pre>
 *   NATS/1.0[ status[ description]]\r\n
 *   Name: value\r\n          (zero or more; a name may repeat)
 *   \r\n
 * </pre>
 * A status line with a code is how the server signals conditions inside a message: {@code 503} no responders,
 * {@code 404} no messages and {@code 408} request timeout for JetStream pull requests, {@code 100} idle heartbeat.
 * Names keep their case; lookups are exact, as in jnats.
 *
 * @param status      the status code, 0 when the status line has none
 * @param description the text after the code, or empty
 * @param values      header values by name, in arrival order
 */
public record NatsHeaders(int status, String description, Map<String, List<String>> values) {

    private static final String VERSION = "NATS/1.0";

    public NatsHeaders {
        description = description == null ? "" : description;
        Map<String, List<String>> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        values = Collections.unmodifiableMap(copy);
    }

    /** A block with only a status line, as nats-server sends for no-responders ({@code 503}). */
    public static NatsHeaders status(int status, String description) {
        return new NatsHeaders(status, description, Map.of());
    }

    /** The first value of a header, or {@code null}. */
    public String first(String name) {
        List<String> v = values.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** Parses a header block; throws {@link IllegalArgumentException} when it does not start with {@code NATS/1.0}. */
    public static NatsHeaders parse(byte[] block) {
        if (block.length == 0) {
            // HPUB with a header size of 0 (nats.js sends it for a JetStream publish without options): no headers,
            // as nats-server accepts it.
            return new NatsHeaders(0, "", new java.util.LinkedHashMap<>());
        }
        String text = new String(block, StandardCharsets.UTF_8);
        String[] lines = text.split("\r\n", -1);
        if (lines.length == 0 || !lines[0].startsWith(VERSION)) {
            throw new IllegalArgumentException("header block does not start with " + VERSION);
        }
        int status = 0;
        String description = "";
        String statusLine = lines[0].substring(VERSION.length()).strip();
        if (!statusLine.isEmpty()) {
            int space = statusLine.indexOf(' ');
            String code = space < 0 ? statusLine : statusLine.substring(0, space);
            try {
                status = Integer.parseInt(code);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad status " + code, e);
            }
            description = space < 0 ? "" : statusLine.substring(space + 1).strip();
        }
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("bad header line");
            }
            values.computeIfAbsent(line.substring(0, colon).strip(), k -> new ArrayList<>())
                    .add(line.substring(colon + 1).strip());
        }
        return new NatsHeaders(status, description, values);
    }

    /** The wire bytes of this block. */
    public byte[] encode() {
        StringBuilder sb = new StringBuilder(VERSION);
        if (status != 0) {
            sb.append(' ').append(status);
            if (!description.isEmpty()) {
                sb.append(' ').append(description);
            }
        }
        sb.append("\r\n");
        values.forEach((name, list) -> list.forEach(v -> sb.append(name).append(": ").append(v).append("\r\n")));
        sb.append("\r\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
