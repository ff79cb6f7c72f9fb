package io.certloop.probe.revocation;

import java.time.Instant;

/**
 * Revocation status of a presented leaf and where it came from, so a runbook can tell "the CA says
 * revoked" from "we could not find out".
 *
 * @param source {@code CRL}, {@code OCSP} or {@code NONE}
 * @param url the distribution point or responder that answered, if any
 * @param revokedAt revocation time when revoked
 * @param detail why the status is UNKNOWN, or what answered
 */
public record Revocation(Status status, String source, String url, Instant revokedAt, String detail) {

    /** Revocation status per RFC 6960 vocabulary. */
    public enum Status {
        GOOD,
        REVOKED,
        UNKNOWN
    }

    public static final String SOURCE_CRL = "CRL";
    public static final String SOURCE_OCSP = "OCSP";
    public static final String SOURCE_NONE = "NONE";

    public static Revocation unknown(String detail) {
        return new Revocation(Status.UNKNOWN, SOURCE_NONE, null, null, detail);
    }
}
