package io.certloop.remediation;

import java.util.List;

/**
 * The endpoints that present a revoked certificate or its key, as the latest probes saw them.
 *
 * @param sha256 the revoked certificate
 * @param spkiSha256 its public key (SubjectPublicKeyInfo SHA-256)
 * @param affected the incident's endpoint first, then the others by name
 */
public record VerifierPopulation(String sha256, String spkiSha256, List<Affected> affected) {

    public VerifierPopulation {
        affected = List.copyOf(affected);
    }

    /**
     * @param why {@code same-certificate} or {@code same-key}
     * @param detail a sentence for the incident
     */
    public record Affected(String endpoint, String presentedSha256, String why, String detail) {}

    public List<String> endpoints() {
        return affected.stream().map(Affected::endpoint).toList();
    }
}
