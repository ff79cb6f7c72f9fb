package io.certloop.issuance;

/**
 * An administrator-submitted certificate was refused; {@link #reason()} says which check failed so
 * the form can tell the administrator what to fix.
 */
public class CertificateRefusedException extends IssuanceRejectedException {

    /** Which validation of a submitted certificate failed. */
    public enum Reason {
        /** Not a PEM X.509 certificate. */
        UNPARSEABLE,
        /** No pending request with this id, or it is already completed. */
        UNKNOWN_REQUEST,
        /** The certificate's public key is not the key CertLoop generated for the request. */
        KEY_MISMATCH,
        /** The subjectAltName does not cover every expected name. */
        NAMES_NOT_COVERED,
        /** notAfter is in the past. */
        EXPIRED,
        /** notBefore is in the future. */
        NOT_YET_VALID,
        /** A certificate in the chain is not signed by the next, or the top links to no known root. */
        CHAIN_BROKEN
    }

    private final Reason reason;

    public CertificateRefusedException(Reason reason, String message) {
        super(reason + ": " + message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
