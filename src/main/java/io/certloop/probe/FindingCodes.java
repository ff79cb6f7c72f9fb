package io.certloop.probe;

import java.util.List;

/**
 * The fixed finding vocabulary that alerts and runbooks key on. Codes are API: never rename one,
 * only add.
 */
public final class FindingCodes {

    /** No TLS handshake completed with (one of) the endpoint's addresses. */
    public static final String HANDSHAKE_FAILED = "HANDSHAKE_FAILED";
    /** The presented leaf's notAfter is in the past. */
    public static final String EXPIRED = "EXPIRED";
    /** The presented leaf expires within the window of the endpoint's tier. */
    public static final String EXPIRING_SOON = "EXPIRING_SOON";
    /** The presented leaf's notBefore is in the future (clock drift, early deploy). */
    public static final String NOT_YET_VALID = "NOT_YET_VALID";
    /** The sent chain does not link the leaf to a known issuer: an intermediate is missing. */
    public static final String CHAIN_INCOMPLETE = "CHAIN_INCOMPLETE";
    /** The chain links up to a root that the trust store does not hold. */
    public static final String UNTRUSTED_ROOT = "UNTRUSTED_ROOT";
    /** The leaf is self-signed. */
    public static final String SELF_SIGNED = "SELF_SIGNED";
    /** An expected name is not covered by the leaf's SANs. */
    public static final String NAME_MISMATCH = "NAME_MISMATCH";
    /** The presented leaf is not the expected one (renewed but not deployed). */
    public static final String FINGERPRINT_MISMATCH = "FINGERPRINT_MISMATCH";
    /** The leaf is revoked according to its CRL or OCSP responder. */
    public static final String REVOKED = "REVOKED";
    /** A sent certificate's key is below policy. */
    public static final String WEAK_KEY = "WEAK_KEY";
    /** A sent certificate is signed with an algorithm below policy. */
    public static final String WEAK_SIGNATURE = "WEAK_SIGNATURE";
    /** The endpoint's addresses present different leaves: a partially deployed cluster. */
    public static final String INCONSISTENT_BACKENDS = "INCONSISTENT_BACKENDS";

    /**
     * The CA that issued the presented leaf suggests renewing it now (ACME Renewal Information, RFC 9773): the
     * point CertLoop chose in the CA's window has passed. Raised by the detection loop, not by the probe policy.
     */
    public static final String RENEWAL_SUGGESTED = "RENEWAL_SUGGESTED";

    /** Every code, in the order the policy evaluates them. */
    public static final List<String> ALL = List.of(
            HANDSHAKE_FAILED,
            EXPIRED,
            NOT_YET_VALID,
            EXPIRING_SOON,
            SELF_SIGNED,
            CHAIN_INCOMPLETE,
            UNTRUSTED_ROOT,
            NAME_MISMATCH,
            FINGERPRINT_MISMATCH,
            REVOKED,
            WEAK_KEY,
            WEAK_SIGNATURE,
            INCONSISTENT_BACKENDS,
            RENEWAL_SUGGESTED);

    private FindingCodes() {}
}
