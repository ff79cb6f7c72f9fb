package io.certloop.issuance;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The CA's renewal windows (RFC 9773) of the certificates CertLoop issued, for the detection loop: it asks on
 * every cycle, this port asks the CA only when the last answer's Retry-After (within configured bounds) has passed.
 * Nothing here throws for CA trouble: a failed question is logged with a fixed reason, remembered, and asked again
 * later; the last window known still counts.
 */
public interface RenewalWindows {

    /** The CA's directory names no renewalInfo resource (or renewal information is switched off). */
    String NOT_OFFERED = "not-offered";
    /** The renewalInfo URL is not on the configured ACME server: nothing is fetched from it. */
    String FOREIGN_URL = "foreign-url";
    /** The CA did not answer (connection refused, timeout). */
    String UNREACHABLE = "ca-unreachable";
    /** The CA answered with an error. */
    String CA_ERROR = "ca-error";
    /** The CA answered something that is not a usable window (end before start, missing fields). */
    String INVALID_ANSWER = "invalid-answer";

    /** Every fixed reason a question can fail with. */
    List<String> FAILURES = List.of(FOREIGN_URL, UNREACHABLE, CA_ERROR, INVALID_ANSWER);

    /**
     * The window of the certificate with this leaf fingerprint, asking the CA first when the next check is due.
     *
     * @param cycle how often the caller looks again: the chosen point leaves that much of the window's end
     * @return empty when CertLoop did not issue the certificate through a CA that offers renewal information, or
     *     the CA never answered for it
     */
    Optional<RenewalWindow> check(String leafSha256, Duration cycle);

    /** The window last stored for this leaf fingerprint; never contacts the CA. */
    Optional<RenewalWindow> stored(String leafSha256);
}
