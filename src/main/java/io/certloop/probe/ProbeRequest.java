package io.certloop.probe;

import java.util.List;

/**
 * What to probe and what the caller expects to find there.
 *
 * @param sni server name to send; null or blank means the host (when it is a name)
 * @param expectedNames names the certificate must cover; empty means the SNI name (or host)
 * @param addresses extra IP literals to probe besides what the host resolves to (cluster members)
 * @param expectedSha256 fingerprint the leaf should have (e.g. the one just issued); null = no expectation
 * @param tier criticality 0 (highest) to 3; null = the most cautious expiry window
 */
public record ProbeRequest(
        String host,
        int port,
        String sni,
        List<String> expectedNames,
        List<String> addresses,
        String expectedSha256,
        Integer tier) {

    public ProbeRequest {
        expectedNames = expectedNames == null ? List.of() : List.copyOf(expectedNames);
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
    }

    /** A request with no expectations beyond the SNI name. */
    public static ProbeRequest of(String host, int port, String sni) {
        return new ProbeRequest(host, port, sni, List.of(), List.of(), null, null);
    }
}
