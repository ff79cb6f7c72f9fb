package io.certloop.custody;

/**
 * A stored key cannot be opened with the configured master key: the master key was changed or
 * lost, or the row was tampered with. Distinct so that startup and operators see the real cause
 * instead of a generic decryption error.
 */
public class MasterKeyMismatchException extends CustodyException {

    public MasterKeyMismatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
