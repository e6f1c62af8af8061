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
    CONSUMER_PUSH_UNSUPPORTED(400, 10003, "push consumers are not supported by this server; use a pull consumer"),
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
