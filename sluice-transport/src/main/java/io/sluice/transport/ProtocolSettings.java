package io.sluice.transport;

import java.util.Map;

/**
 * A protocol's configuration values, as strings keyed without the protocol prefix ({@code auto.create.topics}
 * for {@code kafka.auto.create.topics}). Every key a protocol reads is documented as a constant in its plugin class,
 * with its default.
 */
public record ProtocolSettings(Map<String, String> values) {

    public ProtocolSettings {
        values = Map.copyOf(values);
    }

    public static ProtocolSettings empty() {
        return new ProtocolSettings(Map.of());
    }

    public String get(String key, String defaultValue) {
        return values.getOrDefault(key, defaultValue);
    }

    public int getInt(String key, int defaultValue) {
        String v = values.get(key);
        return v == null ? defaultValue : Integer.parseInt(v.trim());
    }

    public long getLong(String key, long defaultValue) {
        String v = values.get(key);
        return v == null ? defaultValue : Long.parseLong(v.trim());
    }

    public boolean getBoolean(String key, boolean defaultValue) {
        String v = values.get(key);
        return v == null ? defaultValue : Boolean.parseBoolean(v.trim());
    }
}
