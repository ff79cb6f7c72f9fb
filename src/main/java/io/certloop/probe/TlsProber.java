package io.certloop.probe;

import io.certloop.probe.guard.ProbeRefusedException;

/**
 * The product's eye: tells exactly what a live endpoint presents and what is wrong with it. The
 * only certificate that matters is the one the service serves, not the one a CA signed.
 */
public interface TlsProber {

    /**
     * Probes every address of the target.
     *
     * @throws ProbeRefusedException when the target is not an allowed probe destination
     */
    ProbeReport probe(ProbeRequest request);

    /**
     * As {@link #probe}, but the leaf's revocation is asked of its CRL distribution point and its OCSP responder
     * both, each answer kept in {@code revocation().answers()}: evidence for a revocation runbook. A routine probe
     * stops at the first source that answers.
     */
    default ProbeReport probeAskingEveryRevocationSource(ProbeRequest request) {
        return probe(request);
    }
}
