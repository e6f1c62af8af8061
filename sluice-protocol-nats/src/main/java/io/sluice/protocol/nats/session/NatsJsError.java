package io.sluice.protocol.nats.session;

/**
 * The JetStream API errors this adapter returns, with nats-server's HTTP-like {@code code}, its stable
 * {@code err_code} and description, so that clients branching on {@code err_code} (jnats treats 10014 "consumer not
 * found" as "create it") behave as they do against nats-server.
 *
 * <p>Sent as {@code {"type":..., "error":{"code":404,"err_code":10059,"description":"stream not found"}}}.
 */
public enum NatsJsError {
    BAD_REQUEST(400, 10003, "bad request"),
    CONSUMER_CREATE(500, 10012, "consumer create failed"),
    CONSUMER_NAME_EXIST(400, 10013, "consumer name already in use"),
    CONSUMER_NOT_FOUND(404, 10014, "consumer not found"),
    CONSUMER_DURABLE_NAME_NOT_SET(400, 10018, "consumer expected to be durable but a durable name was not set"),
    INVALID_JSON(400, 10025, "invalid JSON"),
    NO_MESSAGE_FOUND(404, 10037, "no message found"),
    STREAM_CREATE(500, 10049, "stream create failed"),
    STREAM_INVALID_CONFIG(500, 10052, "invalid stream configuration"),
    STREAM_MISMATCH(400, 10056, "stream name in subject does not match request"),
    STREAM_NAME_EXIST(400, 10058, "stream name already in use with a different configuration"),
    STREAM_NOT_FOUND(404, 10059, "stream not found"),
    STREAM_SUBJECT_OVERLAP(400, 10065, "subjects overlap with an existing stream"),
    NOT_ENABLED(503, 10076, "JetStream not enabled"),
    CONSUMER_CONFIG_REQUIRED(400, 10078, "consumer config required"),
    CONSUMER_DELIVER_TO_WILDCARDS(400, 10079, "consumer deliver subject has wildcards"),
    CONSUMER_PUSH_MAX_WAITING(400, 10080, "consumer in push mode can not set max waiting"),
    CONSUMER_DELIVER_CYCLE(400, 10081, "consumer deliver subject forms a cycle"),
    CONSUMER_MAX_PENDING_NEEDS_ACK_POLICY(400, 10082, "consumer requires ack policy for max ack pending"),
    CONSUMER_HB_REQUIRES_PUSH(400, 10088, "consumer idle heartbeat requires a push based consumer"),
    CONSUMER_FC_REQUIRES_PUSH(400, 10089, "consumer flow control requires a push based consumer"),
    /** nats-server's JSConsumerInvalidPolicyErrF: the description is the reason. */
    CONSUMER_INVALID_POLICY(400, 10094, "invalid consumer policy"),
    CONSUMER_FC_NEEDS_HEARTBEATS(400, 10108, "consumer with flow control also needs heartbeats"),
    CONSUMER_INVALID_DELIVER_SUBJECT(400, 10112, "invalid push consumer deliver subject"),
    STREAM_UPDATE(500, 10069, "stream update failed"),
    STREAM_MSG_DELETE_FAILED(500, 10057, "stream message delete failed"),
    /** nats-server's JSStreamStoreFailedF. */
    STREAM_STORE_FAILED(503, 10077, "stream store failed");

    private final int code;
    private final int errCode;
    private final String description;

    NatsJsError(int code, int errCode, String description) {
        this.code = code;
        this.errCode = errCode;
        this.description = description;
    }

    public int code() {
        return code;
    }

    public int errCode() {
        return errCode;
    }

    public String description() {
        return description;
    }
}
