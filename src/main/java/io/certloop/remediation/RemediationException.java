package io.certloop.remediation;

/** The endpoint cannot be remediated as configured (no deployment target, manual path, ...). */
public class RemediationException extends RuntimeException {

    public RemediationException(String message) {
        super(message);
    }
}
