package io.sluice.protocol.kafka.message;

import io.sluice.protocol.kafka.codec.KafkaMessage;
import io.sluice.protocol.kafka.codec.KafkaProtocolException;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Message;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.protocol.Readable;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Byte-for-byte agreement with kafka-clients' own generated classes, for every message at every version: our
 * encoding of random content is decoded by kafka-clients, and kafka-clients' re-encoding must be identical.
 * Mismatches in field order, compact vs non-compact lengths, nullability markers or tagged fields all show up here.
 */
class KafkaClientsOracleTest {

    @TestFactory
    Stream<DynamicTest> kafkaClientsReadsAndRewritesOurBytesIdentically() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        int compared = 0;
        for (Class<? extends KafkaMessage> type : KafkaMessageRoundTripTest.allMessageClasses()) {
            Class<?> theirs = kafkaClass(type.getSimpleName());
            if (theirs == null) {
                continue; // a few inter-broker messages (LeaderAndIsr, StopReplica, ...) are not in the client jar
            }
            compared++;
            KafkaMessage probe = type.getConstructor().newInstance();
            for (short v = probe.lowestSupportedVersion(); v <= probe.highestSupportedVersion(); v++) {
                short version = v;
                tests.add(DynamicTest.dynamicTest(type.getSimpleName() + " v" + v, () -> {
                    for (long seed = 11; seed <= 13; seed++) {
                        KafkaMessage ours = RandomMessages.random(type, seed, true);
                        byte[] bytes;
                        try {
                            bytes = RandomMessages.encode(ours, version);
                        } catch (KafkaProtocolException nullNotAllowedAtThisVersion) {
                            ours = RandomMessages.random(type, seed, false);
                            bytes = RandomMessages.encode(ours, version);
                        }
                        Message parsed = (Message) theirs.getConstructor(Readable.class, short.class)
                                .newInstance(new ByteBufferAccessor(ByteBuffer.wrap(bytes)), version);
                        ByteBuffer reencoded = MessageUtil.toByteBufferAccessor(parsed, version).buffer();
                        assertThat(MessageUtil.byteBufferToArray(reencoded))
                                .as("%s v%d as re-encoded by kafka-clients: %s", type.getSimpleName(), version, parsed)
                                .isEqualTo(bytes);
                    }
                }));
            }
        }
        assertThat(compared).as("messages compared with kafka-clients").isGreaterThan(180);
        return tests.stream();
    }

    static Class<?> kafkaClass(String ourName) {
        for (String candidate : List.of(ourName + "Data", ourName)) {
            try {
                return Class.forName("org.apache.kafka.common.message." + candidate);
            } catch (ClassNotFoundException e) {
                // try the next naming convention
            }
        }
        return null;
    }
}
