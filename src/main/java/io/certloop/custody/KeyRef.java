package io.certloop.custody;

import io.certloop.system.Fingerprints;
import java.security.PublicKey;

/**
 * A reference to a private key held in custody: what every other package passes around instead of
 * key material. Only the public half travels.
 */
public record KeyRef(String id, KeySpec algorithm, PublicKey publicKey) {

    @Override
    public String toString() {
        return "KeyRef[id=" + id + ", algorithm=" + algorithm + ", publicKeySha256="
                + Fingerprints.sha256Hex(publicKey.getEncoded()).substring(0, 16) + "…]";
    }
}
