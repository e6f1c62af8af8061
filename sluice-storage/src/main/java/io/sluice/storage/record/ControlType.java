package io.sluice.storage.record;

/**
 * The kind of a transaction marker carried by a control batch: the {@code type} field (int16) of a control record's
 * key. Kafka defines further control types for its own metadata log (leader change, snapshots, KRaft voters); they
 * never appear in a data partition, so they are not modelled here and parse as corrupt.
 */
public enum ControlType {
    ABORT((short) 0),
    COMMIT((short) 1);

    /** The wire value of the type field. */
    public final short id;

    ControlType(short id) {
        this.id = id;
    }

    /** The type with this wire value, or {@code null} if the value is not a transaction marker. */
    public static ControlType fromId(short id) {
        return switch (id) {
            case 0 -> ABORT;
            case 1 -> COMMIT;
            default -> null;
        };
    }
}
