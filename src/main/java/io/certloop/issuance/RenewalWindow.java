package io.certloop.issuance;

import java.time.Instant;

/**
 * The renewal window a CA suggests for one certificate CertLoop issued (ACME Renewal Information, RFC 9773), and
 * the point inside it CertLoop chose to start the replacement. A CA that plans a mass revocation moves the window
 * forward; starting the replacement when {@code renewAt} passes handles it before the revocation lands.
 *
 * @param renewAt        the point chosen inside the window (see {@link RenewalPoint}); the replacement starts then
 * @param explanationUrl the CA's page about why the window is what it is; null when it gave none
 * @param fetchedAt      when the CA last answered with this window
 * @param checkedAt      when CertLoop last asked (successfully or not)
 * @param nextCheckAt    when CertLoop asks again (the CA's Retry-After within configured bounds)
 * @param failure        the fixed reason the last question failed ({@link RenewalWindows#FAILURES}); null when it
 *                       succeeded
 */
public record RenewalWindow(
        String certificateId,
        String endpointName,
        String sha256,
        Instant start,
        Instant end,
        Instant renewAt,
        String explanationUrl,
        Instant fetchedAt,
        Instant checkedAt,
        Instant nextCheckAt,
        String failure) {

    /** The chosen point has passed: start the replacement. */
    public boolean due(Instant now) {
        return !now.isBefore(renewAt);
    }

    /** The whole window has passed: the CA may revoke or distrust the certificate any time now. */
    public boolean overdue(Instant now) {
        return !now.isBefore(end);
    }
}
