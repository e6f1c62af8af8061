package io.sluice.protocol.kafka.group;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Kafka's default server-side assignor, {@code uniform}: spreads all subscribed partitions evenly over the members
 * (counts differ by at most one between members that could take each other's partitions) while moving as few
 * partitions as possible from the previous target assignment, so a rebalance revokes little.
 *
 * <p>Three passes: members keep previous partitions they still subscribe to, up to the ceiling of the even share;
 * each remaining partition goes to the eligible member with the fewest partitions; then partitions move from the
 * fullest members to eligible members holding at least two fewer until no such move exists. With identical
 * subscriptions the result has Kafka's shape (even counts, sticky); with differing subscriptions it is a greedy
 * balance, not Kafka's exact algorithm.
 */
final class KafkaUniformAssignor implements KafkaAssignor {

    static final String NAME = "uniform";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Set<KafkaTopicPartition>> assign(List<Member> members, Map<UUID, KafkaTopicView.Topic> topics,
                                                        Map<String, ? extends Collection<KafkaTopicPartition>> previous) {
        Map<String, Set<KafkaTopicPartition>> out = new LinkedHashMap<>();
        members.forEach(m -> out.put(m.memberId(), new TreeSet<>()));
        if (members.isEmpty()) {
            return out;
        }
        List<KafkaTopicPartition> all = new ArrayList<>();
        Set<UUID> subscribed = new HashSet<>();
        members.forEach(m -> subscribed.addAll(m.topicIds()));
        topics.values().stream().filter(t -> subscribed.contains(t.id()))
                .sorted(Comparator.comparing(KafkaTopicView.Topic::name))
                .forEach(t -> {
                    for (int p = 0; p < t.partitions(); p++) {
                        all.add(new KafkaTopicPartition(t.id(), p));
                    }
                });
        int ceiling = (all.size() + members.size() - 1) / members.size();
        Set<KafkaTopicPartition> exists = new HashSet<>(all);
        Set<KafkaTopicPartition> taken = new HashSet<>();
        for (Member m : members) {
            Collection<KafkaTopicPartition> before = previous.get(m.memberId());
            if (before == null) {
                continue;
            }
            for (KafkaTopicPartition tp : new TreeSet<>(before)) {
                Set<KafkaTopicPartition> mine = out.get(m.memberId());
                if (mine.size() < ceiling && exists.contains(tp) && m.topicIds().contains(tp.topicId()) && taken.add(tp)) {
                    mine.add(tp);
                }
            }
        }
        for (KafkaTopicPartition tp : all) {
            if (taken.contains(tp)) {
                continue;
            }
            Member best = null;
            for (Member m : members) {
                if (m.topicIds().contains(tp.topicId())
                        && (best == null || out.get(m.memberId()).size() < out.get(best.memberId()).size())) {
                    best = m;
                }
            }
            if (best != null) {
                out.get(best.memberId()).add(tp);
                taken.add(tp);
            }
        }
        balance(members, out, all.size() * members.size());
        return out;
    }

    /** Moves partitions from fuller to emptier eligible members until counts of interchangeable members differ by at most one. */
    private static void balance(List<Member> members, Map<String, Set<KafkaTopicPartition>> out, int maxMoves) {
        for (int moves = 0; moves < maxMoves; moves++) {
            boolean moved = false;
            List<Member> byLoad = new ArrayList<>(members);
            byLoad.sort(Comparator.comparingInt((Member m) -> out.get(m.memberId()).size()).reversed());
            search:
            for (Member from : byLoad) {
                Set<KafkaTopicPartition> source = out.get(from.memberId());
                for (KafkaTopicPartition tp : ((TreeSet<KafkaTopicPartition>) source).descendingSet()) {
                    Member to = null;
                    for (Member m : members) {
                        int size = out.get(m.memberId()).size();
                        if (m.topicIds().contains(tp.topicId()) && size <= source.size() - 2
                                && (to == null || size < out.get(to.memberId()).size())) {
                            to = m;
                        }
                    }
                    if (to != null) {
                        source.remove(tp);
                        out.get(to.memberId()).add(tp);
                        moved = true;
                        break search;
                    }
                }
            }
            if (!moved) {
                return;
            }
        }
    }
}
