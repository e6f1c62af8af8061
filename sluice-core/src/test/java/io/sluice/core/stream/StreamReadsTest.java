package io.sluice.core.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.CallContext;
import io.sluice.core.Message;
import io.sluice.core.MessageCodec;
import io.sluice.core.internal.BrokerOptions;
import io.sluice.core.internal.DefaultBroker;
import io.sluice.storage.memory.MemoryLogStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StreamReadsTest {
    private DefaultBroker broker;
    private StreamPartition p;

    @BeforeEach
    void start() throws Exception {
        broker = DefaultBroker.start(BrokerOptions.of(new MemoryLogStore(), new MemoryLogStore()));
        broker.streams().create(CallContext.DEFAULT, StreamSpec.of("s", 1)).get(5, TimeUnit.SECONDS);
        p = broker.streams().partition(CallContext.DEFAULT, "s", 0);
        for (int batch = 0; batch < 4; batch++) {
            List<Message> msgs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                msgs.add(Message.of("s", ("m" + (batch * 3 + i)).getBytes(StandardCharsets.UTF_8)));
            }
            p.publish(msgs).get(5, TimeUnit.SECONDS);
        }
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private static String body(io.sluice.storage.record.Record r) {
        return new String(MessageCodec.fromRecord(r).value(), StandardCharsets.UTF_8);
    }

    @Test
    void scanVisitsEveryRecordFromAnOffsetInsideABatchAcrossSmallReads() {
        List<String> seen = new ArrayList<>();
        StreamReads.scan(p, 4, 1, r -> seen.add(r.offset() + ":" + body(r)));
        assertThat(seen).containsExactly("4:m4", "5:m5", "6:m6", "7:m7", "8:m8", "9:m9", "10:m10", "11:m11");
    }

    @Test
    void scanStopsWhenTheVisitorSaysSoAndTreatsRemovedOffsetsAsTheStart() throws Exception {
        List<Long> seen = new ArrayList<>();
        StreamReads.scan(p, 0, 1 << 20, r -> seen.add(r.offset()) && seen.size() < 2);
        assertThat(seen).containsExactly(0L, 1L);

        p.deleteRecordsBefore(6).get(5, TimeUnit.SECONDS);
        seen.clear();
        StreamReads.scan(p, 0, 1 << 20, r -> seen.add(r.offset()));
        assertThat(seen).first().isEqualTo(6L);
        assertThat(seen).hasSize(6);
    }

    @Test
    void aChunkReportsTheOffsetAfterItsLastBatchAndNullBelowTheLogStart() throws Exception {
        StreamReads.Chunk c = StreamReads.read(p, 1, 1);
        List<Long> seen = new ArrayList<>();
        assertThat(c.forEachRecord(r -> seen.add(r.offset()))).isEqualTo(3);
        assertThat(seen).containsExactly(1L, 2L);
        assertThat(c.highWatermark()).isEqualTo(12);
        assertThat(StreamReads.read(p, 1, 1).forEachRecord(r -> false)).isEqualTo(-1);

        p.deleteRecordsBefore(3).get(5, TimeUnit.SECONDS);
        assertThat(StreamReads.read(p, 1, 1)).isNull();
    }
}
