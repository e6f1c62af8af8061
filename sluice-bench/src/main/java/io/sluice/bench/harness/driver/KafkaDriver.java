package io.sluice.bench.harness.driver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Kafka protocol through kafka-clients: one topic with one partition per destination, publisher with
 * {@code acks=all} (idempotence on, the client default), one consumer group per subscriber starting at the earliest
 * offset, offsets committed by hand after each poll. Client settings are otherwise the client's defaults.
 */
public final class KafkaDriver implements BrokerDriver {
    private final String bootstrap;
    private final int window;
    private Topology topology;
    private String topic;

    public KafkaDriver(String host, int port, int window) {
        this.bootstrap = host + ":" + port;
        this.window = window;
    }

    @Override
    public String serverVersion() {
        return null; // the Kafka protocol does not carry the broker's release version
    }

    private Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 120_000);
        return Admin.create(p);
    }

    @Override
    public void setUp(Topology topology) throws Exception {
        this.topology = topology;
        this.topic = "bench-" + topology.runId();
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, topology.destinations(), (short) 1))).all().get(120, TimeUnit.SECONDS);
            awaitLeaders(admin);
        }
    }

    /** Topic creation returns before every partition has a leader; producing then only earns retries. */
    private void awaitLeaders(Admin admin) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(60, TimeUnit.SECONDS).get(topic);
            long led = d.partitions().stream().filter(p -> p.leader() != null && !p.leader().isEmpty()).count();
            if (led == topology.destinations()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException(led + " of " + topology.destinations() + " partitions of " + topic + " have a leader after 120 s");
            }
            Thread.sleep(100);
        }
    }

    @Override
    public Publisher openPublisher() {
        return publisher(window, false);
    }

    /**
     * Bulk loading as Kafka's own tools do it: batches of up to 1 MB (the default is 16 KiB, 16 messages of 1 KiB)
     * that wait up to 20 ms to fill; still {@code acks=all} and idempotent.
     */
    @Override
    public Publisher openFillPublisher(int fillWindow) {
        return publisher(fillWindow, true);
    }

    private Publisher publisher(int unconfirmed, boolean bulk) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        if (bulk) {
            // a batch stays below the brokers' default 1 MiB record-batch limit (message.max.bytes 1,048,588)
            p.put(ProducerConfig.BATCH_SIZE_CONFIG, 1_000_000);
            p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
            p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Math.max(64L << 20, 2L * unconfirmed * 1100));
        }
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p);
        ConfirmWindow confirms = new ConfirmWindow(unconfirmed);
        return new Publisher() {
            @Override
            public void send(int destination, byte[] body) throws Exception {
                confirms.acquire();
                producer.send(new ProducerRecord<>(topic, destination, null, body), (md, e) -> {
                    if (e == null) {
                        confirms.confirmed(1);
                    } else {
                        confirms.failed(1, e.toString());
                    }
                });
            }

            @Override
            public void awaitConfirms(Duration timeout) throws Exception {
                producer.flush();
                confirms.awaitAll(timeout);
            }

            @Override
            public void close() {
                producer.close(Duration.ofSeconds(30));
            }
        };
    }

    @Override
    public Subscriber subscribe(int index, Sink sink) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, topic + "-g" + index);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p);
        CountDownLatch assigned = new CountDownLatch(1);
        AtomicInteger partitions = new AtomicInteger();
        int expected = topology.destinations();
        consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
                partitions.addAndGet(-revoked.size());
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> added) {
                if (partitions.addAndGet(added.size()) >= expected) {
                    assigned.countDown();
                }
            }
        });
        List<Throwable> failure = new ArrayList<>(1);
        Thread poller = Thread.ofPlatform().name("kafka-sub-" + index).start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                    if (records.isEmpty()) {
                        continue;
                    }
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        sink.onMessage(r.value());
                    }
                    consumer.commitAsync();
                }
            } catch (WakeupException e) {
                // close() asked us to stop
            } catch (Throwable t) {
                synchronized (failure) {
                    failure.add(t);
                }
                System.err.println("kafka subscriber " + index + " failed: " + t);
            } finally {
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(10)));
            }
        });
        return new Subscriber() {
            @Override
            public void awaitReady(Duration timeout) throws Exception {
                if (!assigned.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new TimeoutException("consumer group " + index + " got no partition assignment within " + timeout);
                }
            }

            @Override
            public void close() throws InterruptedException {
                consumer.wakeup();
                poller.join(20_000);
            }
        };
    }

    @Override
    public void tearDown() {
        if (topic == null) {
            return;
        }
        try (Admin admin = admin()) {
            admin.deleteTopics(List.of(topic)).all().get(60, TimeUnit.SECONDS);
            List<String> groups = new ArrayList<>();
            for (int i = 0; i < topology.subscribers(); i++) {
                groups.add(topic + "-g" + i);
            }
            if (!groups.isEmpty()) {
                admin.deleteConsumerGroups(groups).all().get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            System.err.println("kafka teardown (ignored): " + e);
        }
    }

    @Override
    public void close() {
    }

}
