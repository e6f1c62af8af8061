package io.sluice.protocol.kafka.session;

import io.sluice.core.ErrorCode;
import io.sluice.core.SluiceException;

/**
 * Kafka error codes the broker returns (the subset it uses, with Kafka's numbers; checked against kafka-clients'
 * {@code Errors} in a test), and the one table mapping core errors to them.
 */
public final class KafkaErrors {

    public static final short UNKNOWN_SERVER_ERROR = -1;
    public static final short NONE = 0;
    public static final short OFFSET_OUT_OF_RANGE = 1;
    public static final short CORRUPT_MESSAGE = 2;
    public static final short UNKNOWN_TOPIC_OR_PARTITION = 3;
    public static final short NOT_LEADER_OR_FOLLOWER = 6;
    public static final short MESSAGE_TOO_LARGE = 10;
    public static final short COORDINATOR_NOT_AVAILABLE = 15;
    public static final short NOT_COORDINATOR = 16;
    public static final short INVALID_TOPIC_EXCEPTION = 17;
    public static final short ILLEGAL_GENERATION = 22;
    public static final short INCONSISTENT_GROUP_PROTOCOL = 23;
    public static final short INVALID_GROUP_ID = 24;
    public static final short UNKNOWN_MEMBER_ID = 25;
    public static final short INVALID_SESSION_TIMEOUT = 26;
    public static final short REBALANCE_IN_PROGRESS = 27;
    public static final short UNSUPPORTED_VERSION = 35;
    public static final short TOPIC_ALREADY_EXISTS = 36;
    public static final short INVALID_PARTITIONS = 37;
    public static final short INVALID_REPLICATION_FACTOR = 38;
    public static final short INVALID_CONFIG = 40;
    public static final short INVALID_REQUEST = 42;
    public static final short OUT_OF_ORDER_SEQUENCE_NUMBER = 45;
    public static final short INVALID_PRODUCER_EPOCH = 47;
    public static final short INVALID_TXN_STATE = 48;
    public static final short INVALID_PRODUCER_ID_MAPPING = 49;
    public static final short INVALID_TRANSACTION_TIMEOUT = 50;
    public static final short CONCURRENT_TRANSACTIONS = 51;
    public static final short KAFKA_STORAGE_ERROR = 56;
    public static final short UNKNOWN_PRODUCER_ID = 59;
    public static final short NON_EMPTY_GROUP = 68;
    public static final short GROUP_ID_NOT_FOUND = 69;
    public static final short FETCH_SESSION_ID_NOT_FOUND = 70;
    public static final short INVALID_FETCH_SESSION_EPOCH = 71;
    public static final short MEMBER_ID_REQUIRED = 79;
    public static final short FENCED_INSTANCE_ID = 82;
    public static final short UNSTABLE_OFFSET_COMMIT = 88;
    public static final short PRODUCER_FENCED = 90;
    public static final short UNKNOWN_TOPIC_ID = 100;
    public static final short FETCH_SESSION_TOPIC_ID_ERROR = 106;
    public static final short FENCED_MEMBER_EPOCH = 110;
    public static final short UNRELEASED_INSTANCE_ID = 111;
    public static final short UNSUPPORTED_ASSIGNOR = 112;
    public static final short STALE_MEMBER_EPOCH = 113;
    public static final short INVALID_REGULAR_EXPRESSION = 128;
    public static final short REBOOTSTRAP_REQUIRED = 129;

    private KafkaErrors() {
    }

    /** The Kafka code for a failed core call (the produce path's view: fencing is INVALID_PRODUCER_EPOCH). */
    public static short fromCore(Throwable t) {
        ErrorCode c = SluiceException.from(t).code();
        return switch (c) {
            case STREAM_NOT_FOUND, PARTITION_NOT_FOUND -> UNKNOWN_TOPIC_OR_PARTITION;
            case STREAM_EXISTS -> TOPIC_ALREADY_EXISTS;
            case INVALID_ARGUMENT -> INVALID_REQUEST;
            case MESSAGE_TOO_LARGE -> MESSAGE_TOO_LARGE;
            case CORRUPT_MESSAGE -> CORRUPT_MESSAGE;
            case OUT_OF_ORDER_SEQUENCE -> OUT_OF_ORDER_SEQUENCE_NUMBER;
            case PRODUCER_FENCED -> INVALID_PRODUCER_EPOCH;
            case UNKNOWN_PRODUCER_ID -> UNKNOWN_PRODUCER_ID;
            case INVALID_TXN_STATE -> INVALID_TXN_STATE;
            case OFFSET_OUT_OF_RANGE -> OFFSET_OUT_OF_RANGE;
            case PARTITION_OFFLINE -> NOT_LEADER_OR_FOLLOWER;
            case STORAGE_ERROR -> KAFKA_STORAGE_ERROR;
            case GROUP_NOT_FOUND -> GROUP_ID_NOT_FOUND;
            case GROUP_NOT_EMPTY -> NON_EMPTY_GROUP;
            case SHUTTING_DOWN -> NOT_LEADER_OR_FOLLOWER;
            default -> UNKNOWN_SERVER_ERROR;
        };
    }

    public static String message(Throwable t) {
        return SluiceException.from(t).getMessage();
    }
}
