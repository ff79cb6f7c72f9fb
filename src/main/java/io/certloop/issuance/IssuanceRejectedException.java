package io.certloop.issuance;

/**
 * The CA (or CertLoop's own policy) refused the request: a name outside the profile, a rejected
 * identifier, a failed challenge, a certificate that does not fit. Retrying the same request will
 * not help; a business fault for the runbook.
 */
public class IssuanceRejectedException extends IssuanceException {

    public IssuanceRejectedException(String message) {
        super(message);
    }

    public IssuanceRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
