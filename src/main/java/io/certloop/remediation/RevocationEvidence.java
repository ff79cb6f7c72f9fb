package io.certloop.remediation;

import java.time.Instant;

/**
 * What the CA's revocation service says, now, about the certificate an endpoint presents, as a fresh
 * probe fetched it (CRL distribution point first, then OCSP), and which subcategory that points to.
 *
 * @param status {@code GOOD}, {@code REVOKED} or {@code UNKNOWN}
 * @param source {@code CRL}, {@code OCSP} or {@code NONE}
 * @param pointsTo a revocation-propagation subcategory, or {@code not-revoked-at-ca} / {@code unknown}
 */
public record RevocationEvidence(
        boolean reachable,
        String presentedSha256,
        String status,
        String source,
        String url,
        Instant revokedAt,
        String detail,
        String pointsTo) {}
