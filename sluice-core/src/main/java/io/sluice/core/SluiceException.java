package io.sluice.core;

import io.sluice.storage.StorageErrorCode;
import io.sluice.storage.StorageException;
import java.util.concurrent.CompletionException;

/** A core operation failed for a catalogued reason ({@link ErrorCode}); futures fail with it. */
public class SluiceException extends RuntimeException {
    private final ErrorCode code;

    public SluiceException(ErrorCode code, String message) {
        super(message == null ? code.text : message);
        this.code = code;
    }

    public SluiceException(ErrorCode code, String message, Throwable cause) {
        super(message == null ? code.text : message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    /** Unwraps completion wrappers and maps storage failures, so adapters switch on one type. */
    public static SluiceException from(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof java.util.concurrent.ExecutionException)
                && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof SluiceException s) {
            return s;
        }
        if (c instanceof StorageException s) {
            return new SluiceException(map(s.code()), s.getMessage(), s);
        }
        if (c instanceof IllegalArgumentException) {
            return new SluiceException(ErrorCode.INVALID_ARGUMENT, c.getMessage(), c);
        }
        return new SluiceException(ErrorCode.INTERNAL, String.valueOf(c), c);
    }

    private static ErrorCode map(StorageErrorCode code) {
        return switch (code) {
            case CORRUPT_BATCH -> ErrorCode.CORRUPT_MESSAGE;
            case BATCH_TOO_LARGE -> ErrorCode.MESSAGE_TOO_LARGE;
            case OUT_OF_ORDER_SEQUENCE -> ErrorCode.OUT_OF_ORDER_SEQUENCE;
            case PRODUCER_FENCED -> ErrorCode.PRODUCER_FENCED;
            case UNKNOWN_PRODUCER_ID -> ErrorCode.UNKNOWN_PRODUCER_ID;
            case INVALID_TXN_STATE -> ErrorCode.INVALID_TXN_STATE;
            case OFFSET_OUT_OF_RANGE -> ErrorCode.OFFSET_OUT_OF_RANGE;
            case LOG_OFFLINE -> ErrorCode.PARTITION_OFFLINE;
            case IO_ERROR -> ErrorCode.STORAGE_ERROR;
        };
    }
}
