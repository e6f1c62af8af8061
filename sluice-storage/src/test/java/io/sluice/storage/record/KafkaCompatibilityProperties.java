package io.sluice.storage.record;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.storage.TimestampType;
import java.nio.ByteBuffer;
import java.util.Iterator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;

/**
 * Byte compatibility with Apache Kafka, with kafka-clients as the oracle: batches we write parse identically with
 * Kafka's reader, and batches Kafka's writer produces (every codec, idempotent and transactional producers, control
 * markers) parse identically with ours.
 */
class KafkaCompatibilityProperties {

    @Provide
    Arbitrary<BatchSpec> batches() {
        return BatchSpec.batches();
    }

    @Property(tries = 150)
    void kafkaReadsWhatWeWrite(@ForAll("batches") BatchSpec spec) {
        ByteBuffer ours = spec.buildWithSluice();
        MutableRecordBatch kafka = single(MemoryRecords.readableRecords(ours.duplicate()));
        assertThat(kafka.sizeInBytes()).isEqualTo(ours.remaining());
        assertThat(kafka.checksum()).isEqualTo(RecordBatch.wrap(ours).crc());
        spec.assertMatches(kafka);
        // and we read it back the same way
        spec.assertMatches(RecordBatch.wrap(ours), Long.MIN_VALUE);
    }

    @Property(tries = 150)
    void weReadWhatKafkaWrites(@ForAll("batches") BatchSpec spec) {
        long logAppendTime = 1_750_000_000_000L;
        ByteBuffer theirs = spec.buildWithKafka(logAppendTime);
        RecordBatch batch = RecordBatch.wrap(theirs);
        assertThat(batch.sizeInBytes()).isEqualTo(theirs.remaining());
        spec.assertMatches(batch, logAppendTime);
        batch.ensureValidForAppend(false);
        batch.ensureRecordsValid();
    }

    @Property(tries = 100)
    void uncompressedCreateTimeBatchesAreByteIdenticalToKafkas(@ForAll("batches") BatchSpec spec) {
        BatchSpec plain = new BatchSpec(Compression.NONE, TimestampType.CREATE_TIME, spec.baseOffset(),
                spec.partitionLeaderEpoch(), spec.producerId(), spec.producerEpoch(), spec.baseSequence(),
                spec.transactional(), spec.records());
        assertThat(plain.buildWithSluice()).isEqualTo(plain.buildWithKafka(-1L));
    }

    @Property(tries = 100)
    void controlMarkersMatchKafkas(@ForAll boolean commit, @ForAll("producerIds") long producerId,
                                   @ForAll("producerEpochs") short producerEpoch, @ForAll int coordinatorEpoch,
                                   @ForAll("timestamps") long timestamp) {
        ControlType type = commit ? ControlType.COMMIT : ControlType.ABORT;
        ByteBuffer ours = ControlRecords.marker(type, producerId, producerEpoch, coordinatorEpoch, timestamp);
        EndTransactionMarker kafkaMarker = new EndTransactionMarker(
                commit ? ControlRecordType.COMMIT : ControlRecordType.ABORT, coordinatorEpoch);
        ByteBuffer theirs = MemoryRecords.withEndTransactionMarker(0L, timestamp,
                RecordBatch.NO_PARTITION_LEADER_EPOCH, producerId, producerEpoch, kafkaMarker).buffer();

        assertThat(ours).isEqualTo(theirs);

        MutableRecordBatch kafka = single(MemoryRecords.readableRecords(ours.duplicate()));
        kafka.ensureValid();
        assertThat(kafka.isControlBatch()).isTrue();
        assertThat(kafka.isTransactional()).isTrue();
        org.apache.kafka.common.record.internal.Record record = kafka.iterator().next();
        assertThat(ControlRecordType.parse(record.key())).isEqualTo(kafkaMarker.controlType());
        assertThat(EndTransactionMarker.deserialize(record)).isEqualTo(kafkaMarker);

        RecordBatch batch = RecordBatch.wrap(theirs);
        batch.ensureValid();
        assertThat(batch.isControl()).isTrue();
        assertThat(batch.isTransactional()).isTrue();
        assertThat(batch.producerId()).isEqualTo(producerId);
        assertThat(batch.producerEpoch()).isEqualTo(producerEpoch);
        assertThat(batch.controlType()).isEqualTo(type);
        Record marker = batch.records().get(0);
        assertThat(ControlRecords.type(marker.key())).isEqualTo(type);
        assertThat(ControlRecords.coordinatorEpoch(marker.value())).isEqualTo(coordinatorEpoch);
        assertThat(marker.timestamp()).isEqualTo(timestamp);
    }

    @Property(tries = 50)
    void concatenatedKafkaBatchesIterateInOrder(@ForAll("batches") BatchSpec a, @ForAll("batches") BatchSpec b) {
        ByteBuffer first = a.buildWithKafka(-1L);
        ByteBuffer second = b.buildWithKafka(-1L);
        ByteBuffer both = ByteBuffer.allocate(first.remaining() + second.remaining() + 30);
        both.put(first.duplicate()).put(second.duplicate()).put(second.duplicate().limit(30)).flip();
        Iterator<RecordBatch> it = RecordBatches.iterate(both).iterator();
        assertThat(it.next().buffer()).isEqualTo(first);
        assertThat(it.next().buffer()).isEqualTo(second);
        assertThat(it.hasNext()).isFalse();
        assertThat(RecordBatches.sizeOfCompleteBatches(both)).isEqualTo(first.remaining() + second.remaining());
        assertThat(RecordBatches.records(both)).hasSize(a.records().size() + b.records().size());
    }

    @Provide
    Arbitrary<Long> producerIds() {
        return Arbitraries.longs().between(0, Long.MAX_VALUE);
    }

    @Provide
    Arbitrary<Short> producerEpochs() {
        return Arbitraries.shorts().between((short) 0, Short.MAX_VALUE);
    }

    @Provide
    Arbitrary<Long> timestamps() {
        return Arbitraries.longs().between(0, 1L << 45);
    }

    private static MutableRecordBatch single(MemoryRecords records) {
        Iterator<MutableRecordBatch> it = records.batches().iterator();
        MutableRecordBatch batch = it.next();
        assertThat(it.hasNext()).isFalse();
        return batch;
    }
}
