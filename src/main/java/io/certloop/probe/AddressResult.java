package io.certloop.probe;

import io.certloop.probe.revocation.Revocation;
import java.util.List;

/**
 * What one resolved address of an endpoint presented. Every backend is probed because a cluster
 * that is half renewed looks healthy from any single address.
 *
 * @param address the IP address connected to (never re-resolved)
 * @param error why the handshake failed, when it did
 * @param chain the certificates exactly as sent, leaf first
 * @param chainComplete no intermediate is missing: the sent chain links the leaf to a root, to an issuer the
 *        trust store holds, or up to a CA whose unsent issuer is unknown (then the root is the problem)
 * @param anchorTrusted the chain ends at a certificate the trust store holds (dates aside)
 * @param trusted full PKIX path validation at probe time succeeded
 * @param trustDetail why PKIX validation failed, when it did
 */
public record AddressResult(
        String address,
        boolean handshakeOk,
        String error,
        String protocol,
        String cipher,
        List<CertificateDetails> chain,
        boolean chainComplete,
        boolean anchorTrusted,
        boolean trusted,
        String trustDetail,
        boolean hostnameMatches,
        Revocation revocation) {

    public AddressResult {
        chain = List.copyOf(chain);
    }

    /** The presented leaf, or null when the handshake failed. */
    public CertificateDetails leaf() {
        return chain.isEmpty() ? null : chain.get(0);
    }

    public static AddressResult failed(String address, String error) {
        return new AddressResult(
                address,
                false,
                error,
                null,
                null,
                List.of(),
                false,
                false,
                false,
                null,
                false,
                Revocation.unknown(Revocation.NO_HANDSHAKE));
    }
}
