package io.sluice.storage.record;

import static io.sluice.storage.record.RecordBatchHeaderTest.assertCorrupt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class ControlRecordsTest {

    @Test
    void markerBatchCarriesTypeProducerAndCoordinatorEpoch() {
        RecordBatch batch = RecordBatch.wrap(ControlRecords.marker(ControlType.ABORT, 12L, (short) 2, 7, 1234L));
        batch.ensureValid();
        assertThat(batch.isControl()).isTrue();
        assertThat(batch.isTransactional()).isTrue();
        assertThat(batch.producerId()).isEqualTo(12L);
        assertThat(batch.producerEpoch()).isEqualTo((short) 2);
        assertThat(batch.baseSequence()).isEqualTo(RecordBatch.NO_SEQUENCE);
        assertThat(batch.recordCount()).isEqualTo(1);
        assertThat(batch.controlType()).isEqualTo(ControlType.ABORT);
        Record r = batch.records().get(0);
        assertThat(ControlRecords.coordinatorEpoch(r.value())).isEqualTo(7);
        assertThat(r.timestamp()).isEqualTo(1234L);
    }

    @Test
    void parsesKeysRegardlessOfVersionAndTrailingFields() {
        ByteBuffer v1 = ByteBuffer.allocate(8).putShort((short) 1).putShort((short) 1).putInt(99).flip();
        assertThat(ControlRecords.type(v1)).isEqualTo(ControlType.COMMIT);
        ByteBuffer value = ByteBuffer.allocate(10).putShort((short) 1).putInt(-3).putInt(0).flip();
        assertThat(ControlRecords.coordinatorEpoch(value)).isEqualTo(-3);
    }

    @Test
    void rejectsKeysThatAreNotTransactionMarkers() {
        assertCorrupt(() -> ControlRecords.type(null));
        assertCorrupt(() -> ControlRecords.type(ByteBuffer.allocate(3)));
        assertCorrupt(() -> ControlRecords.type(ByteBuffer.allocate(4).putShort((short) 0).putShort((short) 2)
                .flip()));
        assertCorrupt(() -> ControlRecords.coordinatorEpoch(ByteBuffer.allocate(5)));
        assertThatThrownBy(() -> ControlRecords.marker(ControlType.COMMIT, -1L, (short) 0, 0, 0L))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void controlTypeRequiresAControlBatch() {
        RecordBatch data = RecordBatch.wrap(RecordBatchBuilder.create(Compression.NONE)
                .append(1L, (byte[]) null, null, List.of()).build());
        assertThatThrownBy(data::controlType).isInstanceOf(IllegalStateException.class);
        RecordBatch leaderChange = RecordBatch.wrap(RecordBatchBuilder.create(Compression.NONE)
                .producer(1L, (short) 0, -1).transactional(true).control(true)
                .append(1L, ByteBuffer.allocate(4).putShort((short) 0).putShort((short) 2).flip(),
                        ByteBuffer.allocate(6), List.of())
                .build());
        assertCorrupt(leaderChange::controlType);
    }
}
