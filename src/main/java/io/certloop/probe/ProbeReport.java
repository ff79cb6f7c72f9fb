package io.certloop.probe;

import io.certloop.probe.revocation.Revocation;
import java.time.Instant;
import java.util.List;

/**
 * The evidence of what an endpoint presents and what is wrong with it. Top-level fields describe
 * the first address that completed a handshake; {@link #addresses()} holds every backend.
 *
 * @param leaf the presented leaf, null when no handshake succeeded
 * @param chain certificates exactly as sent, leaf first
 */
public record ProbeReport(
        String host,
        int port,
        String sni,
        List<String> expectedNames,
        Instant probedAt,
        String protocol,
        String cipher,
        CertificateDetails leaf,
        List<CertificateDetails> chain,
        boolean chainComplete,
        boolean trusted,
        boolean hostnameMatches,
        Revocation revocation,
        List<Finding> findings,
        List<AddressResult> addresses) {

    public ProbeReport {
        expectedNames = List.copyOf(expectedNames);
        chain = List.copyOf(chain);
        findings = List.copyOf(findings);
        addresses = List.copyOf(addresses);
    }

    /** True when at least one address completed a handshake. */
    public boolean reachable() {
        return leaf != null;
    }

    /** True when a finding with this code was raised. */
    public boolean has(String code) {
        return findings.stream().anyMatch(finding -> finding.code().equals(code));
    }

    public ProbeReport withFindings(List<Finding> newFindings) {
        return new ProbeReport(
                host,
                port,
                sni,
                expectedNames,
                probedAt,
                protocol,
                cipher,
                leaf,
                chain,
                chainComplete,
                trusted,
                hostnameMatches,
                revocation,
                newFindings,
                addresses);
    }
}
