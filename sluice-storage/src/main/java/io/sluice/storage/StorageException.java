package io.sluice.storage;

/** A storage operation failed for a reason a client can be told about; see {@link StorageErrorCode}. */
public class StorageException extends RuntimeException {
    private final StorageErrorCode code;

    public StorageException(StorageErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public StorageException(StorageErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public StorageErrorCode code() {
        return code;
    }
}
