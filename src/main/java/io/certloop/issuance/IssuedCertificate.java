package io.certloop.issuance;

import java.time.Instant;
import java.util.List;

/**
 * What an issuer produced, in the form deployers and verifiers need: PEMs, the SHA-256 fingerprint
 * (lower-case hex, no separators, of the leaf DER) that the live probe must later see, and the
 * custody key id of the private key (never the key).
 */
public record IssuedCertificate(
        String id,
        String issuer,
        String endpointName,
        String leafPem,
        List<String> chainPems,
        String sha256,
        String serial,
        Instant notBefore,
        Instant notAfter,
        String keyId) {

    public IssuedCertificate {
        chainPems = List.copyOf(chainPems);
    }

    /** Leaf followed by the chain, the usual content of a server's certificate file (nginx). */
    public String fullChainPem() {
        StringBuilder out = new StringBuilder(leafPem);
        chainPems.forEach(out::append);
        return out.toString();
    }

    /** The chain alone (intermediates, possibly root), for servers that want it separately. */
    public String chainPem() {
        return String.join("", chainPems);
    }
}
