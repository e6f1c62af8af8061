package io.sluice.core;

/**
 * The catalogue of errors the core reports, each with a stable code and default text. Every adapter maps these to its
 * own protocol (Kafka error codes, AMQP reply codes, NATS -ERR texts, RESP errors) in one table of its own.
 */
public enum ErrorCode {
    STREAM_NOT_FOUND(1, "stream not found"),
    STREAM_EXISTS(2, "stream already exists"),
    PARTITION_NOT_FOUND(3, "partition not found"),
    QUEUE_NOT_FOUND(4, "queue not found"),
    QUEUE_EXISTS_DIFFERENT(5, "queue exists with different arguments"),
    EXCHANGE_NOT_FOUND(6, "exchange not found"),
    EXCHANGE_EXISTS_DIFFERENT(7, "exchange exists with different type or arguments"),
    INVALID_ARGUMENT(8, "invalid argument"),
    RESOURCE_LOCKED(9, "resource locked by another connection"),
    PRECONDITION_FAILED(10, "precondition failed"),
    QUEUE_FULL(11, "queue is full and rejects publishes"),
    MESSAGE_TOO_LARGE(12, "message larger than the stream allows"),
    CORRUPT_MESSAGE(13, "message batch is corrupt"),
    OUT_OF_ORDER_SEQUENCE(14, "out of order producer sequence"),
    PRODUCER_FENCED(15, "producer fenced by a newer epoch"),
    UNKNOWN_PRODUCER_ID(16, "unknown producer id"),
    INVALID_TXN_STATE(17, "invalid transaction state"),
    OFFSET_OUT_OF_RANGE(18, "offset out of range"),
    PARTITION_OFFLINE(19, "partition offline"),
    NOT_AUTHORIZED(20, "not authorized"),
    GROUP_NOT_FOUND(21, "group not found"),
    GROUP_NOT_EMPTY(22, "group not empty"),
    UNKNOWN_DELIVERY(23, "unknown delivery"),
    SHUTTING_DOWN(24, "broker shutting down"),
    STORAGE_ERROR(25, "storage error"),
    INTERNAL(99, "internal error");

    public final int code;
    public final String text;

    ErrorCode(int code, String text) {
        this.code = code;
        this.text = text;
    }
}
