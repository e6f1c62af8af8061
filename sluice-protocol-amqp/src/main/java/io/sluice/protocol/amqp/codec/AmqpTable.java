package io.sluice.protocol.amqp.codec;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An AMQP field table: an immutable, insertion-ordered map from short-string names to {@link AmqpValue}s.
 *
 * <p>Wire layout (written by {@link AmqpWire#writeTable}): a uint32 byte length, then for each entry a short string
 * name (uint8 length + UTF-8 bytes, at most 255 bytes), the value's one-octet type tag and the value (see
 * {@link AmqpValue} for each tag). Order is kept so that a decoded table encodes to the same bytes; when a name
 * appears twice on the wire the last value wins, as in RabbitMQ's clients.
 */
public final class AmqpTable {

    public static final AmqpTable EMPTY = new AmqpTable(Map.of());

    private final Map<String, AmqpValue> entries;

    private AmqpTable(Map<String, AmqpValue> entries) {
        this.entries = entries;
    }

    /** A table with the given entries, in the map's iteration order. */
    public static AmqpTable of(Map<String, AmqpValue> entries) {
        if (entries.isEmpty()) {
            return EMPTY;
        }
        for (Map.Entry<String, AmqpValue> e : entries.entrySet()) {
            checkName(e.getKey());
            if (e.getValue() == null) {
                throw new IllegalArgumentException("null value for " + e.getKey() + "; use AmqpValue.Void");
            }
        }
        return new AmqpTable(Collections.unmodifiableMap(new LinkedHashMap<>(entries)));
    }

    public static Builder builder() {
        return new Builder();
    }

    private static void checkName(String name) {
        if (name.getBytes(StandardCharsets.UTF_8).length > 255) {
            throw new IllegalArgumentException("field name longer than 255 bytes");
        }
    }

    /** The entries in wire order; unmodifiable. */
    public Map<String, AmqpValue> entries() {
        return entries;
    }

    public AmqpValue get(String name) {
        return entries.get(name);
    }

    public boolean containsKey(String name) {
        return entries.containsKey(name);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public int size() {
        return entries.size();
    }

    /** The value as a long when present and of any integral type, else null. */
    public Long getLong(String name) {
        AmqpValue v = entries.get(name);
        return v == null ? null : AmqpValue.asLong(v);
    }

    /** The value as text when it is a long string, else null. */
    public String getString(String name) {
        return entries.get(name) instanceof AmqpValue.LongString s ? s.asString() : null;
    }

    /** The value when it is a boolean, else null. */
    public Boolean getBoolean(String name) {
        return entries.get(name) instanceof AmqpValue.Bool b ? b.value() : null;
    }

    /** A copy with one entry added or replaced (kept at its old position when replaced). */
    public AmqpTable with(String name, AmqpValue value) {
        LinkedHashMap<String, AmqpValue> copy = new LinkedHashMap<>(entries);
        copy.put(name, value);
        return of(copy);
    }

    /** The table as plain Java objects (see {@link AmqpValue#toJava()}). */
    public Map<String, Object> toJava() {
        LinkedHashMap<String, Object> out = new LinkedHashMap<>();
        entries.forEach((k, v) -> out.put(k, v.toJava()));
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AmqpTable other && entries.equals(other.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return entries.toString();
    }

    /** Collects entries in order; names given twice keep their first position and their last value. */
    public static final class Builder {
        private final LinkedHashMap<String, AmqpValue> entries = new LinkedHashMap<>();

        public Builder put(String name, AmqpValue value) {
            entries.put(name, value);
            return this;
        }

        public Builder put(String name, String longString) {
            return put(name, AmqpValue.LongString.of(longString));
        }

        public Builder put(String name, long int64) {
            return put(name, new AmqpValue.Int64(int64));
        }

        public Builder put(String name, boolean bool) {
            return put(name, new AmqpValue.Bool(bool));
        }

        public AmqpTable build() {
            return of(entries);
        }
    }
}
