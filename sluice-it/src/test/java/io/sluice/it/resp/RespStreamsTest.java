package io.sluice.it.resp;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XTrimArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import io.sluice.core.CallContext;
import io.sluice.core.stream.Isolation;
import io.sluice.core.stream.StreamPartition;
import io.sluice.storage.record.Header;
import io.sluice.storage.record.Record;
import io.sluice.storage.record.RecordBatches;
import io.sluice.testkit.SluiceExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Redis stream commands without consumer groups, through Lettuce in RESP2 and RESP3. */
@Tag("it")
class RespStreamsTest {

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

    static final String XADD_ID_TOO_SMALL =
            "ERR The ID specified in XADD is equal or smaller than the target stream top item";

    static Map<String, String> fields(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    static List<String> ids(List<StreamMessage<String, String>> messages) {
        return messages.stream().map(StreamMessage::getId).toList();
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void addRangeAndLength(ProtocolVersion v) {
        try (StatefulRedisConnection<String, String> conn = lettuce.connect(v)) {
            RedisCommands<String, String> r = conn.sync();
            String key = "s-basic-" + v;
            String auto = r.xadd(key, fields("a", "1"));
            assertThat(auto).matches("\\d+-0");
            r.xadd(key, new XAddArgs().id("99999999999999-1"), fields("b", "2", "c", "3"));
            String partial = r.xadd(key, new XAddArgs().id("99999999999999-*"), fields("d", "4"));
            assertThat(partial).isEqualTo("99999999999999-2");
            assertThat(r.xlen(key)).isEqualTo(3);
            List<StreamMessage<String, String>> all = r.xrange(key, Range.create("-", "+"));
            assertThat(ids(all)).containsExactly(auto, "99999999999999-1", "99999999999999-2");
            assertThat(all.get(1).getBody()).containsExactly(Map.entry("b", "2"), Map.entry("c", "3"));
            assertThat(ids(r.xrange(key, Range.create("-", "+"), Limit.from(2)))).containsExactly(auto, "99999999999999-1");
            assertThat(ids(r.xrange(key, Range.create("99999999999999", "+")))).containsExactly("99999999999999-1", "99999999999999-2");
            assertThat(ids(r.xrange(key, Range.from(Range.Boundary.excluding("99999999999999-1"), Range.Boundary.unbounded()))))
                    .containsExactly("99999999999999-2");
            assertThat(ids(r.xrevrange(key, Range.create("-", "+")))).containsExactly("99999999999999-2", "99999999999999-1", auto);
            assertThat(ids(r.xrevrange(key, Range.create("-", "+"), Limit.from(1)))).containsExactly("99999999999999-2");
            assertThat(r.xrange("no-such-" + v, Range.create("-", "+"))).isEmpty();
            assertThat(r.xlen("no-such-" + v)).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void idRules(ProtocolVersion v) {
        try (StatefulRedisConnection<String, String> conn = lettuce.connect(v)) {
            RedisCommands<String, String> r = conn.sync();
            String key = "s-ids-" + v;
            r.xadd(key, new XAddArgs().id("5-5"), fields("f", "v"));
            assertThatThrownBy(() -> r.xadd(key, new XAddArgs().id("5-5"), fields("f", "v")))
                    .isInstanceOf(RedisCommandExecutionException.class).hasMessage(XADD_ID_TOO_SMALL);
            assertThatThrownBy(() -> r.xadd(key, new XAddArgs().id("4-*"), fields("f", "v")))
                    .hasMessage(XADD_ID_TOO_SMALL);
            assertThatThrownBy(() -> r.xadd("s-zero-" + v, new XAddArgs().id("0-0"), fields("f", "v")))
                    .hasMessage("ERR The ID specified in XADD must be greater than 0-0");
            assertThatThrownBy(() -> r.xadd(key, new XAddArgs().id("abc"), fields("f", "v")))
                    .hasMessage("ERR Invalid stream ID specified as stream command argument");
            assertThat(r.xadd(key, new XAddArgs().id("6"), fields("f", "v"))).isEqualTo("6-0");
            assertThat(r.xadd(key, new XAddArgs().nomkstream().id("7-0"), fields("f", "v"))).isEqualTo("7-0");
            assertThat(r.xadd("s-absent-" + v, XAddArgs.Builder.nomkstream(), fields("f", "v"))).isNull();
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void trimmingAndDeletion(ProtocolVersion v) {
        try (StatefulRedisConnection<String, String> conn = lettuce.connect(v)) {
            RedisCommands<String, String> r = conn.sync();
            String key = "s-trim-" + v;
            for (int i = 1; i <= 10; i++) {
                r.xadd(key, new XAddArgs().id(i + "-0"), fields("n", Integer.toString(i)));
            }
            assertThat(r.xdel(key, "2-0", "3-0", "42-0")).isEqualTo(2);
            assertThat(r.xdel(key, "2-0")).isZero();
            assertThat(r.xlen(key)).isEqualTo(8);
            assertThat(ids(r.xrange(key, Range.create("-", "4")))).containsExactly("1-0", "4-0");
            // Keep the newest 6 live entries: 5..10 (2 and 3 are deleted, 1 and 4 go).
            assertThat(r.xtrim(key, XTrimArgs.Builder.maxlen(6))).isEqualTo(2);
            assertThat(ids(r.xrange(key, Range.create("-", "+")))).containsExactly("5-0", "6-0", "7-0", "8-0", "9-0", "10-0");
            assertThat(r.xtrim(key, XTrimArgs.Builder.minId("8"))).isEqualTo(3);
            assertThat(r.xlen(key)).isEqualTo(3);
            r.xadd(key, new XAddArgs().id("11-0").maxlen(2), fields("n", "11"));
            assertThat(ids(r.xrange(key, Range.create("-", "+")))).containsExactly("10-0", "11-0");
            r.xadd(key, new XAddArgs().id("12-0").minId("12"), fields("n", "12"));
            assertThat(ids(r.xrange(key, Range.create("-", "+")))).containsExactly("12-0");
            assertThat(r.xtrim(key, XTrimArgs.Builder.maxlen(0))).isEqualTo(1);
            assertThat(r.xlen(key)).isZero();
            // The last id survives an emptied stream.
            assertThatThrownBy(() -> r.xadd(key, new XAddArgs().id("12-0"), fields("f", "v")))
                    .hasMessage(XADD_ID_TOO_SMALL);
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void readSeveralStreams(ProtocolVersion v) {
        try (StatefulRedisConnection<String, String> conn = lettuce.connect(v)) {
            RedisCommands<String, String> r = conn.sync();
            String a = "s-read-a-" + v;
            String b = "s-read-b-" + v;
            r.xadd(a, new XAddArgs().id("1-0"), fields("x", "1"));
            r.xadd(a, new XAddArgs().id("2-0"), fields("x", "2"));
            r.xadd(b, new XAddArgs().id("3-0"), fields("y", "3"));
            List<StreamMessage<String, String>> got = r.xread(XReadArgs.StreamOffset.from(a, "1-0"),
                    XReadArgs.StreamOffset.from(b, "0"));
            assertThat(got).extracting(StreamMessage::getStream, StreamMessage::getId)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(a, "2-0"), org.assertj.core.groups.Tuple.tuple(b, "3-0"));
            assertThat(r.xread(XReadArgs.Builder.count(1), XReadArgs.StreamOffset.from(a, "0"))).hasSize(1);
            assertThat(r.xread(XReadArgs.StreamOffset.latest(a))).isEmpty();
            assertThat(r.xread(XReadArgs.StreamOffset.from("s-read-none-" + v, "0"))).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void blockingReadWakesOnAppend(ProtocolVersion v) throws Exception {
        try (StatefulRedisConnection<String, String> reader = lettuce.connect(v);
             StatefulRedisConnection<String, String> writer = lettuce.connect(v)) {
            String key = "s-block-" + v;
            writer.sync().xadd(key, new XAddArgs().id("1-0"), fields("f", "old"));
            CompletableFuture<List<StreamMessage<String, String>>> pending = reader.async()
                    .xread(XReadArgs.Builder.block(20_000), XReadArgs.StreamOffset.latest(key)).toCompletableFuture();
            // The reader is blocked: a command on it would queue behind XREAD, so poll its state from the writer.
            org.awaitility.Awaitility.await().pollDelay(java.time.Duration.ofMillis(100)).until(() -> true);
            assertThat(pending).isNotDone();
            writer.sync().xadd(key, new XAddArgs().id("2-0"), fields("f", "new"));
            List<StreamMessage<String, String>> got = pending.get(10, TimeUnit.SECONDS);
            assertThat(ids(got)).containsExactly("2-0");
            assertThat(got.get(0).getBody()).containsEntry("f", "new");
            // A block on a key that does not exist yet wakes when the key is created.
            String later = "s-block-later-" + v;
            CompletableFuture<List<StreamMessage<String, String>>> onNew = reader.async()
                    .xread(XReadArgs.Builder.block(20_000), XReadArgs.StreamOffset.from(later, "0")).toCompletableFuture();
            writer.sync().xadd(later, fields("f", "first"));
            assertThat(onNew.get(10, TimeUnit.SECONDS)).hasSize(1);
            // Timeout: a null reply, which Lettuce reads as an empty list.
            assertThat(reader.sync().xread(XReadArgs.Builder.block(50), XReadArgs.StreamOffset.latest(key))).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void xinfoStreamAndSetId(ProtocolVersion v) {
        try (StatefulRedisConnection<String, String> conn = lettuce.connect(v)) {
            RedisCommands<String, String> r = conn.sync();
            String key = "s-info-" + v;
            r.xadd(key, new XAddArgs().id("1-1"), fields("f", "1"));
            r.xadd(key, new XAddArgs().id("2-2"), fields("f", "2"));
            r.xdel(key, "2-2");
            List<Object> info = r.xinfoStream(key);
            Map<Object, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < info.size(); i += 2) {
                m.put(info.get(i), info.get(i + 1));
            }
            assertThat(m).containsEntry("length", 1L).containsEntry("last-generated-id", "2-2")
                    .containsEntry("max-deleted-entry-id", "2-2").containsEntry("entries-added", 2L)
                    .containsEntry("groups", 0L);
            assertThat(m.get("first-entry")).asList().first().isEqualTo("1-1");
            assertThatThrownBy(() -> r.xinfoStream("s-info-none-" + v)).hasMessage("ERR no such key");
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void kafkaConsumersSeeTheSameEntries(ProtocolVersion v) throws Exception {
        try (StatefulRedisConnection<String, String> conn = lettuce.connect(v)) {
            RedisCommands<String, String> r = conn.sync();
            String key = "s-kafka-" + v;
            r.xadd(key, new XAddArgs().id("1700000000000-0"), fields("sensor", "a1", "temp", "21.5"));
            r.xadd(key, new XAddArgs().id("1700000000000-1"), fields("k", "v"));
            StreamPartition p = sluice.node().broker().streams().partition(CallContext.DEFAULT, key, 0);
            List<Record> records = RecordBatches.records(p.read(0, 1 << 20, Isolation.READ_UNCOMMITTED).records().toByteBuffer());
            assertThat(records).hasSize(2);
            Record first = records.get(0);
            assertThat(first.offset()).isZero();
            assertThat(first.timestamp()).isEqualTo(1700000000000L);
            assertThat(new String(first.valueBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"sensor\":\"a1\",\"temp\":\"21.5\"}");
            assertThat(first.headers()).extracting(Header::key).containsExactly("redis.id");
            assertThat(new String(first.headers().get(0).value(), StandardCharsets.US_ASCII)).isEqualTo("1700000000000-0");
            Record second = records.get(1);
            assertThat(second.offset()).isEqualTo(1);
            // one field: the value as it is, the field's name in a header
            assertThat(new String(second.valueBytes(), StandardCharsets.UTF_8)).isEqualTo("v");
            assertThat(second.headers()).extracting(Header::key).containsExactly("redis.id", "redis.field");
            assertThat(new String(second.headers().get(1).value(), StandardCharsets.UTF_8)).isEqualTo("k");
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void pipelinedAppendsKeepTheirOrder(ProtocolVersion v) throws Exception {
        try (StatefulRedisConnection<String, String> conn = lettuce.connect(v)) {
            String key = "s-pipe-" + v;
            conn.sync().xadd(key, fields("n", "first"));
            conn.setAutoFlushCommands(false);
            List<CompletableFuture<String>> replies = new java.util.ArrayList<>();
            for (int i = 0; i < 200; i++) {
                replies.add(conn.async().xadd(key, fields("n", Integer.toString(i))).toCompletableFuture());
            }
            CompletableFuture<List<StreamMessage<String, String>>> range =
                    conn.async().xrange(key, Range.create("-", "+")).toCompletableFuture();
            conn.flushCommands();
            conn.setAutoFlushCommands(true);
            List<String> ids = new java.util.ArrayList<>();
            for (CompletableFuture<String> f : replies) {
                ids.add(f.get(20, TimeUnit.SECONDS));
            }
            List<StreamMessage<String, String>> all = range.get(20, TimeUnit.SECONDS);
            assertThat(all).hasSize(201);
            assertThat(ids(all).subList(1, 201)).containsExactlyElementsOf(ids);
            assertThat(all.get(200).getBody()).containsEntry("n", "199");
        }
    }

    /**
     * Two connections pipeline XADDs into one stream at once, one of them with an explicit id that is too small and
     * a MAXLEN trim in the middle of its pipeline. The plain XADDs of a read burst are appended as one record batch:
     * ids must still grow with offsets across both connections, the bad id must fail alone, and every other reply
     * must name an entry that is in the stream.
     */
    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void pipelinesFromTwoConnectionsInterleaveWithoutBreakingIdOrder(ProtocolVersion v) throws Exception {
        String key = "s-two-pipes-" + v;
        try (StatefulRedisConnection<String, String> a = lettuce.connect(v);
             StatefulRedisConnection<String, String> b = lettuce.connect(v)) {
            a.sync().xadd(key, fields("n", "first"));
            a.setAutoFlushCommands(false);
            b.setAutoFlushCommands(false);
            List<CompletableFuture<String>> fromA = new java.util.ArrayList<>();
            List<CompletableFuture<String>> fromB = new java.util.ArrayList<>();
            CompletableFuture<String> tooSmall = null;
            for (int round = 0; round < 5; round++) {
                for (int i = 0; i < 100; i++) {
                    fromA.add(a.async().xadd(key, fields("a", round + "-" + i)).toCompletableFuture());
                    fromB.add(b.async().xadd(key, fields("b", round + "-" + i)).toCompletableFuture());
                    if (round == 2 && i == 50) {
                        tooSmall = a.async().xadd(key, new XAddArgs().id("1-1"), fields("a", "too small"))
                                .toCompletableFuture();
                        fromB.add(b.async().xadd(key, new XAddArgs().maxlen(100_000), fields("b", "trim"))
                                .toCompletableFuture());
                    }
                }
                a.flushCommands();
                b.flushCommands();
            }
            a.setAutoFlushCommands(true);
            b.setAutoFlushCommands(true);
            List<String> replied = new java.util.ArrayList<>();
            for (CompletableFuture<String> f : fromA) {
                replied.add(f.get(20, TimeUnit.SECONDS));
            }
            for (CompletableFuture<String> f : fromB) {
                replied.add(f.get(20, TimeUnit.SECONDS));
            }
            CompletableFuture<String> bad = tooSmall;
            assertThatThrownBy(() -> bad.get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(RedisCommandExecutionException.class)
                    .hasMessageContaining(XADD_ID_TOO_SMALL);

            List<StreamMessage<String, String>> all = a.sync().xrange(key, Range.create("-", "+"));
            assertThat(all).hasSize(1 + 500 + 501);
            assertThat(ids(all)).containsAll(replied).doesNotHaveDuplicates();
            assertThat(all).noneMatch(m -> "too small".equals(m.getBody().get("a")));
            // each connection's entries in its own order
            assertThat(all.stream().filter(m -> m.getBody().containsKey("a")).map(m -> m.getBody().get("a")).toList())
                    .containsExactlyElementsOf(fromOne(5, 100));
            // ids grow with offsets: the log, read as Kafka reads it, holds the entries in XRANGE's order
            StreamPartition p = sluice.node().broker().streams().partition(CallContext.DEFAULT, key, 0);
            List<String> logIds = new java.util.ArrayList<>();
            int batches = 0;
            for (long offset = 0; offset < p.highWatermark(); ) {
                java.nio.ByteBuffer read = p.read(offset, 1 << 20, Isolation.READ_UNCOMMITTED).records().toByteBuffer();
                for (io.sluice.storage.record.RecordBatch batch : RecordBatches.iterate(read)) {
                    batches++;
                    for (Record r : batch.records()) {
                        logIds.add(new String(r.headers().get(0).value(), StandardCharsets.US_ASCII));
                        offset = r.offset() + 1;
                    }
                }
            }
            assertThat(logIds).containsExactlyElementsOf(ids(all));
            assertThat(batches).as("record batches for %d entries", logIds.size()).isLessThan(logIds.size() / 4);
        }
    }

    /**
     * Small replies of one burst are written together, a large one on its own: pipelined commands whose replies
     * alternate between the two must still be answered in order.
     */
    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void smallAndLargeRepliesOfOnePipelineKeepTheirOrder(ProtocolVersion v) throws Exception {
        String key = "s-mixed-replies-" + v;
        try (StatefulRedisConnection<String, String> conn = lettuce.connect(v)) {
            String body = "x".repeat(200);
            for (int i = 0; i < 100; i++) {
                conn.sync().xadd(key, fields("n", Integer.toString(i), "body", body));
            }
            conn.setAutoFlushCommands(false);
            List<CompletableFuture<Long>> lengths = new java.util.ArrayList<>();
            List<CompletableFuture<List<StreamMessage<String, String>>>> ranges = new java.util.ArrayList<>();
            List<CompletableFuture<String>> added = new java.util.ArrayList<>();
            for (int round = 0; round < 5; round++) {
                lengths.add(conn.async().xlen(key).toCompletableFuture());
                ranges.add(conn.async().xrange(key, Range.create("-", "+")).toCompletableFuture()); // ~25 KB
                added.add(conn.async().xadd(key, fields("n", "r" + round, "body", body)).toCompletableFuture());
            }
            lengths.add(conn.async().xlen(key).toCompletableFuture());
            conn.flushCommands();
            conn.setAutoFlushCommands(true);
            for (int round = 0; round < 5; round++) {
                assertThat(lengths.get(round).get(20, TimeUnit.SECONDS)).isEqualTo(100L + round);
                List<StreamMessage<String, String>> range = ranges.get(round).get(20, TimeUnit.SECONDS);
                assertThat(range).hasSize(100 + round);
                assertThat(range.get(range.size() - 1).getBody().get("n")).isEqualTo(round == 0 ? "99" : "r" + (round - 1));
                assertThat(added.get(round).get(20, TimeUnit.SECONDS)).isEqualTo(
                        conn.sync().xrange(key, Range.create("-", "+")).get(100 + round).getId());
            }
            assertThat(lengths.get(5).get(20, TimeUnit.SECONDS)).isEqualTo(105L);
        }
    }

    private static List<String> fromOne(int rounds, int perRound) {
        List<String> out = new java.util.ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < perRound; i++) {
                out.add(round + "-" + i);
            }
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void keysWithAnyCharacters(ProtocolVersion v) {
        try (StatefulRedisConnection<String, String> conn = lettuce.connect(v)) {
            RedisCommands<String, String> r = conn.sync();
            String key = "user:42/events {é}-" + v;
            r.xadd(key, new XAddArgs().id("1-1"), fields("f", "v"));
            assertThat(ids(r.xrange(key, Range.create("-", "+")))).containsExactly("1-1");
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void aStreamDeletedElsewhereStartsCleanWhenRecreated(ProtocolVersion v) throws Exception {
        try (StatefulRedisConnection<String, String> conn = lettuce.connect(v)) {
            RedisCommands<String, String> r = conn.sync();
            String key = "s-recreate-" + v;
            r.xadd(key, new XAddArgs().id("5-0"), fields("f", "old"));
            r.xadd(key, new XAddArgs().id("6-0"), fields("f", "old"));
            r.xdel(key, "5-0");
            sluice.node().broker().streams().delete(CallContext.DEFAULT, key).get(10, TimeUnit.SECONDS);
            assertThat(r.xlen(key)).isZero();
            assertThat(r.xadd(key, new XAddArgs().id("1-0"), fields("f", "new"))).isEqualTo("1-0");
            assertThat(ids(r.xrange(key, Range.create("-", "+")))).containsExactly("1-0");
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void delUnlinkExistsAndTypeOnStreamKeys(ProtocolVersion v) {
        try (StatefulRedisConnection<String, String> conn = lettuce.connect(v)) {
            RedisCommands<String, String> r = conn.sync();
            String a = "s-del-a-" + v;
            String b = "s-del-b-" + v;
            r.xadd(a, new XAddArgs().id("5-0"), fields("f", "old"));
            r.xadd(a, new XAddArgs().id("6-0"), fields("f", "old"));
            r.xdel(a, "5-0");
            r.xgroupCreate(XReadArgs.StreamOffset.from(b, "0"), "g", io.lettuce.core.XGroupCreateArgs.Builder.mkstream());
            assertThat(r.exists(a, b, a, "s-del-missing")).isEqualTo(3);
            assertThat(r.type(a)).isEqualTo("stream");
            assertThat(r.type("s-del-missing")).isEqualTo("none");

            assertThat(r.del(a, a, "s-del-missing")).isEqualTo(1);
            assertThat(r.exists(a)).isZero();
            assertThat(r.type(a)).isEqualTo("none");
            assertThat(r.xlen(a)).isZero();
            assertThat(r.del(a)).isZero();
            // a stream created again under the name starts clean: small ids, no XDEL marks of the old one
            assertThat(r.xadd(a, new XAddArgs().id("5-0"), fields("f", "new"))).isEqualTo("5-0");
            assertThat(ids(r.xrange(a, Range.create("-", "+")))).containsExactly("5-0");

            assertThat(r.unlink(b)).isEqualTo(1);
            assertThatThrownBy(() -> r.xreadgroup(io.lettuce.core.Consumer.from("g", "c"),
                    XReadArgs.StreamOffset.lastConsumed(b)))
                    .isInstanceOf(RedisCommandExecutionException.class).hasMessageStartingWith("NOGROUP");
            assertThat(sluice.node().broker().streams().describe(CallContext.DEFAULT, b)).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void keyCommandsLeaveStreamsThatAreNotRedisStreamsAlone(ProtocolVersion v) throws Exception {
        String topic = "s-del-topic-" + v;
        sluice.node().broker().streams().create(CallContext.DEFAULT,
                new io.sluice.core.stream.StreamSpec(topic, 3, Map.of(), List.of())).get(10, TimeUnit.SECONDS);
        try (StatefulRedisConnection<String, String> conn = lettuce.connect(v)) {
            RedisCommands<String, String> r = conn.sync();
            assertThat(r.exists(topic)).isZero();
            assertThat(r.type(topic)).isEqualTo("none");
            assertThat(r.del(topic)).isZero();
            assertThatThrownBy(() -> r.xlen(topic)).hasMessageStartingWith("WRONGTYPE");
        }
        assertThat(sluice.node().broker().streams().describe(CallContext.DEFAULT, topic)).isPresent();
    }
}
