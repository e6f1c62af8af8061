package io.sluice.storage;

/** What retention does to old data: delete whole segments, keep the newest record per key, or both. */
public enum CleanupPolicy {
    DELETE,
    COMPACT,
    COMPACT_DELETE;

    public boolean deletes() {
        return this != COMPACT;
    }

    public boolean compacts() {
        return this != DELETE;
    }

    /** Parses Kafka's {@code cleanup.policy} syntax: {@code delete}, {@code compact} or {@code compact,delete}. */
    public static CleanupPolicy parse(String value) {
        String v = value.replace(" ", "").toLowerCase(java.util.Locale.ROOT);
        return switch (v) {
            case "delete" -> DELETE;
            case "compact" -> COMPACT;
            case "compact,delete", "delete,compact" -> COMPACT_DELETE;
            default -> throw new IllegalArgumentException("unknown cleanup.policy '" + value + "'");
        };
    }

    public String configValue() {
        return switch (this) {
            case DELETE -> "delete";
            case COMPACT -> "compact";
            case COMPACT_DELETE -> "compact,delete";
        };
    }
}
