package io.sluice.storage.record;

import io.sluice.storage.StorageErrorCode;
import io.sluice.storage.StorageException;
import java.nio.ByteBuffer;

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
        short typeId = key.getShort(key.position() + 2);
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
        return value.getInt(value.position() + 2);
    }
}
