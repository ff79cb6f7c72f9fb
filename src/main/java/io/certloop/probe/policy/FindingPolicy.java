package io.certloop.probe.policy;

import io.certloop.probe.AddressResult;
import io.certloop.probe.CertificateDetails;
import io.certloop.probe.Finding;
import io.certloop.probe.FindingCodes;
import io.certloop.probe.ProbeReport;
import io.certloop.probe.revocation.Revocation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a probe report into findings: an ordered chain of small pure checks, each answering one
 * question an operator would ask, each with its evidence. Order is the order of
 * {@link FindingCodes#ALL}; every check runs (an endpoint can be expired AND misnamed).
 */
public final class FindingPolicy {

    private final PolicySettings settings;
    private final List<ProbeCheck> checks;

    public FindingPolicy(PolicySettings settings) {
        this.settings = settings;
        this.checks = List.of(
                FindingPolicy::handshakeFailed, // some backend did not complete a TLS handshake
                FindingPolicy::expired, // the leaf's notAfter has passed
                FindingPolicy::notYetValid, // the leaf's notBefore is still ahead
                this::expiringSoon, // the leaf ends within the tier's window
                FindingPolicy::selfSigned, // the leaf signed itself
                FindingPolicy::chainIncomplete, // an intermediate is missing from what was sent
                FindingPolicy::untrustedRoot, // the chain ends at a root nobody trusts here
                FindingPolicy::nameMismatch, // an expected name is not in the SANs
                FindingPolicy::fingerprintMismatch, // not the leaf the caller expected (renewed, not deployed)
                FindingPolicy::revoked, // the CA says revoked
                this::weakKey, // a sent key is below policy
                this::weakSignature, // a sent signature uses a weak digest
                FindingPolicy::inconsistentBackends // backends present different leaves
                );
    }

    public List<Finding> evaluate(ProbeContext context) {
        List<Finding> findings = new ArrayList<>();
        for (ProbeCheck check : checks) {
            check.apply(context).ifPresent(findings::add);
        }
        return findings;
    }

    private static Optional<Finding> handshakeFailed(ProbeContext context) {
        List<AddressResult> failed = context.report().addresses().stream()
                .filter(result -> !result.handshakeOk())
                .toList();
        if (failed.isEmpty() && !context.report().addresses().isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> errors = new LinkedHashMap<>();
        failed.forEach(result -> errors.put(result.address(), result.error()));
        int total = context.report().addresses().size();
        String detail = total == 0
                ? "no address to connect to"
                : failed.size() == total
                        ? "no backend completed a TLS handshake"
                        : failed.size() + " of " + total + " backends did not complete a TLS handshake";
        return Optional.of(new Finding(FindingCodes.HANDSHAKE_FAILED, detail, Map.of("failedAddresses", errors)));
    }

    private static Optional<Finding> expired(ProbeContext context) {
        CertificateDetails leaf = context.report().leaf();
        if (leaf == null || !context.now().isAfter(leaf.notAfter())) {
            return Optional.empty();
        }
        return Optional.of(new Finding(
                FindingCodes.EXPIRED,
                "the presented certificate expired at " + leaf.notAfter(),
                leafEvidence(leaf, "notAfter", leaf.notAfter().toString())));
    }

    private static Optional<Finding> notYetValid(ProbeContext context) {
        CertificateDetails leaf = context.report().leaf();
        if (leaf == null || !context.now().isBefore(leaf.notBefore())) {
            return Optional.empty();
        }
        return Optional.of(new Finding(
                FindingCodes.NOT_YET_VALID,
                "the presented certificate is not valid before " + leaf.notBefore(),
                leafEvidence(leaf, "notBefore", leaf.notBefore().toString())));
    }

    private Optional<Finding> expiringSoon(ProbeContext context) {
        CertificateDetails leaf = context.report().leaf();
        if (leaf == null || context.now().isAfter(leaf.notAfter())) {
            return Optional.empty();
        }
        Duration window = settings.window(context.tier());
        Duration remaining = Duration.between(context.now(), leaf.notAfter());
        if (remaining.compareTo(window) >= 0) {
            return Optional.empty();
        }
        Map<String, Object> evidence =
                leafEvidence(leaf, "notAfter", leaf.notAfter().toString());
        evidence.put("secondsRemaining", remaining.toSeconds());
        evidence.put("window", window.toString());
        evidence.put("tier", context.tier() == null ? "none" : context.tier());
        return Optional.of(new Finding(
                FindingCodes.EXPIRING_SOON,
                "the presented certificate expires in " + remaining.toDays() + " days (window " + window.toDays()
                        + " days)",
                evidence));
    }

    private static Optional<Finding> selfSigned(ProbeContext context) {
        CertificateDetails leaf = context.report().leaf();
        if (leaf == null || !leaf.selfSigned()) {
            return Optional.empty();
        }
        return Optional.of(new Finding(
                FindingCodes.SELF_SIGNED,
                "the presented certificate is self-signed",
                leafEvidence(leaf, "subject", leaf.subject())));
    }

    private static Optional<Finding> chainIncomplete(ProbeContext context) {
        ProbeReport report = context.report();
        if (report.leaf() == null || report.chainComplete() || report.leaf().selfSigned()) {
            return Optional.empty();
        }
        CertificateDetails last = report.chain().get(report.chain().size() - 1);
        Map<String, Object> evidence = leafEvidence(report.leaf(), "missingIssuer", last.issuer());
        evidence.put("sentCertificates", report.chain().size());
        return Optional.of(new Finding(
                FindingCodes.CHAIN_INCOMPLETE,
                "the server does not send the issuer of " + last.subject() + " (" + last.issuer() + ")",
                evidence));
    }

    private static Optional<Finding> untrustedRoot(ProbeContext context) {
        ProbeReport report = context.report();
        AddressResult primary = primary(report);
        if (primary == null
                || !primary.chainComplete()
                || primary.anchorTrusted()
                || report.leaf().selfSigned()) {
            return Optional.empty();
        }
        CertificateDetails top = report.chain().get(report.chain().size() - 1);
        String root = top.selfSigned() ? top.subject() : top.issuer();
        return Optional.of(new Finding(
                FindingCodes.UNTRUSTED_ROOT,
                "the chain ends at a root the trust store does not hold: " + root,
                leafEvidence(report.leaf(), "root", root)));
    }

    private static Optional<Finding> nameMismatch(ProbeContext context) {
        ProbeReport report = context.report();
        if (report.leaf() == null || report.hostnameMatches()) {
            return Optional.empty();
        }
        Map<String, Object> evidence = leafEvidence(report.leaf(), "expectedNames", report.expectedNames());
        evidence.put("sans", report.leaf().sans());
        return Optional.of(new Finding(
                FindingCodes.NAME_MISMATCH,
                "the certificate does not cover " + report.expectedNames() + "; it names "
                        + report.leaf().sans(),
                evidence));
    }

    private static Optional<Finding> fingerprintMismatch(ProbeContext context) {
        CertificateDetails leaf = context.report().leaf();
        String expected = context.expectedSha256();
        if (leaf == null
                || expected == null
                || expected.isBlank()
                || normalizeFingerprint(expected).equals(leaf.sha256())) {
            return Optional.empty();
        }
        Map<String, Object> evidence = leafEvidence(leaf, "expectedSha256", normalizeFingerprint(expected));
        evidence.put("presentedNotAfter", leaf.notAfter().toString());
        return Optional.of(new Finding(
                FindingCodes.FINGERPRINT_MISMATCH,
                "the endpoint presents " + leaf.sha256() + ", not the expected " + normalizeFingerprint(expected),
                evidence));
    }

    private static Optional<Finding> revoked(ProbeContext context) {
        Revocation revocation = context.report().revocation();
        CertificateDetails leaf = context.report().leaf();
        if (leaf == null || revocation == null || revocation.status() != Revocation.Status.REVOKED) {
            return Optional.empty();
        }
        Map<String, Object> evidence = leafEvidence(leaf, "source", revocation.source());
        evidence.put("url", revocation.url());
        evidence.put("serial", leaf.serial());
        if (revocation.revokedAt() != null) {
            evidence.put("revokedAt", revocation.revokedAt().toString());
        }
        return Optional.of(new Finding(
                FindingCodes.REVOKED,
                "the presented certificate is revoked (" + revocation.source() + " " + revocation.url() + ")",
                evidence));
    }

    private Optional<Finding> weakKey(ProbeContext context) {
        List<String> weak = new ArrayList<>();
        for (CertificateDetails certificate : context.report().chain()) {
            if (weakKey(certificate)) {
                weak.add(certificate.subject() + " " + certificate.keyAlgorithm() + "-" + certificate.keySize());
            }
        }
        if (weak.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> evidence = leafEvidence(context.report().leaf(), "weakKeys", weak);
        evidence.put("minRsaBits", settings.minRsaBits());
        evidence.put("minEcBits", settings.minEcBits());
        return Optional.of(
                new Finding(FindingCodes.WEAK_KEY, "key below policy: " + String.join(", ", weak), evidence));
    }

    private boolean weakKey(CertificateDetails certificate) {
        return switch (certificate.keyAlgorithm()) {
            case "RSA", "RSASSA-PSS" -> certificate.keySize() < settings.minRsaBits();
            case "EC" -> certificate.keySize() < settings.minEcBits();
            case "DSA" -> true;
            default -> false;
        };
    }

    private Optional<Finding> weakSignature(ProbeContext context) {
        List<String> weak = new ArrayList<>();
        for (CertificateDetails certificate : context.report().chain()) {
            if (certificate.selfSigned() && certificate != context.report().leaf()) {
                continue; // a root's self-signature is not relied upon
            }
            String algorithm =
                    certificate.signatureAlgorithm().toUpperCase(Locale.ROOT).replace("-", "");
            if (settings.weakSignatureDigests().stream()
                    .anyMatch(digest -> algorithm.startsWith(digest.replace("-", "") + "WITH"))) {
                weak.add(certificate.subject() + " " + certificate.signatureAlgorithm());
            }
        }
        if (weak.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Finding(
                FindingCodes.WEAK_SIGNATURE,
                "signature below policy: " + String.join(", ", weak),
                leafEvidence(context.report().leaf(), "weakSignatures", weak)));
    }

    private static Optional<Finding> inconsistentBackends(ProbeContext context) {
        Map<String, Object> leafByAddress = new LinkedHashMap<>();
        Set<String> distinct = new LinkedHashSet<>();
        for (AddressResult result : context.report().addresses()) {
            if (result.handshakeOk()) {
                leafByAddress.put(result.address(), result.leaf().sha256());
                distinct.add(result.leaf().sha256());
            }
        }
        if (distinct.size() < 2) {
            return Optional.empty();
        }
        return Optional.of(new Finding(
                FindingCodes.INCONSISTENT_BACKENDS,
                distinct.size() + " different certificates across " + leafByAddress.size() + " backends",
                Map.of("leafSha256ByAddress", leafByAddress)));
    }

    private static AddressResult primary(ProbeReport report) {
        return report.addresses().stream()
                .filter(AddressResult::handshakeOk)
                .findFirst()
                .orElse(null);
    }

    private static Map<String, Object> leafEvidence(CertificateDetails leaf, String key, Object value) {
        Map<String, Object> evidence = new LinkedHashMap<>();
        if (leaf != null) {
            evidence.put("leafSha256", leaf.sha256());
        }
        evidence.put(key, value);
        return evidence;
    }

    static String normalizeFingerprint(String fingerprint) {
        return fingerprint.replace(":", "").replace(" ", "").toLowerCase(Locale.ROOT);
    }
}
