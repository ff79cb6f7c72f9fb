package io.certloop.issuance;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Picks the issuer for an endpoint's replacement path, so callers (runbooks, the replace API) do
 * not know which CA technology sits behind a path.
 */
public class Issuers {

    private final Map<String, CertificateIssuer> byPath;

    public Issuers(List<CertificateIssuer> issuers) {
        this.byPath = issuers.stream()
                .collect(Collectors.toUnmodifiableMap(CertificateIssuer::replacementPath, Function.identity()));
    }

    public Optional<CertificateIssuer> find(String replacementPath) {
        return Optional.ofNullable(byPath.get(replacementPath));
    }

    /** The issuer for a path; an unknown path (e.g. a manual/bespoke one) is an IllegalArgumentException. */
    public CertificateIssuer forPath(String replacementPath) {
        return find(replacementPath)
                .orElseThrow(() -> new IllegalArgumentException(
                        "no issuer for replacement path '" + replacementPath + "'; known: " + byPath.keySet()));
    }
}
