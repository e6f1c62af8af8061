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
 * <p>{@link #precheck} is stateless and thread-safe. Callers serialize {@link #assign} per partition (the writer
 * thread, or the in-memory log's lock) because its result depends on the next offset and on the producer state,
 * which it stages but does not commit.
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
     * The batches of one request after the checks that need no log state (framing, size, magic, CRC). Cheap to
     * hold; the batches are views into the request's buffer (or a copy of it).
     */
    public record Prechecked(List<RecordBatch> batches) {
    }

    /**
     * Validates and stages one request: {@link #precheck} then {@link #assign}.
     *
     * @throws StorageException for the first invalid batch; nothing is staged then
     */
    public static Validated validate(ByteBuffer request, AppendOptions options, LogConfig config, long nextOffset,
                                     long nowMs, long logStartOffset, ProducerStateManager producers, boolean copy) {
        return assign(precheck(request, options, config, copy), options, config, nextOffset, nowMs, logStartOffset,
                producers);
    }

    /**
     * The stateless half of validation, which the file log runs on the appending thread so that CRC work is spread
     * over callers instead of queueing on the partition's writer.
     *
     * @param copy true to copy the batches out of the caller's buffer (in-memory log); false writes from it in place
     *             (the file log, which writes before the append completes, as {@link
     *             io.sluice.storage.PartitionLog#append} allows)
     * @throws StorageException CORRUPT_BATCH or BATCH_TOO_LARGE for the first bad batch
     */
    public static Prechecked precheck(ByteBuffer request, AppendOptions options, LogConfig config, boolean copy) {
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
        List<RecordBatch> out = new ArrayList<>(1);
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
            RecordBatch batch = RecordBatch.wrap(buf.slice(pos, size));
            batch.ensureValidForAppend(options.coordinatorWrite());
            out.add(batch);
            pos += size;
        }
        return new Prechecked(out);
    }

    /**
     * The stateful half: producer checks, offsets, log-append time. Runs on the partition's single writer.
     *
     * @throws StorageException OUT_OF_ORDER_SEQUENCE, PRODUCER_FENCED or INVALID_TXN_STATE;
     *                          nothing is staged then
     */
    public static Validated assign(Prechecked prechecked, AppendOptions options, LogConfig config, long nextOffset,
                                   long nowMs, long logStartOffset, ProducerStateManager producers) {
        List<Batch> out = new ArrayList<>(prechecked.batches().size());
        ProducerStateManager.Pending pending = producers.begin();
        boolean stampTime = config.timestampType() == TimestampType.LOG_APPEND_TIME;
        long offset = nextOffset;
        int records = 0;
        int bytes = 0;
        long dupFirst = -1;
        long dupLast = -1;
        for (RecordBatch batch : prechecked.batches()) {
            boolean control = batch.isControl();
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
                long last = offset + batch.lastOffsetDelta();
                if (options.validateProducerState() && pid >= 0) {
                    boolean abort = control && batch.controlType() == ControlType.ABORT;
                    pending.apply(pid, batch.producerEpoch(), batch.baseSequence(), batch.lastSequence(), offset, last,
                            stampTime ? nowMs : batch.maxTimestamp(), batch.isTransactional(), control, abort, -1);
                }
                out.add(new Batch(batch.buffer(), offset, last, batch.maxTimestamp(), batch.recordCount()));
                records += batch.recordCount();
                bytes += batch.sizeInBytes();
                offset = last + 1;
            }
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
