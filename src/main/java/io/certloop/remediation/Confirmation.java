package io.certloop.remediation;

import io.certloop.probe.FindingCodes;
import java.time.Instant;
import java.util.List;

/**
 * Step one of every certificate runbook: what the endpoint presents right now, and whether that
 * really is a certificate problem of the kind the incident claims.
 */
public record Confirmation(
        boolean reachable,
        boolean expired,
        boolean expiringSoon,
        boolean fingerprintMismatch,
        String presentedSha256,
        Instant presentedNotAfter,
        List<String> findingCodes,
        String summary) {

    public Confirmation {
        findingCodes = List.copyOf(findingCodes);
    }

    /**
     * The endpoint presents an expired or soon-expiring certificate, or one whose CA suggests renewing it now (its
     * renewal window came due): reissuing is the fix.
     */
    public boolean expiryConfirmed() {
        return expired || expiringSoon || findingCodes.contains(FindingCodes.RENEWAL_SUGGESTED);
    }
}
