package io.sluice.it.kafka;

import io.sluice.testkit.SluiceExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.SubscriptionPattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.InconsistentGroupProtocolException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * KIP-848 consumer groups ({@code group.protocol=consumer}) with the unmodified kafka-clients consumer and Admin. The
 * broker is told to use a short session timeout and heartbeat interval (both are broker-side in this protocol), so
 * rebalances and expulsions take a few hundred milliseconds instead of Kafka's 5 s / 45 s defaults.
 */
@Tag("it")
class KafkaConsumerProtocolTest {

    private static final int SESSION_TIMEOUT_MS = 3000;

    @RegisterExtension
    static final SluiceExtension sluice = new SluiceExtension(KafkaClients.fastGroups()
            .set("kafka.group.consumer.session.timeout.ms", Integer.toString(SESSION_TIMEOUT_MS))
            .set("kafka.group.consumer.heartbeat.interval.ms", "200"));

    private static KafkaConsumer<String, String> consumer(String group, Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>(extra);
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        props.putIfAbsent(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return KafkaClients.consumer(sluice.kafkaBootstrap(), group, props);
    }

    private static void createTopic(String topic, int partitions) throws Exception {
        try (Admin admin = KafkaClients.admin(sluice.kafkaBootstrap())) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
    }

    private static void produce(String topic, int count) {
        produce(topic, 0, count);
    }

    /** Records with values {@code from} .. {@code from + count - 1}. */
    private static void produce(String topic, int from, int count) {
        try (KafkaProducer<String, String> p = KafkaClients.producer(sluice.kafkaBootstrap(), Map.of())) {
            for (int i = from; i < from + count; i++) {
                p.send(new ProducerRecord<>(topic, "k" + i, Integer.toString(i)));
            }
            p.flush();
        }
    }

    @Test
    void singleConsumerConsumesAndCommits() throws Exception {
        String topic = "kip848-single";
        createTopic(topic, 3);
        produce(topic, 60);
        try (KafkaConsumer<String, String> c = consumer("g-single", Map.of())) {
            c.subscribe(Set.of(topic));
            List<ConsumerRecord<String, String>> got = KafkaClients.pollUntil(c, 60, Duration.ofSeconds(30));
            assertThat(got).hasSize(60);
            c.commitSync();
            assertThat(c.assignment()).hasSize(3);
            assertThat(c.groupMetadata().generationId()).as("member epoch").isPositive();
            Map<TopicPartition, OffsetAndMetadata> committed = c.committed(c.assignment());
            assertThat(committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum()).isEqualTo(60);
        }
        try (Admin admin = KafkaClients.admin(sluice.kafkaBootstrap())) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("g-single")
                    .partitionsToOffsetAndMetadata().get();
            assertThat(offsets).hasSize(3);
            assertThat(offsets.values().stream().mapToLong(OffsetAndMetadata::offset).sum()).isEqualTo(60);
        }
    }

    /**
     * Membership is not durable: after a restart the member's heartbeat gets UNKNOWN_MEMBER_ID, it rejoins and resumes
     * from its committed offsets. Records it had fetched but not committed before rejoining would be delivered again
     * (as after any lost assignment), so the test produces only once the member is back.
     */
    @Test
    void membersRejoinAfterABrokerRestartAndResumeFromCommittedOffsets() throws Exception {
        String topic = "kip848-restart";
        createTopic(topic, 2);
        produce(topic, 20);
        // A request in flight when the node stops may only fail by timing out; keep that short.
        try (KafkaConsumer<String, String> c = consumer("g-restart", Map.of(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000))) {
            c.subscribe(Set.of(topic));
            assertThat(KafkaClients.pollUntil(c, 20, Duration.ofSeconds(30))).hasSize(20);
            c.commitSync();
            sluice.restart();
            try (Admin admin = KafkaClients.admin(sluice.kafkaBootstrap())) {
                await().atMost(60, TimeUnit.SECONDS).ignoreExceptions().until(() -> {
                    c.poll(Duration.ofMillis(100));
                    ConsumerGroupDescription d = admin.describeConsumerGroups(List.of("g-restart")).all().get().get("g-restart");
                    return d.type() == GroupType.CONSUMER && d.groupState() == GroupState.STABLE && c.assignment().size() == 2;
                });
            }
            produce(topic, 20, 10);
            List<ConsumerRecord<String, String>> after = new ArrayList<>(KafkaClients.pollUntil(c, 10, Duration.ofSeconds(60)));
            after.addAll(KafkaClients.pollUntil(c, 1, Duration.ofSeconds(2))); // nothing more may come
            assertThat(after).extracting(ConsumerRecord::value)
                    .containsExactlyInAnyOrder("20", "21", "22", "23", "24", "25", "26", "27", "28", "29");
            c.commitSync();
            assertThat(c.groupMetadata().generationId()).as("member epoch after rejoining").isPositive();
        }
    }

    @Test
    void regexSubscriptionFollowsMatchingTopics() throws Exception {
        createTopic("rx-orders", 2);
        createTopic("rx-payments", 1);
        createTopic("other-topic", 1);
        produce("rx-orders", 4);
        produce("rx-payments", 2);
        produce("other-topic", 3);
        try (KafkaConsumer<String, String> c = consumer("g-regex", Map.of())) {
            c.subscribe(new SubscriptionPattern("rx-.*"));
            List<ConsumerRecord<String, String>> got = KafkaClients.pollUntil(c, 6, Duration.ofSeconds(30));
            assertThat(got).extracting(ConsumerRecord::topic).containsOnly("rx-orders", "rx-payments").hasSize(6);
            assertThat(c.assignment()).extracting(TopicPartition::topic).containsOnly("rx-orders", "rx-payments");
        }
    }

    /**
     * Three members join and leave one by one while a producer writes. Every record whose offset a member managed to
     * commit counts as processed; each produced record must be processed exactly once.
     */
    @ParameterizedTest
    @ValueSource(strings = {"uniform", "range"})
    void membersJoinAndLeaveWithoutLossOrDuplicates(String assignor) throws Exception {
        String topic = "kip848-rebalance-" + assignor;
        String group = "g-rebalance-" + assignor;
        int records = 3000;
        createTopic(topic, 6);
        Map<String, AtomicInteger> processed = new ConcurrentHashMap<>();
        AtomicBoolean stopAll = new AtomicBoolean();
        List<Thread> members = new ArrayList<>();
        List<AtomicBoolean> stops = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            AtomicBoolean stop = new AtomicBoolean();
            stops.add(stop);
            members.add(new Thread(() -> consume(topic, group, assignor, processed, stop, stopAll), "member-" + i));
        }
        members.get(0).start();
        try (KafkaProducer<String, String> p = KafkaClients.producer(sluice.kafkaBootstrap(), Map.of())) {
            for (int i = 0; i < records; i++) {
                p.send(new ProducerRecord<>(topic, "k" + i, Integer.toString(i)));
                if (i == records / 4) {
                    members.get(1).start();
                }
                if (i == records / 2) {
                    members.get(2).start();
                }
                if (i == 3 * records / 4) {
                    stops.get(0).set(true);
                }
                if (i % 100 == 0) {
                    Thread.sleep(20);
                }
            }
            p.flush();
        }
        stops.get(1).set(true);
        try {
            await().atMost(60, TimeUnit.SECONDS).until(() -> processed.size() >= records);
        } finally {
            stopAll.set(true);
            for (Thread t : members) {
                t.join(30_000);
            }
        }
        assertThat(processed).hasSize(records);
        assertThat(processed.entrySet()).allSatisfy(e -> assertThat(e.getValue().get()).as("record %s", e.getKey()).isEqualTo(1));
    }

    private static void consume(String topic, String group, String assignor, Map<String, AtomicInteger> processed,
                                AtomicBoolean stop, AtomicBoolean stopAll) {
        try (KafkaConsumer<String, String> c = consumer(group, Map.of(
                ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG, assignor,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200))) {
            c.subscribe(Set.of(topic));
            while (!stop.get() && !stopAll.get()) {
                List<ConsumerRecord<String, String>> batch = new ArrayList<>();
                c.poll(Duration.ofMillis(100)).forEach(batch::add);
                if (batch.isEmpty()) {
                    continue;
                }
                try {
                    c.commitSync();
                } catch (KafkaException notCommitted) {
                    // Partitions this member still owns are rewound so the records are processed again; revoked ones
                    // restart from the committed offset at their new owner.
                    Map<TopicPartition, Long> first = new HashMap<>();
                    for (ConsumerRecord<String, String> r : batch) {
                        first.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::min);
                    }
                    first.forEach((tp, off) -> {
                        if (c.assignment().contains(tp)) {
                            c.seek(tp, off);
                        }
                    });
                    continue;
                }
                for (ConsumerRecord<String, String> r : batch) {
                    processed.computeIfAbsent(r.value(), k -> new AtomicInteger()).incrementAndGet();
                }
            }
        }
    }

    @Test
    void killedMemberIsExpelledAfterTheSessionTimeoutAndItsPartitionsMove() throws Exception {
        String topic = "kip848-expel";
        String group = "g-expel";
        createTopic(topic, 4);
        Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), KafkaDetachedConsumer.class.getName(),
                sluice.kafkaBootstrap(), group, topic).redirectErrorStream(true).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process was killed
            }
        }, "detached-consumer-output");
        reader.setDaemon(true);
        reader.start();
        try (KafkaConsumer<String, String> survivor = consumer(group, Map.of());
             Admin admin = KafkaClients.admin(sluice.kafkaBootstrap())) {
            survivor.subscribe(Set.of(topic));
            await().atMost(60, TimeUnit.SECONDS).until(() -> {
                survivor.poll(Duration.ofMillis(50));
                return lines.contains("assigned 2") && survivor.assignment().size() == 2;
            });
            other.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: no leave heartbeat
            assertThat(admin.describeConsumerGroups(List.of(group)).all().get().get(group).members())
                    .as("the killed member is still in the group until its session times out").hasSize(2);
            await().atMost(30, TimeUnit.SECONDS).until(() -> {
                survivor.poll(Duration.ofMillis(50));
                return survivor.assignment().size() == 4;
            });
            assertThat(admin.describeConsumerGroups(List.of(group)).all().get().get(group).members()).hasSize(1);
        } finally {
            other.destroyForcibly();
        }
    }

    @Test
    void aRestartedStaticMemberGetsItsPartitionsBackWithoutARebalance() throws Exception {
        String topic = "kip848-static";
        String group = "g-static";
        createTopic(topic, 4);
        Map<String, Object> first = Map.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "instance-a");
        Map<String, Object> second = Map.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "instance-b");
        try (KafkaConsumer<String, String> b = consumer(group, second);
             Admin admin = KafkaClients.admin(sluice.kafkaBootstrap())) {
            b.subscribe(Set.of(topic));
            Set<TopicPartition> before;
            try (KafkaConsumer<String, String> a = consumer(group, first)) {
                a.subscribe(Set.of(topic));
                await().atMost(30, TimeUnit.SECONDS).until(() -> {
                    a.poll(Duration.ofMillis(50));
                    b.poll(Duration.ofMillis(50));
                    return a.assignment().size() == 2 && b.assignment().size() == 2;
                });
                before = Set.copyOf(a.assignment());
            } // a static member's close leaves with epoch -2: it stays in the group, holding its partitions
            int epoch = admin.describeConsumerGroups(List.of(group)).all().get().get(group).groupEpoch().orElseThrow();
            try (KafkaConsumer<String, String> a = consumer(group, first)) {
                a.subscribe(Set.of(topic));
                await().atMost(30, TimeUnit.SECONDS).until(() -> {
                    a.poll(Duration.ofMillis(50));
                    b.poll(Duration.ofMillis(50));
                    return a.assignment().size() == 2;
                });
                assertThat(a.assignment()).isEqualTo(before);
                assertThat(b.assignment()).hasSize(2);
                ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
                assertThat(d.groupEpoch()).as("no rebalance").contains(epoch);
                assertThat(d.members()).extracting(m -> m.groupInstanceId().orElseThrow())
                        .containsExactlyInAnyOrder("instance-a", "instance-b");
            }
        }
    }

    @Test
    void rangeAndUniformAssignmentShapes() throws Exception {
        createTopic("shape-a", 3);
        createTopic("shape-b", 3);
        Map<String, List<Set<TopicPartition>>> shapes = new HashMap<>();
        for (String assignor : List.of("range", "uniform")) {
            String group = "g-shape-" + assignor;
            try (KafkaConsumer<String, String> c1 = consumer(group, Map.of(ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG, assignor));
                 KafkaConsumer<String, String> c2 = consumer(group, Map.of(ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG, assignor))) {
                c1.subscribe(List.of("shape-a", "shape-b"));
                c2.subscribe(List.of("shape-a", "shape-b"));
                await().atMost(30, TimeUnit.SECONDS).until(() -> {
                    c1.poll(Duration.ofMillis(50));
                    c2.poll(Duration.ofMillis(50));
                    return c1.assignment().size() + c2.assignment().size() == 6 && !c1.assignment().isEmpty()
                            && !c2.assignment().isEmpty();
                });
                shapes.put(assignor, List.of(Set.copyOf(c1.assignment()), Set.copyOf(c2.assignment())));
                try (Admin admin = KafkaClients.admin(sluice.kafkaBootstrap())) {
                    assertThat(admin.describeConsumerGroups(List.of(group)).all().get().get(group).partitionAssignor())
                            .isEqualTo(assignor);
                }
            }
        }
        // range: per topic, contiguous ranges in member order; the same member gets the extra partition of both
        // topics (4 + 2) and each member has the same partition numbers of both co-partitioned topics.
        assertThat(shapes.get("range")).extracting(Set::size).containsExactlyInAnyOrder(4, 2);
        for (Set<TopicPartition> member : shapes.get("range")) {
            Set<Integer> a = new HashSet<>();
            Set<Integer> b = new HashSet<>();
            member.forEach(tp -> (tp.topic().equals("shape-a") ? a : b).add(tp.partition()));
            assertThat(a).isEqualTo(b);
        }
        // uniform: six partitions spread evenly over two members.
        assertThat(shapes.get("uniform")).extracting(Set::size).containsExactly(3, 3);
    }

    @Test
    void classicAndConsumerProtocolCannotShareAGroup() throws Exception {
        String topic = "kip848-mixed";
        createTopic(topic, 2);
        // A consumer-protocol member is refused by a live classic group ...
        try (KafkaConsumer<String, String> classic = KafkaClients.consumer(sluice.kafkaBootstrap(), "g-mixed-1", Map.of(
                ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
             KafkaConsumer<String, String> modern = consumer("g-mixed-1", Map.of())) {
            classic.subscribe(Set.of(topic));
            await().atMost(30, TimeUnit.SECONDS).until(() -> {
                classic.poll(Duration.ofMillis(100));
                return classic.assignment().size() == 2;
            });
            modern.subscribe(Set.of(topic));
            assertThatThrownBy(() -> pollFor(modern, Duration.ofSeconds(20))).isInstanceOf(GroupIdNotFoundException.class);
        }
        // ... and a classic member by a live consumer-protocol group.
        try (KafkaConsumer<String, String> modern = consumer("g-mixed-2", Map.of());
             KafkaConsumer<String, String> classic = KafkaClients.consumer(sluice.kafkaBootstrap(), "g-mixed-2", Map.of(
                     ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false))) {
            modern.subscribe(Set.of(topic));
            await().atMost(30, TimeUnit.SECONDS).until(() -> {
                modern.poll(Duration.ofMillis(100));
                return modern.assignment().size() == 2;
            });
            classic.subscribe(Set.of(topic));
            assertThatThrownBy(() -> pollFor(classic, Duration.ofSeconds(20)))
                    .isInstanceOf(InconsistentGroupProtocolException.class);
        }
    }

    private static void pollFor(KafkaConsumer<String, String> c, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            c.poll(Duration.ofMillis(100));
        }
    }

    @Test
    void adminDescribesAndListsConsumerProtocolGroups() throws Exception {
        String topic = "kip848-admin";
        String group = "g-admin";
        createTopic(topic, 3);
        try (KafkaConsumer<String, String> c = consumer(group, Map.of(ConsumerConfig.CLIENT_ID_CONFIG, "admin-test-client"));
             Admin admin = KafkaClients.admin(sluice.kafkaBootstrap())) {
            c.subscribe(Set.of(topic));
            await().atMost(30, TimeUnit.SECONDS).until(() -> {
                c.poll(Duration.ofMillis(100));
                return c.assignment().size() == 3;
            });
            await().atMost(10, TimeUnit.SECONDS).until(() ->
                    admin.describeConsumerGroups(List.of(group)).all().get().get(group).groupState() == GroupState.STABLE);
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
            assertThat(d.type()).isEqualTo(GroupType.CONSUMER);
            assertThat(d.partitionAssignor()).isEqualTo("uniform");
            assertThat(d.groupEpoch()).hasValueSatisfying(e -> assertThat(e).isPositive());
            assertThat(d.targetAssignmentEpoch()).isEqualTo(d.groupEpoch());
            assertThat(d.members()).hasSize(1);
            MemberDescription m = d.members().iterator().next();
            assertThat(m.clientId()).isEqualTo("admin-test-client");
            assertThat(m.assignment().topicPartitions()).containsExactlyInAnyOrder(
                    new TopicPartition(topic, 0), new TopicPartition(topic, 1), new TopicPartition(topic, 2));
            assertThat(m.targetAssignment()).hasValueSatisfying(t -> assertThat(t.topicPartitions()).hasSize(3));

            List<GroupListing> consumerGroups = new ArrayList<>(admin.listGroups(
                    ListGroupsOptions.forConsumerGroups().withTypes(Set.of(GroupType.CONSUMER))).all().get());
            assertThat(consumerGroups).filteredOn(l -> l.groupId().equals(group)).singleElement().satisfies(l -> {
                assertThat(l.type()).contains(GroupType.CONSUMER);
                assertThat(l.groupState()).contains(GroupState.STABLE);
            });
            List<GroupListing> classicGroups = new ArrayList<>(admin.listGroups(
                    ListGroupsOptions.forConsumerGroups().withTypes(Set.of(GroupType.CLASSIC))).all().get());
            assertThat(classicGroups).extracting(GroupListing::groupId).doesNotContain(group);

            assertThatThrownBy(() -> admin.deleteConsumerGroups(List.of(group)).all().get())
                    .hasCauseInstanceOf(GroupNotEmptyException.class);
            c.unsubscribe();
            await().atMost(10, TimeUnit.SECONDS).until(() ->
                    admin.describeConsumerGroups(List.of(group)).all().get().get(group).groupState() == GroupState.EMPTY);
            admin.deleteConsumerGroups(List.of(group)).all().get();
            assertThat(admin.listGroups().all().get()).extracting(GroupListing::groupId).doesNotContain(group);
        }
    }
}
