package io.sluice.it.resp;

import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XPendingArgs;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.NestedMultiOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.models.stream.ClaimedMessages;
import io.lettuce.core.models.stream.PendingMessage;
import io.lettuce.core.models.stream.PendingMessages;
import io.lettuce.core.protocol.ProtocolVersion;
import io.sluice.testkit.SluiceExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Consumer groups through Lettuce in RESP2 and RESP3, including their survival across a broker restart. */
@Tag("it")
class RespGroupsTest {

    @RegisterExtension
    static final SluiceExtension sluice = new SluiceExtension();
    static LettuceSupport lettuce;

    @BeforeAll
    static void start() {
        lettuce = new LettuceSupport(sluice.redisUri());
    }

    @AfterAll
    static void stop() {
        lettuce.close();
    }

    static List<String> ids(List<StreamMessage<String, String>> messages) {
        return messages.stream().map(StreamMessage::getId).toList();
    }

    static void add(RedisCommands<String, String> r, String key, String... ids) {
        for (String id : ids) {
            r.xadd(key, new XAddArgs().id(id), Map.of("n", id));
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void readAckPendingClaim(ProtocolVersion v) {
        try (StatefulRedisConnection<String, String> conn = lettuce.connect(v)) {
            RedisCommands<String, String> r = conn.sync();
            String key = "g-life-" + v;
            Consumer<String> alice = Consumer.from("g", "alice");
            Consumer<String> bob = Consumer.from("g", "bob");
            assertThatThrownBy(() -> r.xgroupCreate(StreamOffset.from(key, "$"), "g"))
                    .hasMessageStartingWith("ERR The XGROUP subcommand requires the key to exist.");
            assertThat(r.xgroupCreate(StreamOffset.from(key, "$"), "g", XGroupCreateArgs.Builder.mkstream())).isEqualTo("OK");
            assertThatThrownBy(() -> r.xgroupCreate(StreamOffset.from(key, "$"), "g"))
                    .hasMessage("BUSYGROUP Consumer Group name already exists");
            add(r, key, "1-0", "2-0", "3-0");

            assertThat(ids(r.xreadgroup(alice, XReadArgs.Builder.count(2), StreamOffset.lastConsumed(key))))
                    .containsExactly("1-0", "2-0");
            List<StreamMessage<String, String>> forBob = r.xreadgroup(bob, StreamOffset.lastConsumed(key));
            assertThat(ids(forBob)).containsExactly("3-0");
            assertThat(forBob.get(0).getBody()).containsEntry("n", "3-0");
            assertThat(r.xreadgroup(alice, StreamOffset.lastConsumed(key))).isEmpty();

            PendingMessages summary = r.xpending(key, "g");
            assertThat(summary.getCount()).isEqualTo(3);
            assertThat(summary.getMessageIds().getLower().getValue()).isEqualTo("1-0");
            assertThat(summary.getMessageIds().getUpper().getValue()).isEqualTo("3-0");
            assertThat(summary.getConsumerMessageCount()).containsEntry("alice", 2L).containsEntry("bob", 1L);
            List<PendingMessage> alices = r.xpending(key, alice, Range.create("-", "+"), Limit.from(10));
            assertThat(alices).extracting(PendingMessage::getId).containsExactly("1-0", "2-0");
            assertThat(alices).extracting(PendingMessage::getRedeliveryCount).containsOnly(1L);

            // History: the consumer's own pending entries, from an id.
            assertThat(ids(r.xreadgroup(alice, StreamOffset.from(key, "0")))).containsExactly("1-0", "2-0");
            assertThat(ids(r.xreadgroup(alice, StreamOffset.from(key, "1-0")))).containsExactly("2-0");

            assertThat(r.xack(key, "g", "1-0")).isEqualTo(1);
            assertThat(r.xack(key, "g", "1-0", "9-9")).isZero();

            assertThat(ids(r.xclaim(key, bob, 0, "2-0"))).containsExactly("2-0");
            assertThat(r.xpending(key, bob, Range.create("-", "+"), Limit.from(10)))
                    .extracting(PendingMessage::getId).containsExactly("2-0", "3-0");
            assertThat(ids(r.xclaim(key, alice, XClaimArgs.Builder.justid(), "3-0"))).containsExactly("3-0");

            ClaimedMessages<String, String> auto = r.xautoclaim(key,
                    XAutoClaimArgs.Builder.xautoclaim(Consumer.from("g", "carol"), 0, "0-0").count(1));
            assertThat(ids(auto.getMessages())).containsExactly("2-0");
            assertThat(auto.getId()).isEqualTo("3-0");

            assertThat(r.xgroupCreateconsumer(key, Consumer.from("g", "dave"))).isTrue();
            assertThat(r.xgroupCreateconsumer(key, Consumer.from("g", "dave"))).isFalse();
            assertThat(r.xinfoConsumers(key, "g")).hasSizeGreaterThanOrEqualTo(3);
            List<Object> groups = r.xinfoGroups(key);
            assertThat(groups).hasSize(1);
            assertThat(groups.get(0).toString()).contains("name", "g", "pending");
            assertThat(r.xgroupDelconsumer(key, Consumer.from("g", "carol"))).isEqualTo(1);
            assertThat(r.xpending(key, "g").getCount()).isEqualTo(1);

            assertThat(r.xgroupSetid(StreamOffset.from(key, "0"), "g")).isEqualTo("OK");
            assertThat(r.xgroupDestroy(key, "g")).isTrue();
            assertThat(r.xgroupDestroy(key, "g")).isFalse();
            assertThatThrownBy(() -> r.xreadgroup(alice, StreamOffset.lastConsumed(key)))
                    .hasMessage("NOGROUP No such key '" + key + "' or consumer group 'g' in XREADGROUP with GROUP option");
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void blockingReadAndNoAck(ProtocolVersion v) throws Exception {
        try (StatefulRedisConnection<String, String> reader = lettuce.connect(v);
             StatefulRedisConnection<String, String> writer = lettuce.connect(v)) {
            String key = "g-block-" + v;
            writer.sync().xgroupCreate(StreamOffset.from(key, "$"), "g", XGroupCreateArgs.Builder.mkstream());
            Consumer<String> c = Consumer.from("g", "c");
            CompletableFuture<List<StreamMessage<String, String>>> waiting = reader.async()
                    .xreadgroup(c, XReadArgs.Builder.block(20_000), StreamOffset.lastConsumed(key)).toCompletableFuture();
            add(writer.sync(), key, "5-0");
            assertThat(ids(waiting.get(10, TimeUnit.SECONDS))).containsExactly("5-0");
            add(writer.sync(), key, "6-0");
            assertThat(ids(reader.sync().xreadgroup(c, XReadArgs.Builder.noack(), StreamOffset.lastConsumed(key))))
                    .containsExactly("6-0");
            assertThat(writer.sync().xpending(key, "g").getCount()).isEqualTo(1);
            assertThat(reader.sync().xreadgroup(c, XReadArgs.Builder.block(50), StreamOffset.lastConsumed(key))).isEmpty();
        }
    }

    /**
     * The harness's consumer loop (XACK, then XREADGROUP BLOCK) racing a writer, many times over: each append must
     * wake the blocked read. With BLOCK 0 a missed wake-up would only end at the blocking loop's 10 s re-check, so
     * it fails the 5 s bound here instead of merely slowing the test down.
     */
    @Test
    void everyAppendWakesTheBlockedGroupRead() throws Exception {
        try (StatefulRedisConnection<String, String> reader = lettuce.connect(ProtocolVersion.RESP2);
             StatefulRedisConnection<String, String> writer = lettuce.connect(ProtocolVersion.RESP2)) {
            String key = "g-wake";
            writer.sync().xgroupCreate(StreamOffset.from(key, "$"), "g", XGroupCreateArgs.Builder.mkstream());
            Consumer<String> c = Consumer.from("g", "c");
            String last = null;
            for (int i = 1; i <= 200; i++) {
                if (last != null) {
                    reader.async().xack(key, "g", last);
                }
                CompletableFuture<List<StreamMessage<String, String>>> waiting = blockedRead(reader, key, c, 0);
                if (i % 2 == 0) {
                    writer.sync().ping(); // odd rounds append at once, even ones a round trip later: both race sides
                }
                String id = writer.sync().xadd(key, Map.of("n", Integer.toString(i)));
                assertThat(ids(waiting.get(5, TimeUnit.SECONDS))).containsExactly(id);
                last = id;
            }
            assertThat(writer.sync().xpending(key, "g").getCount()).isEqualTo(1);
        }
    }

    /**
     * A client that disconnects while its XREADGROUP blocks is handed nothing (redis-server unblocks and forgets it):
     * the next entry goes to the next blocked reader, and nothing is left pending for the gone consumer. Two readers
     * blocked at once are served in the order they started waiting.
     */
    @Test
    void aDisconnectedBlockedReaderIsHandedNothing() throws Exception {
        try (StatefulRedisConnection<String, String> writer = lettuce.connect(ProtocolVersion.RESP2);
             StatefulRedisConnection<String, String> second = lettuce.connect(ProtocolVersion.RESP2);
             StatefulRedisConnection<String, String> third = lettuce.connect(ProtocolVersion.RESP2)) {
            String key = "g-gone";
            writer.sync().xgroupCreate(StreamOffset.from(key, "$"), "g", XGroupCreateArgs.Builder.mkstream());
            StatefulRedisConnection<String, String> gone = lettuce.connect(ProtocolVersion.RESP2);
            blockedRead(gone, key, Consumer.from("g", "gone"), 0);
            awaitBlockedClients(writer.sync(), 1);
            gone.close();
            awaitBlockedClients(writer.sync(), 0);
            CompletableFuture<List<StreamMessage<String, String>>> b = blockedRead(second, key, Consumer.from("g", "b"),
                    20_000);
            awaitBlockedClients(writer.sync(), 1);
            CompletableFuture<List<StreamMessage<String, String>>> c = blockedRead(third, key, Consumer.from("g", "c"),
                    20_000);
            awaitBlockedClients(writer.sync(), 2);
            String first = writer.sync().xadd(key, Map.of("n", "1"));
            assertThat(ids(b.get(10, TimeUnit.SECONDS))).containsExactly(first);
            String next = writer.sync().xadd(key, Map.of("n", "2"));
            assertThat(ids(c.get(10, TimeUnit.SECONDS))).containsExactly(next);
            PendingMessages pending = writer.sync().xpending(key, "g");
            assertThat(pending.getCount()).isEqualTo(2);
            assertThat(pending.getConsumerMessageCount()).containsOnlyKeys("b", "c");
        }
    }

    /**
     * XGROUP DESTROY of the group, or DEL of the stream, that a client blocks on in XREADGROUP: redis-server's answer
     * (NOGROUP, UNBLOCKED), at once.
     */
    @ParameterizedTest
    @ValueSource(strings = {"XGROUP DESTROY", "DEL"})
    void theBlockedReaderIsAnsweredWhenItsGroupOrStreamGoes(String command) throws Exception {
        try (StatefulRedisConnection<String, String> admin = lettuce.connect(ProtocolVersion.RESP2);
             StatefulRedisConnection<String, String> reader = lettuce.connect(ProtocolVersion.RESP2)) {
            String key = "g-gone-" + command.replace(' ', '-');
            admin.sync().xgroupCreate(StreamOffset.from(key, "$"), "g", XGroupCreateArgs.Builder.mkstream());
            CompletableFuture<List<StreamMessage<String, String>>> waiting = blockedRead(reader, key,
                    Consumer.from("g", "c"), 0);
            awaitBlockedClients(admin.sync(), 1);
            boolean del = command.equals("DEL");
            if (del) {
                assertThat(admin.sync().del(key)).isEqualTo(1);
            } else {
                assertThat(admin.sync().xgroupDestroy(key, "g")).isTrue();
            }
            assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS)).hasMessageContaining(del
                    ? "UNBLOCKED the stream key no longer exists"
                    : "NOGROUP the consumer group this client was blocked on no longer exists");
            assertThat(reader.sync().ping()).isEqualTo("PONG");
        }
    }

    /**
     * XGROUP DESTROY of one of its groups, or its stream deleted through another protocol, while a client blocks in
     * XREADGROUP over two streams: redis-server's NOGROUP or UNBLOCKED, at once, as for one stream.
     */
    @ParameterizedTest
    @ValueSource(strings = {"XGROUP DESTROY", "deleted elsewhere"})
    void aReaderBlockedOnSeveralStreamsIsAnsweredWhenAGroupOrStreamGoes(String how) throws Exception {
        try (StatefulRedisConnection<String, String> admin = lettuce.connect(ProtocolVersion.RESP2);
             StatefulRedisConnection<String, String> reader = lettuce.connect(ProtocolVersion.RESP2)) {
            boolean destroy = how.equals("XGROUP DESTROY");
            String a = destroy ? "g-destroyed-multi-a" : "g-deleted-multi-a";
            String b = destroy ? "g-destroyed-multi-b" : "g-deleted-multi-b";
            CompletableFuture<List<StreamMessage<String, String>>> waiting = blockedReadOnTwo(admin, reader, a, b);
            if (destroy) {
                assertThat(admin.sync().xgroupDestroy(a, "g")).isTrue();
                // well inside BLOCK 0's first 10 s wait slice, at the end of which any wait would try again
                assertThatThrownBy(() -> waiting.get(3, TimeUnit.SECONDS))
                        .hasMessageContaining("NOGROUP the consumer group this client was blocked on no longer exists");
            } else {
                sluice.node().broker().streams().delete(io.sluice.core.CallContext.DEFAULT, a)
                        .get(10, TimeUnit.SECONDS);
                assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS))
                        .hasMessageContaining("UNBLOCKED the stream key no longer exists");
            }
            assertThat(reader.sync().ping()).isEqualTo("PONG");
        }
    }

    /**
     * Creates group {@code g} on new streams {@code a} and {@code b} and starts {@code XREADGROUP GROUP g c BLOCK 0
     * STREAMS a b > >} on {@code reader}; returns once the server reports the client blocked.
     */
    private static CompletableFuture<List<StreamMessage<String, String>>> blockedReadOnTwo(
            StatefulRedisConnection<String, String> admin, StatefulRedisConnection<String, String> reader, String a,
            String b) {
        admin.sync().xgroupCreate(StreamOffset.from(a, "$"), "g", XGroupCreateArgs.Builder.mkstream());
        admin.sync().xgroupCreate(StreamOffset.from(b, "$"), "g", XGroupCreateArgs.Builder.mkstream());
        CompletableFuture<List<StreamMessage<String, String>>> waiting = reader.async()
                .xreadgroup(Consumer.from("g", "c"), XReadArgs.Builder.block(0), StreamOffset.lastConsumed(a),
                        StreamOffset.lastConsumed(b))
                .toCompletableFuture();
        awaitBlockedClients(admin.sync(), 1);
        return waiting;
    }

    /** Starts {@code XREADGROUP ... BLOCK blockMs STREAMS key >} on {@code conn}, not waiting for its answer. */
    private static CompletableFuture<List<StreamMessage<String, String>>> blockedRead(
            StatefulRedisConnection<String, String> conn, String key, Consumer<String> consumer, long blockMs) {
        return conn.async().xreadgroup(consumer, XReadArgs.Builder.block(blockMs), StreamOffset.lastConsumed(key))
                .toCompletableFuture();
    }

    /** Waits until the server reports this many clients blocked (INFO clients' blocked_clients). */
    private static void awaitBlockedClients(RedisCommands<String, String> r, int n) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> r.info("clients").contains("blocked_clients:" + n + "\r\n"));
    }

    @Test
    void groupsAndDeletionsSurviveRestart() {
        String key = "g-restart";
        try (StatefulRedisConnection<String, String> conn = lettuce.connect(ProtocolVersion.RESP3)) {
            RedisCommands<String, String> r = conn.sync();
            r.xgroupCreate(StreamOffset.from(key, "0"), "g", XGroupCreateArgs.Builder.mkstream());
            add(r, key, "1-0", "2-0", "3-0", "4-0");
            assertThat(r.xreadgroup(Consumer.from("g", "a"), XReadArgs.Builder.count(2), StreamOffset.lastConsumed(key)))
                    .hasSize(2);
            r.xack(key, "g", "1-0");
            r.xdel(key, "4-0");
        }
        sluice.restart();
        try (StatefulRedisConnection<String, String> conn = lettuce.connect(ProtocolVersion.RESP3)) {
            RedisCommands<String, String> r = conn.sync();
            assertThat(r.xlen(key)).isEqualTo(3);
            PendingMessages p = r.xpending(key, "g");
            assertThat(p.getCount()).isEqualTo(1);
            assertThat(p.getConsumerMessageCount()).containsEntry("a", 1L);
            assertThat(ids(r.xreadgroup(Consumer.from("g", "b"), StreamOffset.lastConsumed(key)))).containsExactly("3-0");
            assertThatThrownBy(() -> r.xadd(key, new XAddArgs().id("4-0"), Map.of("f", "v")))
                    .hasMessage("ERR The ID specified in XADD is equal or smaller than the target stream top item");
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void deletedEntriesIdleFilterAndForce(ProtocolVersion v) {
        try (StatefulRedisConnection<String, String> conn = lettuce.connect(v)) {
            RedisCommands<String, String> r = conn.sync();
            String key = "g-del-" + v;
            Consumer<String> a = Consumer.from("g", "a");
            r.xgroupCreate(StreamOffset.from(key, "0"), "g", XGroupCreateArgs.Builder.mkstream());
            add(r, key, "1-0", "2-0", "3-0");
            assertThat(r.xreadgroup(a, XReadArgs.Builder.count(2), StreamOffset.lastConsumed(key))).hasSize(2);
            r.xdel(key, "1-0");
            // History shows a deleted pending entry as [id, nil], as redis-server does.
            List<Object> history = r.dispatch(CommandType.XREADGROUP, new NestedMultiOutput<>(StringCodec.UTF8),
                    new CommandArgs<>(StringCodec.UTF8).add("GROUP").add("g").add("a").add("STREAMS").add(key).add("0"));
            // (Lettuce shows the RESP2 null array as [] and the RESP3 null as null.)
            assertThat(history.toString()).containsPattern("1-0, (null|\\[\\])\\]").contains("2-0, [n, 2-0]");
            // IDLE filters out entries delivered more recently than asked.
            assertThat(r.xpending(key, XPendingArgs.Builder.xpending(Consumer.from("g", "a"), Range.create("-", "+"),
                    Limit.from(10)).idle(java.time.Duration.ofHours(1)))).isEmpty();
            assertThat(r.xpending(key, XPendingArgs.Builder.xpending(Consumer.from("g", "a"), Range.create("-", "+"),
                    Limit.from(10)))).hasSize(2);
            // XAUTOCLAIM drops deleted entries from the pending list and reports them.
            List<Object> auto = r.dispatch(CommandType.XAUTOCLAIM, new NestedMultiOutput<>(StringCodec.UTF8),
                    new CommandArgs<>(StringCodec.UTF8).addKey(key).add("g").add("b").add(0).add("0-0"));
            assertThat(auto.get(0)).isEqualTo("0-0");
            assertThat(auto.get(1).toString()).contains("2-0");
            assertThat(auto.get(2)).isEqualTo(List.of("1-0"));
            // FORCE claims an entry nobody was given yet.
            assertThat(ids(r.xclaim(key, a, XClaimArgs.Builder.minIdleTime(0).force(), "3-0"))).containsExactly("3-0");
            assertThat(r.xpending(key, "g").getCount()).isEqualTo(2);
            List<Object> consumers = r.xinfoConsumers(key, "g");
            assertThat(consumers.toString()).contains("name", "a", "b", "pending", "idle", "inactive");
        }
    }

    /** XCLAIM IDLE, TIME and RETRYCOUNT set what XPENDING reports, as on redis-server. */
    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void xclaimSetsIdleTimeAndRetryCount(ProtocolVersion v) {
        try (StatefulRedisConnection<String, String> conn = lettuce.connect(v)) {
            RedisCommands<String, String> r = conn.sync();
            String key = "g-claim-opts-" + v;
            r.xgroupCreate(StreamOffset.from(key, "0"), "g", XGroupCreateArgs.Builder.mkstream());
            add(r, key, "1-0", "2-0");
            r.xreadgroup(Consumer.from("g", "alice"), StreamOffset.lastConsumed(key));
            Consumer<String> bob = Consumer.from("g", "bob");
            r.xclaim(key, bob, XClaimArgs.Builder.minIdleTime(0).idle(java.time.Duration.ofHours(1)).retryCount(7),
                    "1-0");
            r.xclaim(key, bob, XClaimArgs.Builder.minIdleTime(0).time(System.currentTimeMillis() + 3_600_000)
                    .justid(), "2-0");
            List<PendingMessage> pending = r.xpending(key, Consumer.from("g", "bob"), Range.create("-", "+"),
                    Limit.from(10));
            assertThat(pending).extracting(PendingMessage::getId).containsExactly("1-0", "2-0");
            assertThat(pending.get(0).getRedeliveryCount()).isEqualTo(7);
            assertThat(pending.get(0).getMsSinceLastDelivery()).isGreaterThanOrEqualTo(3_600_000);
            assertThat(pending.get(1).getRedeliveryCount()).isEqualTo(1); // JUSTID leaves the count
            assertThat(pending.get(1).getMsSinceLastDelivery()).isLessThan(60_000); // a future TIME is now
            assertThatThrownBy(() -> r.dispatch(CommandType.XCLAIM, new NestedMultiOutput<>(StringCodec.UTF8),
                    new CommandArgs<>(StringCodec.UTF8).addKey(key).add("g").add("bob").add(0).add("1-0")
                            .add("RETRYCOUNT").add("many")))
                    .hasMessage("ERR Invalid RETRYCOUNT option argument for XCLAIM");
        }
    }

    /** XINFO STREAM FULL: the stream, its first COUNT entries, each group's pending list and consumers, RESP2 layout. */
    @Test
    void xinfoStreamFull() {
        try (StatefulRedisConnection<String, String> conn = lettuce.connect(ProtocolVersion.RESP2)) {
            RedisCommands<String, String> r = conn.sync();
            String key = "g-info-full";
            r.xgroupCreate(StreamOffset.from(key, "0"), "g", XGroupCreateArgs.Builder.mkstream());
            add(r, key, "1-0", "2-0", "3-0");
            r.xreadgroup(Consumer.from("g", "alice"), XReadArgs.Builder.count(2), StreamOffset.lastConsumed(key));
            r.xreadgroup(Consumer.from("g", "bob"), XReadArgs.Builder.count(1), StreamOffset.lastConsumed(key));

            Map<String, Object> full = pairs(xinfoFull(r, key, "COUNT", "1"));
            assertThat(full).containsEntry("length", 3L).containsEntry("last-generated-id", "3-0")
                    .containsEntry("entries-added", 3L).containsEntry("recorded-first-entry-id", "1-0");
            assertThat(full.get("entries").toString()).isEqualTo("[[1-0, [n, 1-0]]]");
            List<?> groups = (List<?>) full.get("groups");
            assertThat(groups).hasSize(1);
            Map<String, Object> g = pairs((List<?>) groups.get(0));
            assertThat(g).containsEntry("name", "g").containsEntry("last-delivered-id", "3-0")
                    .containsEntry("entries-read", 3L).containsEntry("lag", 0L).containsEntry("pel-count", 3L);
            List<?> pending = (List<?>) g.get("pending"); // COUNT 1: the first of three
            assertThat(pending).hasSize(1);
            List<?> firstPending = (List<?>) pending.get(0); // id, consumer, delivery time, delivery count
            assertThat(firstPending.get(0)).isEqualTo("1-0");
            assertThat(firstPending.get(1)).isEqualTo("alice");
            assertThat(firstPending.get(3)).isEqualTo(1L);
            List<?> consumers = (List<?>) g.get("consumers");
            assertThat(consumers).hasSize(2);
            Map<String, Object> alice = pairs((List<?>) consumers.get(0));
            assertThat(alice).containsEntry("name", "alice").containsEntry("pel-count", 2L)
                    .containsKeys("seen-time", "active-time");
            assertThat((List<?>) alice.get("pending")).hasSize(1);
            assertThat(pairs((List<?>) consumers.get(1))).containsEntry("name", "bob").containsEntry("pel-count", 1L);

            assertThat((List<?>) pairs(xinfoFull(r, key)).get("entries")).hasSize(3);
            Map<String, Object> all = pairs((List<?>) ((List<?>) pairs(xinfoFull(r, key, "COUNT", "0")).get("groups"))
                    .get(0));
            assertThat((List<?>) all.get("pending")).hasSize(3);
            assertThatThrownBy(() -> xinfoFull(r, key, "BAD")).hasMessage(
                    "ERR unknown subcommand or wrong number of arguments for 'STREAM'. Try XINFO HELP.");
            assertThatThrownBy(() -> r.dispatch(CommandType.XINFO, new NestedMultiOutput<>(StringCodec.UTF8),
                    new CommandArgs<>(StringCodec.UTF8).add("STREAM").addKey(key).add("PARTIAL")))
                    .hasMessage("ERR syntax error");
        }
    }

    private static List<Object> xinfoFull(RedisCommands<String, String> r, String key, String... more) {
        CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8).add("STREAM").addKey(key).add("FULL");
        for (String m : more) {
            args.add(m);
        }
        return r.dispatch(CommandType.XINFO, new NestedMultiOutput<>(StringCodec.UTF8), args);
    }

    /** A RESP2 map reply (a flat list of names and values) as a map. */
    private static Map<String, Object> pairs(List<?> flat) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            m.put((String) flat.get(i), flat.get(i + 1));
        }
        return m;
    }
}
