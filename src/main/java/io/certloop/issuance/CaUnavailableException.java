package io.certloop.issuance;

import java.time.Instant;
import java.util.Optional;

/**
 * The CA could not be reached or did not answer properly in time: connection refused, timeout,
 * HTTP 5xx, ACME server errors, rate limits, or a deadline that passed. A technical fault the CA
 * outage runbook handles; {@link #retryAfter()} says when trying again makes sense, if known.
 */
public class CaUnavailableException extends IssuanceException {

    private final transient Instant retryAfter;

    public CaUnavailableException(String message, Throwable cause) {
        this(message, cause, null);
    }

    public CaUnavailableException(String message, Throwable cause, Instant retryAfter) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    public Optional<Instant> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
