package io.certloop.detection;

/**
 * What an endpoint presented at its latest recorded probe: the leaf, the CA that issued it (its subject) and that
 * CA's certificate when the endpoint sent it (the second certificate of the chain), by SHA-256.
 *
 * @param issuerSha256 null when the endpoint sent no certificate after its leaf
 */
public record LastProbe(String leafSha256, String issuerSubject, String issuerSha256) {}
