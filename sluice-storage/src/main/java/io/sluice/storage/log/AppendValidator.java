package io.sluice.storage.log;

import io.sluice.storage.AppendInfo;
import io.sluice.storage.AppendOptions;
import io.sluice.storage.LogConfig;
import io.sluice.storage.StorageErrorCode;
import io.sluice.storage.StorageException;
import io.sluice.storage.TimestampType;
import io.sluice.storage.record.ControlType;
import io.sluice.storage.record.RecordBatch;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one append request into batches ready to be written: splits the concatenation, validates each batch
 * (framing, magic, CRC, size), checks producer state, assigns offsets and stamps the log append time. Shared by the
 * file and in-memory logs so both assign offsets and refuse batches identically.
 *
 * <p>Stateless; callers serialize calls per partition (the writer thread, or the in-memory log's lock) because the
 * result depends on the next offset and on the producer state, which {@link #validate} stages but does not commit.
 */
public final class AppendValidator {

    private static final int LOG_OVERHEAD = RecordBatch.LOG_OVERHEAD;
    private static final int HEADER_SIZE = RecordBatch.HEADER_SIZE;

    private AppendValidator() {
    }

    /** One batch of a validated request, with its assigned offsets. */
    public record Batch(ByteBuffer buffer, long baseOffset, long lastOffset, long maxTimestamp, int recordCount) {
        public int sizeInBytes() {
            return buffer.remaining();
        }
    }

    /**
     * A request that passed validation.
     *
     * @param batches    what to write, in order (empty for a duplicate)
     * @param info       the answer for the caller
     * @param pending    producer-state changes to commit once the batches are accepted
     * @param totalBytes sum of the batch sizes
     */
    public record Validated(List<Batch> batches, AppendInfo info, ProducerStateManager.Pending pending,
                            int totalBytes) {
        public long nextOffset() {
            return batches.isEmpty() ? -1 : batches.getLast().lastOffset + 1;
        }
    }

    /**
     * Validates and stages one request.
     *
     * @param copy true to copy the batches out of the caller's buffer (in-memory log); false writes from it in place
     *             (the file log, which writes before the append completes, as {@link
     *             io.sluice.storage.PartitionLog#append} allows)
     * @throws StorageException for the first invalid batch; nothing is staged then
     */
    public static Validated validate(ByteBuffer request, AppendOptions options, LogConfig config, long nextOffset,
                                     long nowMs, long logStartOffset, ProducerStateManager producers, boolean copy) {
        ByteBuffer buf = request.duplicate();
        if (copy || buf.isReadOnly()) {
            ByteBuffer c = ByteBuffer.allocate(buf.remaining());
            c.put(buf).flip();
            buf = c;
        } else {
            buf = buf.slice();
        }
        if (!buf.hasRemaining()) {
            throw new StorageException(StorageErrorCode.CORRUPT_BATCH, "empty append");
        }
        List<Batch> out = new ArrayList<>(2);
        ProducerStateManager.Pending pending = producers.begin();
        boolean stampTime = config.timestampType() == TimestampType.LOG_APPEND_TIME;
        long offset = nextOffset;
        int records = 0;
        int bytes = 0;
        long dupFirst = -1;
        long dupLast = -1;
        int pos = 0;
        int limit = buf.limit();
        while (pos < limit) {
            if (limit - pos < LOG_OVERHEAD) {
                throw corrupt("trailing " + (limit - pos) + " bytes are not a batch");
            }
            int length = buf.getInt(pos + 8);
            if (length < HEADER_SIZE - LOG_OVERHEAD || length > limit - pos - LOG_OVERHEAD) {
                throw corrupt("batch at byte " + pos + " declares length " + length + " but " + (limit - pos)
                        + " bytes remain");
            }
            int size = LOG_OVERHEAD + length;
            if (size > config.maxBatchBytes()) {
                throw new StorageException(StorageErrorCode.BATCH_TOO_LARGE, "batch of " + size
                        + " bytes exceeds the limit of " + config.maxBatchBytes());
            }
            ByteBuffer slice = buf.slice(pos, size);
            RecordBatch batch = RecordBatch.wrap(slice);
            batch.ensureValid();
            int count = batch.recordCount();
            int lastDelta = batch.lastOffsetDelta();
            if (options.validateProducerState() && (count == 0 || lastDelta != count - 1)) {
                throw corrupt("batch at byte " + pos + " has " + count + " records and last offset delta "
                        + lastDelta);
            }
            boolean control = batch.isControl();
            if (control && !options.coordinatorWrite()) {
                throw corrupt("clients may not append control batches");
            }
            long pid = batch.producerId();
            boolean duplicate = false;
            if (options.validateProducerState() && pid >= 0) {
                if (control) {
                    pending.checkMarker(pid, batch.producerEpoch());
                } else {
                    ProducerStateManager.Check c = pending.check(pid, batch.producerEpoch(), batch.baseSequence(),
                            batch.lastSequence(), batch.isTransactional());
                    if (c instanceof ProducerStateManager.Duplicate d) {
                        duplicate = true;
                        if (dupFirst < 0) {
                            dupFirst = d.firstOffset();
                        }
                        dupLast = d.lastOffset();
                    }
                }
            }
            if (!duplicate) {
                batch.setBaseOffset(offset);
                if (stampTime) {
                    batch.setLogAppendTime(nowMs);
                }
                long last = offset + lastDelta;
                if (options.validateProducerState() && pid >= 0) {
                    boolean abort = control && batch.controlType() == ControlType.ABORT;
                    pending.apply(pid, batch.producerEpoch(), batch.baseSequence(), batch.lastSequence(), offset, last,
                            batch.isTransactional(), control, abort, -1);
                }
                out.add(new Batch(slice, offset, last, batch.maxTimestamp(), count));
                records += count;
                bytes += size;
                offset = last + 1;
            }
            pos += size;
        }
        AppendInfo info;
        if (out.isEmpty()) {
            info = new AppendInfo(dupFirst, dupLast, -1, logStartOffset, true, 0);
        } else {
            info = new AppendInfo(out.getFirst().baseOffset, offset - 1, stampTime ? nowMs : -1, logStartOffset,
                    false, records);
        }
        return new Validated(out, info, pending, bytes);
    }

    private static StorageException corrupt(String message) {
        return new StorageException(StorageErrorCode.CORRUPT_BATCH, message);
    }
}
