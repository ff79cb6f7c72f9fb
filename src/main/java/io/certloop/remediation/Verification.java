package io.certloop.remediation;

import java.time.Instant;
import java.util.List;

/**
 * The answer to "is it fixed?": a fresh probe of the live endpoint compared with the certificate
 * that should be there. Passing means every backend presents the expected fingerprint with a
 * complete chain and matching names, never that a deploy call returned.
 *
 * @param failures the checks that did not pass, as sentences; empty when passed
 */
public record Verification(
        boolean passed,
        String expectedSha256,
        String presentedSha256,
        boolean chainComplete,
        boolean hostnameMatches,
        List<String> findingCodes,
        List<String> failures,
        Instant probedAt) {

    public Verification {
        findingCodes = List.copyOf(findingCodes);
        failures = List.copyOf(failures);
    }

    public String summary() {
        return passed ? "live endpoint presents " + presentedSha256 : String.join("; ", failures);
    }
}
