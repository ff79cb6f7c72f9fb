package io.certloop.probe;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * Judges a captured chain after the fact, apart from the handshake, so that a chain nobody would
 * trust is still captured and described. Tells "an intermediate is missing" from "the root is
 * unknown" because they have different fixes.
 */
final class ChainEvaluator {

    private static final int MAX_DEPTH = 10;

    private final TrustAnchors anchors;

    ChainEvaluator(TrustAnchors anchors) {
        this.anchors = anchors;
    }

    /**
     * @param complete the sent certificates link the leaf to a self-signed root, to a trusted issuer, or up
     *        to a CA certificate whose (unsent, unknown) issuer is taken to be a root: nothing is missing in between
     * @param anchorTrusted the chain ends at a certificate the trust store holds
     * @param trusted PKIX path validation at {@code now} succeeded
     * @param leafIssuer the certificate that signed the leaf (sent or trusted), or null
     */
    record Verdict(boolean complete, boolean anchorTrusted, boolean trusted, String trustDetail, X509Certificate leafIssuer) {
    }

    Verdict evaluate(List<X509Certificate> sent, Instant now) {
        X509Certificate leaf = sent.get(0);
        List<X509Certificate> remaining = new ArrayList<>(sent.subList(1, sent.size()));
        List<X509Certificate> path = new ArrayList<>();
        X509Certificate current = leaf;
        X509Certificate leafIssuer = null;
        boolean complete = false;
        boolean anchorTrusted = false;
        for (int depth = 0; depth < MAX_DEPTH; depth++) {
            if (Certificates.selfSigned(current)) {
                complete = true;
                anchorTrusted = anchors.contains(current);
                if (path.isEmpty()) {
                    leafIssuer = current;
                }
                break;
            }
            path.add(current);
            X509Certificate trustedIssuer = anchors.issuerOf(current);
            if (trustedIssuer != null) {
                complete = true;
                anchorTrusted = true;
                if (current == leaf) {
                    leafIssuer = trustedIssuer;
                }
                break;
            }
            X509Certificate next = null;
            for (X509Certificate candidate : remaining) {
                if (Certificates.signedBy(current, candidate)) {
                    next = candidate;
                    break;
                }
            }
            if (next == null) {
                break;
            }
            if (current == leaf) {
                leafIssuer = next;
            }
            remaining.remove(next);
            current = next;
        }
        if (!complete && current != leaf && current.getBasicConstraints() >= 0) {
            // the top of what was sent is a CA whose issuer is neither sent (roots usually are not) nor
            // trusted: the usual shape of a chain to an unknown root, not of a missing intermediate
            return new Verdict(true, false, false, "root not in trust store: " + current.getIssuerX500Principal().getName(), leafIssuer);
        }
        if (!complete) {
            return new Verdict(false, false, false, "chain incomplete: no issuer for " + current.getIssuerX500Principal().getName(), leafIssuer);
        }
        if (!anchorTrusted) {
            return new Verdict(true, false, false, "root not in trust store: " + current.getSubjectX500Principal().getName(), leafIssuer);
        }
        if (path.isEmpty()) {
            // the leaf itself is a trusted self-signed certificate
            boolean valid = !now.isBefore(leaf.getNotBefore().toInstant()) && !now.isAfter(leaf.getNotAfter().toInstant());
            return new Verdict(true, true, valid, valid ? null : "certificate outside its validity period", leafIssuer);
        }
        return validate(path, now, leafIssuer);
    }

    private Verdict validate(List<X509Certificate> path, Instant now, X509Certificate leafIssuer) {
        try {
            PKIXParameters parameters = anchors.parameters();
            parameters.setDate(Date.from(now));
            CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
            return new Verdict(true, true, true, null, leafIssuer);
        } catch (CertPathValidatorException e) {
            return new Verdict(true, true, false, "path validation failed: " + e.getReason() + ": " + e.getMessage(), leafIssuer);
        } catch (GeneralSecurityException e) {
            return new Verdict(true, true, false, "path validation failed: " + e.getMessage(), leafIssuer);
        }
    }
}
