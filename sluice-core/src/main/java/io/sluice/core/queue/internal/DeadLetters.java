package io.sluice.core.queue.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import io.sluice.core.Message;
import io.sluice.core.internal.Json;
import io.sluice.storage.record.Header;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adds RabbitMQ's dead-letter history to a message before it is republished to the dead-letter exchange.
 *
 * <p><b>Header encoding</b> (record headers, so every protocol sees them; the AMQP adapter renders them as the
 * {@code x-death} array of tables and the {@code x-first-death-*} / {@code x-last-death-*} long strings RabbitMQ
 * writes):
 * <ul>
 *   <li>{@value #X_DEATH}: a UTF-8 JSON array, most recent death first, one object per (queue, reason) pair:
 *       {@code {"count": long, "reason": "rejected"|"expired"|"maxlen"|"delivery_limit", "queue": str,
 *       "time": epoch seconds, "exchange": str, "routing-keys": [str...], "original-expiration": str (only when the
 *       message had a per-message TTL)}}. A repeated (queue, reason) increments its count and moves to the front,
 *       as RabbitMQ does.</li>
 *   <li>{@code x-first-death-reason}, {@code x-first-death-queue}, {@code x-first-death-exchange}: UTF-8, set on the
 *       first death and never changed.</li>
 *   <li>{@code x-last-death-reason}, {@code x-last-death-queue}, {@code x-last-death-exchange}: UTF-8, the latest
 *       death.</li>
 * </ul>
 * The exchange a message was originally published to is not part of {@link Message}; it is taken from the record
 * header {@value #EXCHANGE_HEADER} when the publishing adapter set one, else "". The per-message expiration is
 * removed (RabbitMQ moves it to {@code original-expiration}) and the timestamp is cleared so the dead-letter queue
 * stamps its own enqueue time.
 *
 * <p>Stateless and thread-safe.
 */
public final class DeadLetters {
    public static final String X_DEATH = "x-death";
    public static final String EXCHANGE_HEADER = "sluice.exchange";
    static final String[] DEATH_HEADERS = {"x-first-death-reason", "x-first-death-queue", "x-first-death-exchange",
            "x-last-death-reason", "x-last-death-queue", "x-last-death-exchange"};

    private DeadLetters() {
    }

    /** The message as it is republished after dying in {@code queue} for {@code reason} at {@code nowMs}. */
    public static Message annotate(Message m, String queue, String reason, long nowMs) {
        byte[] exBytes = m.header(EXCHANGE_HEADER);
        String exchange = exBytes == null ? "" : new String(exBytes, StandardCharsets.UTF_8);
        List<Map<String, Object>> deaths = deaths(m);
        Map<String, Object> entry = null;
        for (Map<String, Object> d : deaths) {
            if (queue.equals(d.get("queue")) && reason.equals(d.get("reason"))) {
                entry = d;
                break;
            }
        }
        if (entry != null) {
            deaths.remove(entry);
            entry.put("count", ((Number) entry.getOrDefault("count", 0L)).longValue() + 1);
            entry.put("time", nowMs / 1000);
        } else {
            entry = new LinkedHashMap<>();
            entry.put("count", 1L);
            entry.put("reason", reason);
            entry.put("queue", queue);
            entry.put("time", nowMs / 1000);
            entry.put("exchange", exchange);
            entry.put("routing-keys", m.subject() == null ? List.of() : List.of(m.subject()));
            if (m.expirationMs() >= 0) {
                entry.put("original-expiration", Long.toString(m.expirationMs()));
            }
        }
        deaths.add(0, entry);
        List<Header> hs = new ArrayList<>(m.headers().size() + 7);
        boolean hasFirst = m.header("x-first-death-reason") != null;
        for (Header h : m.headers()) {
            boolean replaced = h.key().equals(X_DEATH);
            for (int i = 3; i < DEATH_HEADERS.length; i++) {
                replaced |= h.key().equals(DEATH_HEADERS[i]);
            }
            if (!replaced) {
                hs.add(h);
            }
        }
        hs.add(new Header(X_DEATH, Json.write(deaths)));
        if (!hasFirst) {
            hs.add(utf8(DEATH_HEADERS[0], reason));
            hs.add(utf8(DEATH_HEADERS[1], queue));
            hs.add(utf8(DEATH_HEADERS[2], exchange));
        }
        hs.add(utf8(DEATH_HEADERS[3], reason));
        hs.add(utf8(DEATH_HEADERS[4], queue));
        hs.add(utf8(DEATH_HEADERS[5], exchange));
        return new Message(m.subject(), m.key(), m.value(), hs, 0, m.priority(), -1);
    }

    /**
     * The annotated dead letter as it is published to the dead-letter exchange: subject = the routing key it is
     * published with, {@value #EXCHANGE_HEADER} = the dead-letter exchange, so consumers see where it came from and
     * a later death records that exchange, as RabbitMQ does.
     */
    public static Message republishedTo(Message dead, String exchange, String routingKey) {
        List<Header> hs = new ArrayList<>(dead.headers().size() + 1);
        for (Header h : dead.headers()) {
            if (!h.key().equals(EXCHANGE_HEADER)) {
                hs.add(h);
            }
        }
        hs.add(utf8(EXCHANGE_HEADER, exchange));
        return new Message(routingKey == null ? "" : routingKey, dead.key(), dead.value(), hs, dead.timestamp(),
                dead.priority(), dead.expirationMs());
    }

    /**
     * Whether dead-lettering into {@code target} closes a cycle that RabbitMQ breaks: {@code deaths} (the annotated
     * message's x-death, most recent first, this death included) names {@code target}, and neither that entry nor
     * any more recent one has reason "rejected". A rejection means a consumer decided, so a retry loop through a
     * TTL queue keeps working; a loop of expiries or length limits alone would cycle forever.
     */
    static boolean cycles(List<Map<String, Object>> deaths, String target) {
        for (Map<String, Object> d : deaths) {
            if ("rejected".equals(d.get("reason"))) {
                return false;
            }
            if (target.equals(d.get("queue"))) {
                return true;
            }
        }
        return false;
    }

    /** The decoded {@value #X_DEATH} header of a message (empty if none), most recent first. */
    public static List<Map<String, Object>> deaths(Message m) {
        byte[] v = m.header(X_DEATH);
        if (v == null) {
            return new ArrayList<>();
        }
        try {
            return Json.MAPPER.readValue(v, new TypeReference<List<Map<String, Object>>>() {
            });
        } catch (IOException e) {
            return new ArrayList<>();
        }
    }

    private static Header utf8(String k, String v) {
        return new Header(k, v.getBytes(StandardCharsets.UTF_8));
    }
}
