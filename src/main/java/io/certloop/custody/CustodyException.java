package io.certloop.custody;

/**
 * Key custody failed. Messages name key ids and causes, never key material, so they can be logged
 * and shown to operators.
 */
public class CustodyException extends RuntimeException {

    public CustodyException(String message) {
        super(message);
    }

    public CustodyException(String message, Throwable cause) {
        super(message, cause);
    }
}
