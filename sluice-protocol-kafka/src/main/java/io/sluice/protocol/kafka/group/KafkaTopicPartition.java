package io.sluice.protocol.kafka.group;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * One partition of a topic named by its topic id, as KIP-848 heartbeats and assignments name them. Ordered by topic
 * id then partition so that assignments, and the responses built from them, are deterministic.
 *
 * @param topicId   the topic id
 * @param partition the partition index
 */
public record KafkaTopicPartition(UUID topicId, int partition) implements Comparable<KafkaTopicPartition> {

    @Override
    public int compareTo(KafkaTopicPartition o) {
        int c = topicId.compareTo(o.topicId);
        return c != 0 ? c : Integer.compare(partition, o.partition);
    }

    /** Groups partitions by topic, in topic-id then partition order, and maps each topic to a wire struct. */
    static <T> List<T> byTopic(Collection<KafkaTopicPartition> partitions, BiFunction<UUID, List<Integer>, T> toWire) {
        Map<UUID, List<Integer>> grouped = new TreeMap<>();
        partitions.stream().sorted().forEach(tp -> grouped.computeIfAbsent(tp.topicId, k -> new ArrayList<>()).add(tp.partition));
        List<T> out = new ArrayList<>(grouped.size());
        grouped.forEach((id, ps) -> out.add(toWire.apply(id, ps)));
        return out;
    }
}
