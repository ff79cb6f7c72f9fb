package io.certloop.probe.revocation;

import java.time.Instant;
import java.util.List;

/**
 * Revocation status of a presented leaf and where it came from, so a runbook can tell "the CA says
 * revoked" from "we could not find out".
 *
 * @param source {@code CRL}, {@code OCSP} or {@code NONE}
 * @param url the distribution point or responder that answered, if any
 * @param revokedAt revocation time when revoked
 * @param reason why the status is UNKNOWN, one of the fixed words below (null otherwise); never text a remote server
 *     sent
 * @param detail what answered, or per URL tried which fixed reason it failed with
 * @param answers each source's own answer (CRL, then OCSP) when every source was asked; empty when the probe
 *     stopped at the first source that answered
 */
public record Revocation(
        Status status,
        String source,
        String url,
        Instant revokedAt,
        String reason,
        String detail,
        List<RevocationAnswer> answers) {

    public Revocation {
        answers = answers == null ? List.of() : List.copyOf(answers);
    }

    /** From the first source that answered (no per-source answers). */
    public Revocation(Status status, String source, String url, Instant revokedAt, String reason, String detail) {
        this(status, source, url, revokedAt, reason, detail, List.of());
    }

    /** Revocation status per RFC 6960 vocabulary. */
    public enum Status {
        GOOD,
        REVOKED,
        UNKNOWN
    }

    public static final String SOURCE_CRL = "CRL";
    public static final String SOURCE_OCSP = "OCSP";
    public static final String SOURCE_NONE = "NONE";

    /** No handshake, so no certificate to ask about. */
    public static final String NO_HANDSHAKE = "no-handshake";
    /** {@code certloop.probe.revocation-enabled=false}. */
    public static final String DISABLED = "disabled";
    /** The certificate names no CRL distribution point and no OCSP responder. */
    public static final String NO_URLS = "no-urls";
    /** The issuer is not known, so no answer could be verified. */
    public static final String NO_ISSUER = "no-issuer";
    /** The URL's host is an address revocation fetches may not reach (not fetched). */
    public static final String REFUSED_ADDRESS = "refused-address";
    /** Not an http:// URL (not fetched). */
    public static final String UNSUPPORTED_URL = "unsupported-url";
    /** The connection failed or the server did not answer 200. */
    public static final String FETCH_FAILED = "fetch-failed";
    /** The probe's deadline passed during the fetch. */
    public static final String TIMEOUT = "timeout";
    /** The answer was larger than the configured cap; reading stopped there. */
    public static final String TOO_LARGE = "too-large";
    /** The answer is not a well-formed CRL or OCSP response. */
    public static final String MALFORMED = "malformed";
    /** The CRL was issued by someone else than the leaf's issuer. */
    public static final String WRONG_ISSUER = "wrong-issuer";
    /** The answer is not signed by the issuer (or, for OCSP, a responder it delegated to). */
    public static final String BAD_SIGNATURE = "bad-signature";
    /** The answer is out of date or from the future. */
    public static final String STALE = "stale";
    /** The OCSP answer does not cover the certificate. */
    public static final String NOT_COVERED = "not-covered";
    /** The OCSP responder answered with an error status. */
    public static final String RESPONDER_ERROR = "responder-error";
    /** The OCSP responder does not know the certificate. */
    public static final String RESPONDER_UNKNOWN = "responder-unknown";

    /** Without a reason (answers that are not UNKNOWN). */
    public Revocation(Status status, String source, String url, Instant revokedAt, String detail) {
        this(status, source, url, revokedAt, null, detail, List.of());
    }

    /** UNKNOWN for a fixed reason, explained by the reason itself. */
    public static Revocation unknown(String reason) {
        return new Revocation(Status.UNKNOWN, SOURCE_NONE, null, null, reason, reason);
    }
}
