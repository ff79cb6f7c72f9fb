package io.certloop.probe.revocation;

/**
 * A CRL or OCSP fetch (or its answer) failed. {@link #reason()} is one of the fixed words of
 * {@link Revocation}; the message is for the log only, never for an API answer.
 */
class RevocationFetchException extends Exception {

    private final String reason;

    RevocationFetchException(String reason, String logMessage) {
        super(logMessage);
        this.reason = reason;
    }

    RevocationFetchException(String reason, String logMessage, Throwable cause) {
        super(logMessage, cause);
        this.reason = reason;
    }

    String reason() {
        return reason;
    }
}
