package io.sluice.storage;

/**
 * When an append is acknowledged relative to the disk.
 *
 * <ul>
 *   <li>{@link #FSYNC} (default): an append completes only after the {@code fsync} that covers it. Appends that
 *       arrive while a write is in progress are written together and share one {@code fsync} (group commit), so
 *       the cost of the sync is divided among all concurrent appenders of the partition.</li>
 *   <li>{@link #OS_CACHE}: an append completes once its bytes are in the operating system's page cache; the log
 *       is flushed on an interval ({@link LogConfig#flushIntervalMs()}). A machine crash may lose the last
 *       interval; a process crash loses nothing. This is Apache Kafka's default behaviour.</li>
 * </ul>
 */
public enum Durability {
    FSYNC("fsync"),
    OS_CACHE("os-cache");

    private final String configName;

    Durability(String configName) {
        this.configName = configName;
    }

    /** The name used in configuration files and stream configs ({@code durability=fsync}). */
    public String configName() {
        return configName;
    }

    public static Durability fromConfigName(String name) {
        for (Durability d : values()) {
            if (d.configName.equalsIgnoreCase(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown durability mode '" + name + "' (expected fsync or os-cache)");
    }
}
