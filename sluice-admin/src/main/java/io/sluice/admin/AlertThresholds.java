package io.sluice.admin;

/**
 * Limits whose crossing raises an alert; a value of 0 or less disables that check.
 *
 * @param consumerLag          committed-offset lag of any consumer group partition
 * @param queueDepth           ready messages in any queue that is not a dead-letter queue
 * @param deadLetterDepth      ready messages in any dead-letter queue
 * @param deadLetterGrowthPerMinute messages per minute a dead-letter queue grew by, measured between refreshes
 * @param diskFreeBytes        free bytes in the data folder below which an alert is raised
 * @param deadLetterPrefix     queues whose name starts with this (or ends with ".dlq"/"-dlq") count as dead-letter
 *                             queues
 */
public record AlertThresholds(long consumerLag, long queueDepth, long deadLetterDepth,
                              double deadLetterGrowthPerMinute, long diskFreeBytes, String deadLetterPrefix) {

    public static AlertThresholds defaults() {
        return new AlertThresholds(10_000, 100_000, 1, 0, 1024L * 1024 * 1024, "dlq.");
    }

    boolean isDeadLetterQueue(String queue) {
        return (deadLetterPrefix != null && !deadLetterPrefix.isEmpty() && queue.startsWith(deadLetterPrefix))
                || queue.endsWith(".dlq") || queue.endsWith("-dlq") || queue.endsWith("_dlq");
    }
}
