package io.sluice.bench.harness.driver;

import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Redis Streams through Lettuce: one stream key per destination, {@code XADD} pipelined (asynchronous commands, a
 * window of unanswered ones), one consumer group per subscriber created at id 0, read with
 * {@code XREADGROUP ... COUNT 500 BLOCK 100 STREAMS <every key> >} and acknowledged with {@code XACK} per batch.
 * Every connection shares one small set of client threads (two I/O, two computation) to stay light on the machine.
 */
public final class RedisDriver implements BrokerDriver {
    static final int READ_COUNT = 500;
    private final RedisURI uri;
    private final int window;
    private final ClientResources resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
    private final RedisClient client;
    private Topology topology;
    private byte[][] keys;

    public RedisDriver(String host, int port, int window) {
        this.uri = RedisURI.builder().withHost(host).withPort(port).withTimeout(Duration.ofSeconds(60)).build();
        this.window = window;
        this.client = RedisClient.create(resources, uri);
    }

    @Override
    public String serverVersion() {
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            for (String line : c.sync().info("server").split("\r?\n")) {
                if (line.startsWith("redis_version:")) {
                    return "redis " + line.substring("redis_version:".length()).trim();
                }
            }
        } catch (RuntimeException e) {
            // INFO is optional for a server speaking RESP
        }
        return null;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] group(int subscriber) {
        return bytes("bench:" + topology.runId() + ":g" + subscriber);
    }

    @Override
    public void setUp(Topology topology) {
        this.topology = topology;
        keys = new byte[topology.destinations()][];
        for (int d = 0; d < keys.length; d++) {
            keys[d] = bytes("bench:" + topology.runId() + ":" + d);
        }
        try (StatefulRedisConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE)) {
            RedisCommands<byte[], byte[]> cmd = c.sync();
            for (int s = 0; s < Math.max(1, topology.subscribers()); s++) {
                for (byte[] key : keys) {
                    cmd.xgroupCreate(XReadArgs.StreamOffset.from(key, "0"), group(s), XGroupCreateArgs.Builder.mkstream());
                }
            }
        }
    }

    @Override
    public Publisher openPublisher() {
        return publisher(window);
    }

    @Override
    public Publisher openFillPublisher(int fillWindow) {
        return publisher(fillWindow);
    }

    private Publisher publisher(int unconfirmed) {
        StatefulRedisConnection<byte[], byte[]> conn = client.connect(ByteArrayCodec.INSTANCE);
        ConfirmWindow confirms = new ConfirmWindow(unconfirmed);
        byte[] field = bytes("d");
        return new Publisher() {
            @Override
            public void send(int destination, byte[] body) throws Exception {
                confirms.acquire();
                conn.async().xadd(keys[destination], field, body).whenComplete((id, e) -> {
                    if (e == null) {
                        confirms.confirmed(1);
                    } else {
                        confirms.failed(1, e.toString());
                    }
                });
            }

            @Override
            public void awaitConfirms(Duration timeout) throws Exception {
                confirms.awaitAll(timeout);
            }

            @Override
            public void close() {
                conn.close();
            }
        };
    }

    @Override
    public Subscriber subscribe(int index, Sink sink) {
        StatefulRedisConnection<byte[], byte[]> conn = client.connect(ByteArrayCodec.INSTANCE);
        RedisCommands<byte[], byte[]> cmd = conn.sync();
        byte[] group = group(index);
        Consumer<byte[]> consumer = Consumer.from(group, bytes("c" + index));
        @SuppressWarnings("unchecked")
        XReadArgs.StreamOffset<byte[]>[] offsets = new XReadArgs.StreamOffset[keys.length];
        for (int d = 0; d < keys.length; d++) {
            offsets[d] = XReadArgs.StreamOffset.lastConsumed(keys[d]);
        }
        XReadArgs args = XReadArgs.Builder.count(READ_COUNT).block(100);
        java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
        Thread reader = Thread.ofPlatform().name("redis-sub-" + index).start(() -> {
            try {
                while (!stopping.get()) {
                    List<StreamMessage<byte[], byte[]>> batch = cmd.xreadgroup(consumer, args, offsets);
                    if (batch.isEmpty()) {
                        continue;
                    }
                    Map<String, List<String>> idsByKey = new HashMap<>();
                    Map<String, byte[]> keyBytes = new HashMap<>();
                    for (StreamMessage<byte[], byte[]> m : batch) {
                        for (byte[] body : m.getBody().values()) {
                            sink.onMessage(body);
                        }
                        String k = new String(m.getStream(), StandardCharsets.UTF_8);
                        keyBytes.putIfAbsent(k, m.getStream());
                        idsByKey.computeIfAbsent(k, x -> new ArrayList<>()).add(m.getId());
                    }
                    for (Map.Entry<String, List<String>> e : idsByKey.entrySet()) {
                        conn.async().xack(keyBytes.get(e.getKey()), group, e.getValue().toArray(String[]::new));
                    }
                }
            } catch (RuntimeException e) {
                if (!stopping.get()) {
                    System.err.println("redis subscriber " + index + " failed: " + e);
                }
            }
        });
        return () -> {
            stopping.set(true);
            reader.join(5_000); // the blocking read returns within its 100 ms BLOCK
            reader.interrupt();
            conn.close();
        };
    }

    @Override
    public void tearDown() {
        if (keys == null) {
            return;
        }
        try (StatefulRedisConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE)) {
            for (int i = 0; i < keys.length; i += 100) {
                c.sync().del(java.util.Arrays.copyOfRange(keys, i, Math.min(keys.length, i + 100)));
            }
        } catch (RuntimeException e) {
            System.err.println("redis teardown (ignored): " + e);
        }
    }

    @Override
    public void close() {
        client.shutdown();
        resources.shutdown();
    }
}
