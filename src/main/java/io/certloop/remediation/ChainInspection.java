package io.certloop.remediation;

import java.util.List;

/**
 * What the trust-mismatch runbook needs to know first: the chain the endpoint sends, as sent, and
 * whether CertLoop holds that very certificate with its chain and key, so that redeploying the full
 * chain fixes a missing intermediate without a new certificate.
 *
 * @param presentedChain one line per sent certificate, leaf first: subject, issuer, SHA-256
 * @param heldCertificateId the certificate CertLoop issued with the presented fingerprint, deployable now; null when none
 * @param heldReason why it is (not) held, as a sentence
 */
public record ChainInspection(
        boolean reachable,
        boolean chainComplete,
        boolean trusted,
        String presentedSha256,
        List<String> presentedChain,
        String heldCertificateId,
        String heldReason,
        List<String> findingCodes,
        String summary) {

    public ChainInspection {
        presentedChain = List.copyOf(presentedChain);
        findingCodes = List.copyOf(findingCodes);
    }

    public boolean held() {
        return heldCertificateId != null;
    }
}
