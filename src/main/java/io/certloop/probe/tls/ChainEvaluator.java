package io.certloop.probe.tls;

import io.certloop.probe.Certificates;
import io.certloop.system.Fingerprints;
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
import java.util.concurrent.atomic.AtomicLong;

/**
 * Judges a captured chain after the fact, apart from the handshake, so that a chain nobody would
 * trust is still captured and described. Tells "an intermediate is missing" from "the root is
 * unknown" because they have different fixes.
 *
 * <p>Verdicts are cached per exact sent chain (the SHA-256 of every certificate, in order): an estate
 * serves the same few chains from many endpoints, and judging one costs several signature checks and
 * a PKIX validation. The anchors are fixed per evaluator. The only input that changes is the time, and
 * a verdict depends on it only through the certificates' validity periods, so a verdict is cached only
 * when every sent certificate was within its validity period, and reused only while that is still so;
 * any other moment (something expired or not yet valid) is judged afresh.
 */
final class ChainEvaluator {

    private static final int MAX_DEPTH = 10;

    private final TrustAnchors anchors;
    private final BoundedLruCache<List<String>, Cached> cache;
    private final AtomicLong evaluations = new AtomicLong();

    ChainEvaluator(TrustAnchors anchors, int cacheSize) {
        this.anchors = anchors;
        this.cache = new BoundedLruCache<>(cacheSize);
    }

    /** A verdict and the span in which every sent certificate is within its validity period. */
    private record Cached(Verdict verdict, Instant from, Instant until) {
        boolean holdsAt(Instant now) {
            return !now.isBefore(from) && !now.isAfter(until);
        }
    }

    /**
     * @param complete the sent certificates link the leaf to a self-signed root, to a trusted issuer, or up
     *        to a CA certificate whose (unsent, unknown) issuer is taken to be a root: nothing is missing in between
     * @param anchorTrusted the chain ends at a certificate the trust store holds
     * @param trusted PKIX path validation at {@code now} succeeded
     * @param leafIssuer the certificate that signed the leaf (sent or trusted), or null
     */
    record Verdict(
            boolean complete, boolean anchorTrusted, boolean trusted, String trustDetail, X509Certificate leafIssuer) {}

    Verdict evaluate(List<X509Certificate> sent, Instant now) {
        return evaluate(sent, sent.stream().map(Fingerprints::sha256Hex).toList(), now);
    }

    /**
     * @param fingerprints the SHA-256 of each sent certificate, in the same order
     */
    Verdict evaluate(List<X509Certificate> sent, List<String> fingerprints, Instant now) {
        if (fingerprints.size() != sent.size()) {
            throw new IllegalArgumentException("one fingerprint per certificate");
        }
        List<String> key = List.copyOf(fingerprints);
        Cached cached = cache.get(key);
        if (cached != null && cached.holdsAt(now)) {
            return cached.verdict();
        }
        Verdict verdict = judge(sent, now);
        Instant from = Instant.MIN;
        Instant until = Instant.MAX;
        for (X509Certificate certificate : sent) {
            Instant notBefore = certificate.getNotBefore().toInstant();
            Instant notAfter = certificate.getNotAfter().toInstant();
            from = notBefore.isAfter(from) ? notBefore : from;
            until = notAfter.isBefore(until) ? notAfter : until;
        }
        Cached entry = new Cached(verdict, from, until);
        if (entry.holdsAt(now)) {
            cache.put(key, entry);
        }
        return verdict;
    }

    /** How many chains were judged rather than answered from the cache. */
    long evaluations() {
        return evaluations.get();
    }

    int cachedChains() {
        return cache.size();
    }

    private Verdict judge(List<X509Certificate> sent, Instant now) {
        evaluations.incrementAndGet();
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
            return new Verdict(
                    true,
                    false,
                    false,
                    "root not in trust store: "
                            + current.getIssuerX500Principal().getName(),
                    leafIssuer);
        }
        if (!complete) {
            return new Verdict(
                    false,
                    false,
                    false,
                    "chain incomplete: no issuer for "
                            + current.getIssuerX500Principal().getName(),
                    leafIssuer);
        }
        if (!anchorTrusted) {
            return new Verdict(
                    true,
                    false,
                    false,
                    "root not in trust store: "
                            + current.getSubjectX500Principal().getName(),
                    leafIssuer);
        }
        if (path.isEmpty()) {
            // the leaf itself is a trusted self-signed certificate
            boolean valid = !now.isBefore(leaf.getNotBefore().toInstant())
                    && !now.isAfter(leaf.getNotAfter().toInstant());
            return new Verdict(true, true, valid, valid ? null : "certificate outside its validity period", leafIssuer);
        }
        return validate(path, now, leafIssuer);
    }

    private Verdict validate(List<X509Certificate> path, Instant now, X509Certificate leafIssuer) {
        try {
            PKIXParameters parameters = anchors.parameters();
            parameters.setDate(Date.from(now));
            CertPathValidator.getInstance("PKIX")
                    .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
            return new Verdict(true, true, true, null, leafIssuer);
        } catch (CertPathValidatorException e) {
            return new Verdict(
                    true, true, false, "path validation failed: " + e.getReason() + ": " + e.getMessage(), leafIssuer);
        } catch (GeneralSecurityException e) {
            return new Verdict(true, true, false, "path validation failed: " + e.getMessage(), leafIssuer);
        }
    }
}
