package io.sluice.protocol.kafka.group;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The {@code range} server-side assignor: per topic, the subscribed members in member-id order each take one
 * contiguous range of partitions, the first {@code partitions % members} of them one partition more. Members
 * subscribed to the same co-partitioned topics therefore get the same partition numbers of each, which is what range
 * is chosen for (joins over co-partitioned topics); the price is imbalance across topics, because the same members
 * get the extra partition of every topic. Not sticky: ranges follow member-id order.
 */
final class KafkaRangeAssignor implements KafkaAssignor {

    static final String NAME = "range";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Set<KafkaTopicPartition>> assign(List<Member> members, Map<UUID, KafkaTopicView.Topic> topics,
                                                        Map<String, ? extends Collection<KafkaTopicPartition>> previous) {
        Map<String, Set<KafkaTopicPartition>> out = new LinkedHashMap<>();
        members.forEach(m -> out.put(m.memberId(), new TreeSet<>()));
        for (KafkaTopicView.Topic t : topics.values()) {
            List<Member> subscribers = new ArrayList<>();
            for (Member m : members) {
                if (m.topicIds().contains(t.id())) {
                    subscribers.add(m);
                }
            }
            if (subscribers.isEmpty()) {
                continue;
            }
            int per = t.partitions() / subscribers.size();
            int extra = t.partitions() % subscribers.size();
            int next = 0;
            for (int i = 0; i < subscribers.size(); i++) {
                int count = per + (i < extra ? 1 : 0);
                Set<KafkaTopicPartition> mine = out.get(subscribers.get(i).memberId());
                for (int p = next; p < next + count; p++) {
                    mine.add(new KafkaTopicPartition(t.id(), p));
                }
                next += count;
            }
        }
        return out;
    }
}
