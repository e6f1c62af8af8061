package io.sluice.admin;

/** A request the admin API refuses, with the HTTP status to answer and a message for the {@code error} field. */
public final class ApiException extends RuntimeException {
    private final int status;

    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    static ApiException notFound(String what) {
        return new ApiException(404, what + " not found");
    }

    static ApiException badRequest(String why) {
        return new ApiException(400, why);
    }
}
