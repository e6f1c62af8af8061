package io.sluice.it.resp;

import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XPendingArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.XTrimArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.models.stream.PendingMessage;
import io.lettuce.core.models.stream.PendingMessages;
import io.lettuce.core.protocol.ProtocolVersion;
import io.sluice.testkit.SluiceExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The id-to-offset index behind stream commands, through Lettuce: ids given explicitly (XRANGE bounds, XACK, XCLAIM,
 * XPENDING, history reads) resolve the same before and after a broker restart, after XDEL and XTRIM, and while
 * XADDs and XACKs are pipelined.
 */
@Tag("it")
class RespStreamIndexTest {

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

    private static List<String> ids(List<StreamMessage<String, String>> messages) {
        return messages.stream().map(StreamMessage::getId).toList();
    }

    @Test
    void explicitIdsResolveAfterXdelXtrimAndRestart() {
        String key = "idx-restart";
        List<String> live = new ArrayList<>(); // what the stream should hold, in order
        try (StatefulRedisConnection<String, String> conn = lettuce.connect(ProtocolVersion.RESP3)) {
            RedisCommands<String, String> r = conn.sync();
            r.xgroupCreate(StreamOffset.from(key, "0"), "g", XGroupCreateArgs.Builder.mkstream());
            for (int i = 0; i < 3000; i++) {
                String id = (1000 + i / 3) + "-" + (i % 3); // three entries per millisecond, over several index pages
                assertThat(r.xadd(key, new XAddArgs().id(id), Map.of("n", Integer.toString(i)))).isEqualTo(id);
                live.add(id);
            }
            assertThat(r.xtrim(key, XTrimArgs.Builder.minId("1001-0"))).isEqualTo(3);
            live.subList(0, 3).clear();
            assertThat(r.xdel(key, "1300-1", "1500-2", "9999-0")).isEqualTo(2);
            live.remove("1300-1");
            live.remove("1500-2");
            assertThat(ids(r.xrange(key, Range.create("-", "+")))).containsExactlyElementsOf(live);
            List<StreamMessage<String, String>> got = r.xreadgroup(Consumer.from("g", "a"),
                    XReadArgs.Builder.count(200), StreamOffset.lastConsumed(key));
            assertThat(ids(got)).containsExactlyElementsOf(live.subList(0, 200));
            assertThat(r.xack(key, "g", live.get(0), live.get(1))).isEqualTo(2);
        }

        sluice.restart();

        try (StatefulRedisConnection<String, String> conn = lettuce.connect(ProtocolVersion.RESP2)) {
            RedisCommands<String, String> r = conn.sync();
            assertThat(r.xlen(key)).isEqualTo(live.size());
            assertThat(ids(r.xrange(key, Range.create("-", "+")))).containsExactlyElementsOf(live);
            // explicit bounds inside one millisecond, and on a deleted entry
            int from = live.indexOf("1500-0");
            assertThat(ids(r.xrange(key, Range.create("1500-1", "1501-0"))))
                    .containsExactlyElementsOf(live.subList(from + 1, from + 3));
            assertThat(ids(r.xrevrange(key, Range.create("1300-0", "1300-2"))))
                    .containsExactly("1300-2", "1300-0");
            // the pending list names the same ids as before the restart
            PendingMessages summary = r.xpending(key, "g");
            assertThat(summary.getCount()).isEqualTo(198);
            assertThat(summary.getMessageIds().getLower().getValue()).isEqualTo(live.get(2));
            assertThat(summary.getMessageIds().getUpper().getValue()).isEqualTo(live.get(199));
            List<PendingMessage> rows = r.xpending(key, XPendingArgs.Builder.xpending(Consumer.from("g", "a"),
                    Range.create(live.get(10), live.get(12)), Limit.from(10)));
            assertThat(rows).extracting(PendingMessage::getId).containsExactlyElementsOf(live.subList(10, 13));
            // XACK and XCLAIM by id, answered from the pending list
            assertThat(r.xack(key, "g", live.get(2), live.get(3), live.get(0), "9999-0")).isEqualTo(2);
            assertThat(ids(r.xclaim(key, Consumer.from("g", "b"), XClaimArgs.Builder.minIdleTime(0),
                    live.get(4), live.get(250)))).containsExactly(live.get(4));
            // history read after an explicit id
            assertThat(ids(r.xreadgroup(Consumer.from("g", "a"), XReadArgs.Builder.count(3),
                    StreamOffset.from(key, live.get(5))))).containsExactlyElementsOf(live.subList(6, 9));
            // new entries keep growing from the last id
            assertThatThrownBy(() -> r.xadd(key, new XAddArgs().id(live.get(live.size() - 1)), Map.of("f", "v")))
                    .hasMessage("ERR The ID specified in XADD is equal or smaller than the target stream top item");
            String next = r.xadd(key, Map.of("f", "v"));
            assertThat(compareIds(next, live.get(live.size() - 1))).isPositive();
            assertThat(ids(r.xrevrange(key, Range.create("-", "+"), Limit.from(2))))
                    .containsExactly(next, live.get(live.size() - 1));
            assertThat(ids(r.xreadgroup(Consumer.from("g", "c"), XReadArgs.Builder.count(5000),
                    StreamOffset.lastConsumed(key)))).containsExactlyElementsOf(
                    concat(live.subList(200, live.size()), next));
        }
    }

    @Test
    void pipelinedAddsAndAcksAnswerInOrder() throws Exception {
        String key = "idx-pipeline";
        try (StatefulRedisConnection<String, String> conn = lettuce.connect(ProtocolVersion.RESP2)) {
            RedisCommands<String, String> r = conn.sync();
            r.xgroupCreate(StreamOffset.from(key, "0"), "g", XGroupCreateArgs.Builder.mkstream());
            RedisAsyncCommands<String, String> a = conn.async();
            conn.setAutoFlushCommands(false);
            List<RedisFuture<String>> adds = new ArrayList<>();
            for (int i = 0; i < 600; i++) {
                adds.add(a.xadd(key, Map.of("n", Integer.toString(i))));
            }
            conn.flushCommands();
            List<String> added = new ArrayList<>();
            for (RedisFuture<String> f : adds) {
                added.add(f.get(30, TimeUnit.SECONDS));
            }
            assertThat(added).doesNotHaveDuplicates();
            assertThat(added).isSortedAccordingTo(RespStreamIndexTest::compareIds);
            conn.setAutoFlushCommands(true);
            List<StreamMessage<String, String>> got = r.xreadgroup(Consumer.from("g", "a"),
                    XReadArgs.Builder.count(500), StreamOffset.lastConsumed(key));
            assertThat(ids(got)).containsExactlyElementsOf(added.subList(0, 500));
            assertThat(got.get(7).getBody()).containsEntry("n", "7");

            // Ten XACKs then reads, in one write: the reads must see every acknowledgement before them.
            conn.setAutoFlushCommands(false);
            List<RedisFuture<Long>> acks = new ArrayList<>();
            for (int c = 0; c < 10; c++) {
                acks.add(a.xack(key, "g", added.subList(c * 50, c * 50 + 50).toArray(String[]::new)));
            }
            RedisFuture<List<StreamMessage<String, String>>> history = a.xreadgroup(Consumer.from("g", "a"),
                    StreamOffset.from(key, "0"));
            RedisFuture<PendingMessages> pending = a.xpending(key, "g");
            RedisFuture<List<StreamMessage<String, String>>> rest = a.xreadgroup(Consumer.from("g", "a"),
                    XReadArgs.Builder.count(500), StreamOffset.lastConsumed(key));
            RedisFuture<Long> again = a.xack(key, "g", added.get(0));
            conn.flushCommands();
            for (RedisFuture<Long> f : acks) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(50);
            }
            assertThat(history.get(30, TimeUnit.SECONDS)).isEmpty();
            assertThat(pending.get(30, TimeUnit.SECONDS).getCount()).isZero();
            assertThat(ids(rest.get(30, TimeUnit.SECONDS))).containsExactlyElementsOf(added.subList(500, 600));
            assertThat(again.get(30, TimeUnit.SECONDS)).isZero();
        }
    }

    private static int compareIds(String x, String y) {
        String[] a = x.split("-");
        String[] b = y.split("-");
        int c = Long.compare(Long.parseLong(a[0]), Long.parseLong(b[0]));
        return c != 0 ? c : Long.compare(Long.parseLong(a[1]), Long.parseLong(b[1]));
    }

    private static List<String> concat(List<String> a, String b) {
        List<String> out = new ArrayList<>(a);
        out.add(b);
        return out;
    }
}
