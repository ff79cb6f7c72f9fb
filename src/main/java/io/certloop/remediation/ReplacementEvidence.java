package io.certloop.remediation;

import io.certloop.deployment.DeploymentResult;
import java.time.Duration;

/**
 * What {@code /replace} did, step by step, and whether the live endpoint now presents the issued
 * certificate. Holds fingerprints, serials, paths and command output; never key material.
 */
public record ReplacementEvidence(
        String endpoint,
        boolean succeeded,
        String outcome,
        Issued issued,
        DeploymentResult deployment,
        DeploymentResult rollback,
        Verification verification,
        Duration issuanceTime,
        Duration deploymentTime,
        Duration verificationTime) {

    /** The issued certificate, by reference. */
    public record Issued(
            String certificateId, String issuer, String sha256, String serial, String notAfter, String keyId) {}
}
