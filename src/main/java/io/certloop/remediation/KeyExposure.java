package io.certloop.remediation;

import java.util.List;

/**
 * Where a compromised key is in use, as far as CertLoop knows: the certificates its own CA issued
 * for the key (to revoke) and the inventory endpoints that present one of them (to rekey).
 *
 * @param keyId custody id of the key; null when the endpoint's certificate was not issued through CertLoop
 * @param serials serials (lower-case hex) of the internal CA's certificates for the key
 * @param endpoints inventory endpoints presenting the key, the incident's endpoint first
 */
public record KeyExposure(
        String keyId, String presentedSha256, List<String> serials, List<String> endpoints, String summary) {

    public KeyExposure {
        serials = List.copyOf(serials);
        endpoints = List.copyOf(endpoints);
    }
}
