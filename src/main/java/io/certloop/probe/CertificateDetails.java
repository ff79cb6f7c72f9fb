package io.certloop.probe;

import java.time.Instant;
import java.util.List;

/**
 * What one presented certificate says, in the terms an operator compares against an inventory.
 *
 * @param sha256 SHA-256 of the DER encoding, lower-case hex without separators
 * @param serial serial number in lower-case hex
 * @param sans subject alternative names (DNS names and IP addresses)
 * @param keySize key size in bits (RSA modulus, EC field size)
 * @param selfSigned subject equals issuer and the certificate verifies with its own key
 * @param spkiSha256 SHA-256 of the SubjectPublicKeyInfo (the same key under another certificate has the same value),
 *     lower-case hex; null in reports recorded before it was captured
 */
public record CertificateDetails(
        String sha256,
        String subject,
        String issuer,
        String serial,
        Instant notBefore,
        Instant notAfter,
        List<String> sans,
        String keyAlgorithm,
        int keySize,
        String signatureAlgorithm,
        boolean selfSigned,
        String spkiSha256) {

    public CertificateDetails {
        sans = List.copyOf(sans);
    }
}
