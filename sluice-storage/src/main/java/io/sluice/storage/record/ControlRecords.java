package io.sluice.storage.record;

import io.sluice.storage.StorageErrorCode;
import io.sluice.storage.StorageException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Writes and reads transaction markers, the single record of a control batch. Key: {@code version int16 (0) |
 * type int16} (0 ABORT, 1 COMMIT). Value: {@code version int16 (0) | coordinatorEpoch int32}. Readers accept any
 * version and ignore bytes after the fields they know, because Kafka may append fields in later versions.
 * Stateless and thread-safe.
 */
public final class ControlRecords {
    static final short CURRENT_VERSION = 0;
    static final int KEY_SIZE = 4;
    static final int VALUE_SIZE = 6;

    private ControlRecords() {
    }

    /**
     * A control batch holding one transaction marker, as a transaction coordinator writes it to each partition of a
     * transaction: transactional and control bits set, the producer's id and epoch, no sequence, base offset 0 (the
     * log assigns it), uncompressed.
     *
     * @return a buffer holding exactly the batch, position 0
     * @throws IllegalArgumentException if the producer id or epoch is negative: a marker always ends some
     *                                  producer's transaction
     */
    public static ByteBuffer marker(ControlType type, long producerId, short producerEpoch, int coordinatorEpoch,
                                    long timestamp) {
        if (producerId < 0 || producerEpoch < 0) {
            throw new IllegalArgumentException("a transaction marker needs a producer id and epoch, got "
                    + producerId + "/" + producerEpoch);
        }
        ByteBuffer key = ByteBuffer.allocate(KEY_SIZE).putShort(CURRENT_VERSION).putShort(type.id).flip();
        ByteBuffer value = ByteBuffer.allocate(VALUE_SIZE).putShort(CURRENT_VERSION).putInt(coordinatorEpoch).flip();
        return RecordBatchBuilder.create(Compression.NONE, RecordBatch.HEADER_SIZE + 32)
                .producer(producerId, producerEpoch, RecordBatch.NO_SEQUENCE)
                .transactional(true)
                .control(true)
                .append(timestamp, key, value, List.of())
                .build();
    }

    /**
     * The marker type in a control record's key.
     *
     * @throws StorageException {@link StorageErrorCode#CORRUPT_BATCH} if the key is null, shorter than four bytes,
     *                          or names a type other than ABORT or COMMIT
     */
    public static ControlType type(ByteBuffer key) {
        if (key == null || key.remaining() < KEY_SIZE) {
            throw new StorageException(StorageErrorCode.CORRUPT_BATCH, "control record key must hold "
                    + KEY_SIZE + " bytes, has " + (key == null ? "null" : key.remaining()));
        }
        short typeId = key.slice(key.position(), KEY_SIZE).getShort(2); // big-endian whatever key's order
        ControlType type = ControlType.fromId(typeId);
        if (type == null) {
            throw new StorageException(StorageErrorCode.CORRUPT_BATCH, "control record type " + typeId
                    + " is not a transaction marker");
        }
        return type;
    }

    /**
     * The coordinator epoch in a transaction marker's value.
     *
     * @throws StorageException {@link StorageErrorCode#CORRUPT_BATCH} if the value is null or shorter than six
     *                          bytes
     */
    public static int coordinatorEpoch(ByteBuffer value) {
        if (value == null || value.remaining() < VALUE_SIZE) {
            throw new StorageException(StorageErrorCode.CORRUPT_BATCH, "transaction marker value must hold "
                    + VALUE_SIZE + " bytes, has " + (value == null ? "null" : value.remaining()));
        }
        return value.slice(value.position(), VALUE_SIZE).getInt(2);
    }
}
