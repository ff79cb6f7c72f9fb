package io.certloop.probe.revocation;

import java.time.Instant;

/**
 * What one revocation source of the CA (its CRL distribution point, or its OCSP responder) answered about a
 * certificate, so evidence can name both answers side by side rather than the first that answered.
 *
 * @param source {@code CRL} or {@code OCSP}
 * @param status what the source says; {@code UNKNOWN} when it did not answer
 * @param url the distribution point or responder that answered (or, when none did, the first one tried)
 * @param thisUpdate the CRL's or OCSP answer's thisUpdate
 * @param nextUpdate its nextUpdate, when given
 * @param revokedAt the revocation time, when revoked
 * @param revocationReason the RFC 5280 CRLReason name (for example {@code keyCompromise}), when revoked and given
 * @param reason why the status is UNKNOWN, one of the fixed words of {@link Revocation}; null otherwise
 * @param detail what answered, or per URL tried which fixed reason it failed with; never text a remote server sent
 */
public record RevocationAnswer(
        String source,
        Revocation.Status status,
        String url,
        Instant thisUpdate,
        Instant nextUpdate,
        Instant revokedAt,
        String revocationReason,
        String reason,
        String detail) {

    /** The source did not answer, for a fixed reason. */
    static RevocationAnswer unanswered(String source, String url, String reason, String detail) {
        return new RevocationAnswer(source, Revocation.Status.UNKNOWN, url, null, null, null, null, reason, detail);
    }

    /** The answer in the shape of a probe's single revocation status. */
    Revocation asRevocation() {
        return new Revocation(status, source, url, revokedAt, reason, detail);
    }

    /** RFC 5280 CRLReason names by code (7 is unused). */
    private static final String[] REASONS = {
        "unspecified",
        "keyCompromise",
        "cACompromise",
        "affiliationChanged",
        "superseded",
        "cessationOfOperation",
        "certificateHold",
        null,
        "removeFromCRL",
        "privilegeWithdrawn",
        "aACompromise"
    };

    /** The CRLReason name of a code; null for an unknown code. */
    static String reasonName(int code) {
        return code >= 0 && code < REASONS.length ? REASONS[code] : null;
    }
}
