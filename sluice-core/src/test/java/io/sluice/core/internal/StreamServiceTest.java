package io.sluice.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.CallContext;
import io.sluice.core.ErrorCode;
import io.sluice.core.Message;
import io.sluice.core.MessageCodec;
import io.sluice.core.Scope;
import io.sluice.core.SluiceException;
import io.sluice.core.offset.CommittedOffset;
import io.sluice.core.offset.PartitionKey;
import io.sluice.core.stream.Isolation;
import io.sluice.core.stream.StreamInfo;
import io.sluice.core.stream.StreamPartition;
import io.sluice.core.stream.StreamSpec;
import io.sluice.storage.LogReadResult;
import io.sluice.storage.memory.MemoryLogStore;
import io.sluice.storage.record.Header;
import io.sluice.storage.record.RecordBatches;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StreamServiceTest {
    private DefaultBroker broker;
    private final CallContext ctx = CallContext.DEFAULT;

    @BeforeEach
    void start() {
        broker = DefaultBroker.start(BrokerOptions.of(new MemoryLogStore(), new MemoryLogStore()));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void createPublishReadRoundTripsMessages() throws Exception {
        StreamInfo info = broker.streams().create(ctx, StreamSpec.of("orders", 3)).get(5, TimeUnit.SECONDS);
        assertThat(info.partitions()).isEqualTo(3);
        StreamPartition p = broker.streams().partition(ctx, "orders", 1);
        Message m = new Message("orders.eu", "k".getBytes(), "v1".getBytes(),
                List.of(new Header("h", "x".getBytes())), 1234, 5, -1);
        var result = p.publish(List.of(m, Message.of("s", "v2".getBytes()))).get(5, TimeUnit.SECONDS);
        assertThat(result.baseOffset()).isZero();
        assertThat(result.lastOffset()).isEqualTo(1);

        LogReadResult read = p.read(0, 1 << 20, Isolation.READ_UNCOMMITTED);
        var records = RecordBatches.records(read.records().toByteBuffer());
        assertThat(records).hasSize(2);
        Message back = MessageCodec.fromRecord(records.get(0));
        assertThat(back.subject()).isEqualTo("orders.eu");
        assertThat(back.priority()).isEqualTo(5);
        assertThat(new String(back.value(), StandardCharsets.UTF_8)).isEqualTo("v1");
        assertThat(back.headers()).extracting(Header::key).containsExactly("h");
        assertThat(back.timestamp()).isEqualTo(1234);
    }

    @Test
    void duplicateCreateAndUnknownStreamFailWithCatalogueCodes() throws Exception {
        broker.streams().create(ctx, StreamSpec.of("a", 1)).get(5, TimeUnit.SECONDS);
        assertThatThrownBy(() -> broker.streams().create(ctx, StreamSpec.of("a", 1)).join())
                .satisfies(t -> assertThat(SluiceException.from(t).code()).isEqualTo(ErrorCode.STREAM_EXISTS));
        assertThatThrownBy(() -> broker.streams().partition(ctx, "missing", 0))
                .isInstanceOfSatisfying(SluiceException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.STREAM_NOT_FOUND));
        assertThatThrownBy(() -> broker.streams().partition(ctx, "a", 1))
                .isInstanceOfSatisfying(SluiceException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.PARTITION_NOT_FOUND));
    }

    @Test
    void scopesSeparateNames() throws Exception {
        CallContext other = ctx.in(new Scope("default", "vhost2"));
        broker.streams().create(ctx, StreamSpec.of("same", 1)).get(5, TimeUnit.SECONDS);
        broker.streams().create(other, StreamSpec.of("same", 2)).get(5, TimeUnit.SECONDS);
        assertThat(broker.streams().describe(ctx, "same").orElseThrow().partitions()).isEqualTo(1);
        assertThat(broker.streams().describe(other, "same").orElseThrow().partitions()).isEqualTo(2);
        assertThat(broker.streams().list(other, false)).extracting(StreamInfo::name).containsExactly("same");
    }

    @Test
    void partitionsGrowAndConfigChanges() throws Exception {
        broker.streams().create(ctx, StreamSpec.of("t", 1)).get(5, TimeUnit.SECONDS);
        assertThat(broker.streams().createPartitions(ctx, "t", 4).get(5, TimeUnit.SECONDS).partitions()).isEqualTo(4);
        assertThatThrownBy(() -> broker.streams().createPartitions(ctx, "t", 2).join())
                .satisfies(t -> assertThat(SluiceException.from(t).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        var info = broker.streams().alterConfig(ctx, "t", Map.of("retention.ms", "1000"), Set.of())
                .get(5, TimeUnit.SECONDS);
        assertThat(info.config()).containsEntry("retention.ms", "1000");
        assertThatThrownBy(() -> broker.streams().alterConfig(ctx, "t", Map.of("cleanup.policy", "bogus"), Set.of())
                .join()).satisfies(t -> assertThat(SluiceException.from(t).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        broker.streams().delete(ctx, "t").get(5, TimeUnit.SECONDS);
        assertThat(broker.streams().describe(ctx, "t")).isEmpty();
    }

    @Test
    void longPollCompletesOnAppendAndOnTimeout() throws Exception {
        broker.streams().create(ctx, StreamSpec.of("poll", 1)).get(5, TimeUnit.SECONDS);
        StreamPartition p = broker.streams().partition(ctx, "poll", 0);
        CompletableFuture<Void> waiting = p.awaitBeyond(0, 60_000);
        assertThat(waiting).isNotDone();
        p.publish(List.of(Message.of("x", new byte[] {1}))).get(5, TimeUnit.SECONDS);
        waiting.get(5, TimeUnit.SECONDS);
        assertThat(p.highWatermark()).isEqualTo(1);
        // Nothing beyond offset 5 arrives: the timeout completes it.
        p.awaitBeyond(5, 50).get(5, TimeUnit.SECONDS);
    }

    @Test
    void offsetsAndProducerIds() throws Exception {
        var key = new PartitionKey("orders", 0);
        broker.offsets().commit(ctx, "g1", Map.of(key, new CommittedOffset(42, -1, "m", 1))).get(5, TimeUnit.SECONDS);
        assertThat(broker.offsets().fetch(ctx, "g1", null)).containsEntry(key, new CommittedOffset(42, -1, "m", 1));
        assertThat(broker.offsets().fetch(ctx, "g1", List.of(new PartitionKey("orders", 1)))).isEmpty();
        assertThat(broker.offsets().groups(ctx)).containsExactly("g1");
        broker.offsets().delete(ctx, "g1", null).get(5, TimeUnit.SECONDS);
        assertThat(broker.offsets().groups(ctx)).isEmpty();

        long a = broker.nextProducerId().get();
        long b = broker.nextProducerId().get();
        assertThat(b).isGreaterThan(a);
    }

    @Test
    void keyPartitioningMatchesKafkasDefaultPartitioner() {
        for (String k : List.of("a", "order-17", "", "a-much-longer-key-with-odd-length")) {
            byte[] key = k.getBytes(StandardCharsets.UTF_8);
            int kafka = org.apache.kafka.common.utils.Utils.toPositive(
                    org.apache.kafka.common.utils.Utils.murmur2(key)) % 12;
            assertThat(io.sluice.core.stream.StreamService.partitionForKey(key, 12)).as(k).isEqualTo(kafka);
        }
    }
}
