/**
 * The record batch v2 format (Kafka's magic 2), written and parsed by our own code: {@link
 * io.sluice.storage.record.RecordBatch} is a zero-copy view with the byte layout in its javadoc, {@link
 * io.sluice.storage.record.RecordBatchBuilder} writes one batch, {@link io.sluice.storage.record.RecordBatches}
 * walks a concatenation, {@link io.sluice.storage.record.ControlRecords} writes and reads transaction markers.
 */
package io.sluice.storage.record;
