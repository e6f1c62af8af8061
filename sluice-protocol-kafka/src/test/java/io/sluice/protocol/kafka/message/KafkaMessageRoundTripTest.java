package io.sluice.protocol.kafka.message;

import io.sluice.protocol.kafka.codec.KafkaMessage;
import io.sluice.protocol.kafka.codec.KafkaProtocolException;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every generated message at every version: random content is written, its size matches what was written, and
 * reading it back then writing again yields the same bytes and an equal object.
 */
class KafkaMessageRoundTripTest {

    static List<Class<? extends KafkaMessage>> allMessageClasses() {
        List<Class<? extends KafkaMessage>> all = new ArrayList<>();
        for (KafkaApiKey k : KafkaApiKey.values()) {
            all.add(k.newRequest().getClass());
            all.add(k.newResponse().getClass());
        }
        all.addAll(RandomMessages.NON_API);
        return all;
    }

    @TestFactory
    Stream<DynamicTest> everyMessageRoundTripsAtEveryVersion() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (Class<? extends KafkaMessage> type : allMessageClasses()) {
            KafkaMessage probe = type.getConstructor().newInstance();
            for (short v = probe.lowestSupportedVersion(); v <= probe.highestSupportedVersion(); v++) {
                short version = v;
                tests.add(DynamicTest.dynamicTest(type.getSimpleName() + " v" + v, () -> {
                    for (long seed = 1; seed <= 4; seed++) {
                        roundTrip(type, version, seed);
                    }
                }));
            }
        }
        return tests.stream();
    }

    private static void roundTrip(Class<? extends KafkaMessage> type, short version, long seed) throws Exception {
        KafkaMessage m = RandomMessages.random(type, seed, true);
        byte[] first;
        try {
            first = RandomMessages.encode(m, version);
        } catch (KafkaProtocolException nullNotAllowedAtThisVersion) {
            m = RandomMessages.random(type, seed, false);
            first = RandomMessages.encode(m, version);
        }
        assertThat(m.size(version)).as("size of %s", m).isEqualTo(first.length);

        KafkaMessage read = type.getConstructor(ByteBuffer.class, short.class).newInstance(ByteBuffer.wrap(first), version);
        byte[] second = RandomMessages.encode(read, version);
        assertThat(second).as("re-encoded %s", read).isEqualTo(first);
        KafkaMessage again = type.getConstructor(ByteBuffer.class, short.class).newInstance(ByteBuffer.wrap(second), version);
        assertThat(again).isEqualTo(read).hasSameHashCodeAs(read);
    }

    @Test
    void defaultsComeFromTheSchema() {
        FetchResponse.PartitionData p = new FetchResponse.PartitionData();
        assertThat(p.lastStableOffset).isEqualTo(-1L);
        assertThat(p.preferredReadReplica).isEqualTo(-1);
        assertThat(new ProduceRequest().transactionalId).isNull();
        assertThat(new FetchRequest().replicaId).isEqualTo(-1);
    }

    @Test
    void fieldsAbsentFromAVersionAreResetOnRead() {
        MetadataRequest req = new MetadataRequest().setAllowAutoTopicCreation(false);
        byte[] v3 = RandomMessages.encode(req, (short) 3); // AllowAutoTopicCreation appears in v4
        MetadataRequest read = new MetadataRequest(ByteBuffer.wrap(v3), (short) 3);
        assertThat(read.allowAutoTopicCreation).isTrue();
    }

    @Test
    void truncatedInputFailsInsteadOfReadingGarbage() {
        MetadataResponse resp = RandomMessages.random(MetadataResponse.class, 7, false);
        byte[] bytes = RandomMessages.encode(resp, (short) 12);
        for (int cut : new int[] {0, 1, bytes.length / 2, bytes.length - 1}) {
            ByteBuffer truncated = ByteBuffer.wrap(bytes, 0, cut);
            assertThatThrownBy(() -> new MetadataResponse(truncated, (short) 12)).isInstanceOf(RuntimeException.class);
        }
    }

    @Test
    void absurdLengthsAreRejectedBeforeAllocating() {
        ByteBuffer buf = ByteBuffer.allocate(12).putShort((short) 0).putInt(Integer.MAX_VALUE).flip();
        assertThatThrownBy(() -> new ApiVersionsResponse(buf, (short) 0)).isInstanceOf(KafkaProtocolException.class);
    }
}
