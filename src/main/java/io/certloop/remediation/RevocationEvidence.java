package io.certloop.remediation;

import io.certloop.probe.revocation.Revocation;
import io.certloop.probe.revocation.RevocationAnswer;
import java.time.Instant;
import java.util.List;

/**
 * What the CA's revocation services say, now, about the certificate an endpoint presents, as a fresh probe asked
 * both its CRL distribution point and its OCSP responder, and which subcategory that points to.
 *
 * @param presentedSpkiSha256 SHA-256 of the presented certificate's public key (SubjectPublicKeyInfo)
 * @param status overall: {@code REVOKED} when either source says so, {@code GOOD} when either says good, else
 *     {@code UNKNOWN}
 * @param source the source the overall status comes from: {@code CRL}, {@code OCSP} or {@code NONE}
 * @param answers each source's own answer, CRL then OCSP (empty when no handshake)
 * @param pointsTo a revocation-propagation subcategory, or {@code not-revoked-at-ca} / {@code unknown}
 */
public record RevocationEvidence(
        boolean reachable,
        String presentedSha256,
        String presentedSpkiSha256,
        String status,
        String source,
        String url,
        Instant revokedAt,
        String detail,
        List<RevocationAnswer> answers,
        String pointsTo) {

    public static final String NOT_REVOKED_AT_CA = "not-revoked-at-ca";
    public static final String UNKNOWN = "unknown";
    public static final String UNCOORDINATED_REPLACEMENT = "uncoordinated-replacement";
    public static final String STALE_VERIFIER_CACHE = "stale-verifier-cache";

    public RevocationEvidence {
        answers = answers == null ? List.of() : List.copyOf(answers);
    }

    /**
     * Which subcategory the answers point to. Both sources say revoked while the endpoint still presents the
     * certificate: its replacement was not coordinated with the revocation. The sources disagree (one revoked, the
     * other still good): a verifier relying on the lagging one accepts the certificate, a stale cache. None says
     * revoked: not revoked at the CA. Only one source answered revoked, the other not at all: the replacement, as
     * far as the evidence goes.
     */
    static String pointsTo(List<RevocationAnswer> answers) {
        boolean revoked = answers.stream().anyMatch(a -> a.status() == Revocation.Status.REVOKED);
        boolean good = answers.stream().anyMatch(a -> a.status() == Revocation.Status.GOOD);
        if (revoked && good) {
            return STALE_VERIFIER_CACHE;
        }
        if (revoked) {
            return UNCOORDINATED_REPLACEMENT;
        }
        return good ? NOT_REVOKED_AT_CA : UNKNOWN;
    }
}
