package io.certloop.issuance;

import io.certloop.custody.Csr;
import io.certloop.custody.KeyCustody;
import io.certloop.custody.KeyRef;
import io.certloop.issuance.CertificateRefusedException.Reason;
import io.certloop.system.Fingerprints;
import io.certloop.system.Pem;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin-mediated replacement path: CertLoop makes the key and CSR, a person obtains the
 * certificate from a CA CertLoop cannot drive (web form, ticket), and submits it. The submission is
 * checked before it is accepted, because a certificate that does not match the key, misses a name,
 * lacks its intermediate or is already expired would only move the outage to deploy time.
 */
public class AdminMediatedIssuer implements CertificateIssuer {

    public static final String PATH = "admin-mediated";
    static final String AWAITING = "AWAITING_ADMINISTRATOR";

    private static final Logger log = LoggerFactory.getLogger(AdminMediatedIssuer.class);

    private final KeyCustody custody;
    private final IssuanceRequestStore requests;
    private final IssuedCertificateStore certificates;
    private final IssuanceProperties properties;
    private final List<TrustedRoots> trustedRoots;
    private final Clock clock;

    public AdminMediatedIssuer(
            KeyCustody custody,
            IssuanceRequestStore requests,
            IssuedCertificateStore certificates,
            IssuanceProperties properties,
            List<TrustedRoots> trustedRoots,
            Clock clock) {
        this.custody = custody;
        this.requests = requests;
        this.certificates = certificates;
        this.properties = properties;
        this.trustedRoots = List.copyOf(trustedRoots);
        this.clock = clock;
    }

    @Override
    public String replacementPath() {
        return PATH;
    }

    /** Makes the key and CSR (once per idempotency key) and waits for the administrator. */
    @Override
    public IssuanceStep begin(IssueRequest request) {
        Optional<IssuedCertificate> done = certificates.findByIdempotencyKey(PATH, request.idempotencyKey());
        if (done.isPresent()) {
            return new IssuanceStep.Issued(done.get().id(), done.get());
        }
        Optional<IssuanceRequestStore.StoredRequest> existing =
                requests.findByIdempotencyKey(PATH, request.idempotencyKey());
        if (existing.isPresent()) {
            return poll(existing.get().id());
        }
        IssuanceProperties.Profile profile = properties.permitted(request);
        KeyRef key = request.keyId() != null
                ? custody.get(request.keyId())
                : custody.generate(request.keySpec() != null ? request.keySpec() : profile.keyType());
        Csr csr = custody.createCsr(key.id(), request.names());
        IssuanceRequestStore.StoredRequest stored = requests.create(PATH, request, key.id(), AWAITING, csr.pem());
        log.info(
                "admin-mediated request {} for endpoint {} ({}) waits for an administrator",
                stored.id(),
                request.endpointName(),
                request.names());
        return poll(stored.id());
    }

    @Override
    public IssuanceStep poll(String requestId) {
        IssuanceRequestStore.StoredRequest stored = requests.find(requestId)
                .orElseThrow(() -> new IssuanceRejectedException("no admin-mediated request " + requestId));
        if (stored.certificateId() != null) {
            return new IssuanceStep.Issued(
                    requestId, certificates.findById(stored.certificateId()).orElseThrow());
        }
        return new IssuanceStep.Pending(requestId, stored.state(), null, stored.csrPem());
    }

    /** Cannot finish on its own: throws {@link AdministratorActionRequiredException} unless already submitted. */
    @Override
    public IssuedCertificate issue(IssueRequest request) {
        IssuanceStep step = begin(request);
        if (step instanceof IssuanceStep.Issued issued) {
            return issued.certificate();
        }
        IssuanceStep.Pending pending = (IssuanceStep.Pending) step;
        throw new AdministratorActionRequiredException(pending.requestId(), pending.csrPem());
    }

    /** The CSR of a pending request, for the administrator. */
    public String csrPem(String requestId) {
        return requests.find(requestId)
                .map(IssuanceRequestStore.StoredRequest::csrPem)
                .orElseThrow(() -> new CertificateRefusedException(Reason.UNKNOWN_REQUEST, "no request " + requestId));
    }

    /**
     * Accepts the administrator's certificate (PEM: leaf first, then any intermediates and root) after
     * checking key, names, validity and chain; refuses with a {@link CertificateRefusedException}
     * naming the first failed check.
     */
    public IssuedCertificate submit(String requestId, String certificatePem) {
        IssuanceRequestStore.StoredRequest stored = requests.find(requestId)
                .filter(r -> PATH.equals(r.issuer()))
                .orElseThrow(() -> new CertificateRefusedException(
                        Reason.UNKNOWN_REQUEST, "no admin-mediated request " + requestId));
        List<X509Certificate> submitted = parse(certificatePem);
        X509Certificate leaf = submitted.get(0);
        if (stored.certificateId() != null) {
            IssuedCertificate accepted =
                    certificates.findById(stored.certificateId()).orElseThrow();
            if (accepted.sha256().equals(Fingerprints.sha256Hex(leaf))) {
                return accepted;
            }
            throw new CertificateRefusedException(
                    Reason.UNKNOWN_REQUEST, "request " + requestId + " already completed with another certificate");
        }
        List<X509Certificate> chain = submitted.subList(1, submitted.size());
        checkKey(stored, leaf);
        checkNames(stored.names(), leaf);
        checkValidity(leaf);
        checkChain(submitted);
        IssuedCertificate certificate = certificates.save(
                PATH, stored.idempotencyKey(), stored.endpointName(), stored.profile(), stored.keyId(), leaf, chain);
        requests.complete(requestId, certificate.id());
        log.info(
                "admin-mediated request {} completed: certificate {} serial {} sha256 {}",
                requestId,
                certificate.id(),
                certificate.serial(),
                certificate.sha256());
        return certificate;
    }

    private static List<X509Certificate> parse(String pem) {
        try {
            List<X509Certificate> all = pem == null ? List.of() : Pem.parseCertificates(pem);
            if (all.isEmpty()) {
                throw new CertificateRefusedException(Reason.UNPARSEABLE, "no certificate found in the submitted text");
            }
            return all;
        } catch (IllegalArgumentException e) {
            throw new CertificateRefusedException(Reason.UNPARSEABLE, "the submitted text is not PEM X.509");
        }
    }

    private void checkKey(IssuanceRequestStore.StoredRequest stored, X509Certificate leaf) {
        KeyRef key = custody.get(stored.keyId());
        if (!Arrays.equals(key.publicKey().getEncoded(), leaf.getPublicKey().getEncoded())) {
            throw new CertificateRefusedException(
                    Reason.KEY_MISMATCH,
                    "the certificate's public key is not the key of the CSR for request " + stored.id()
                            + " (was it issued for another CSR?)");
        }
    }

    static void checkNames(List<String> expected, X509Certificate leaf) {
        List<String> dns = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        try {
            Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    int type = (Integer) san.get(0);
                    if (type == 2) {
                        dns.add(((String) san.get(1)).toLowerCase(Locale.ROOT));
                    } else if (type == 7) {
                        ips.add(normalIp((String) san.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            throw new CertificateRefusedException(Reason.UNPARSEABLE, "the subjectAltName cannot be read");
        }
        List<String> missing =
                expected.stream().filter(name -> !covered(name, dns, ips)).toList();
        if (!missing.isEmpty()) {
            throw new CertificateRefusedException(
                    Reason.NAMES_NOT_COVERED,
                    "the certificate does not cover " + missing + "; its names are " + dns + ips);
        }
    }

    private static boolean covered(String name, List<String> dns, List<String> ips) {
        if (ips.contains(normalIp(name))) {
            return true;
        }
        return dns.stream()
                .anyMatch(san -> san.equals(name)
                        || (san.startsWith("*.")
                                && name.indexOf('.') > 0
                                && name.substring(name.indexOf('.') + 1).equals(san.substring(2))));
    }

    private static String normalIp(String value) {
        if (!value.matches("[0-9a-fA-F:.]+") || !(value.contains(":") || value.matches("[0-9.]+"))) {
            return value;
        }
        try {
            return InetAddress.getByName(value).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            return value;
        }
    }

    private void checkValidity(X509Certificate leaf) {
        Instant now = clock.instant();
        if (now.isAfter(leaf.getNotAfter().toInstant())) {
            throw new CertificateRefusedException(
                    Reason.EXPIRED,
                    "the certificate expired at " + leaf.getNotAfter().toInstant());
        }
        if (now.isBefore(leaf.getNotBefore().toInstant())) {
            throw new CertificateRefusedException(
                    Reason.NOT_YET_VALID,
                    "the certificate is valid only from " + leaf.getNotBefore().toInstant());
        }
    }

    /** Each certificate must be signed by the next; the last must be a self-signed root or signed by a known root. */
    private void checkChain(List<X509Certificate> chain) {
        for (int i = 0; i + 1 < chain.size(); i++) {
            X509Certificate child = chain.get(i);
            X509Certificate parent = chain.get(i + 1);
            if (!child.getIssuerX500Principal().equals(parent.getSubjectX500Principal()) || !signedBy(child, parent)) {
                throw new CertificateRefusedException(
                        Reason.CHAIN_BROKEN,
                        "certificate " + (i + 1) + " ("
                                + child.getSubjectX500Principal() + ") is not issued by the next one ("
                                + parent.getSubjectX500Principal()
                                + "); submit leaf first, then intermediates in order");
            }
        }
        X509Certificate top = chain.get(chain.size() - 1);
        if (top.getIssuerX500Principal().equals(top.getSubjectX500Principal()) && signedBy(top, top)) {
            return;
        }
        boolean linksToKnownRoot = knownRoots().stream()
                .anyMatch(root ->
                        top.getIssuerX500Principal().equals(root.getSubjectX500Principal()) && signedBy(top, root));
        if (!linksToKnownRoot) {
            throw new CertificateRefusedException(
                    Reason.CHAIN_BROKEN,
                    "the chain ends at "
                            + top.getSubjectX500Principal() + " whose issuer " + top.getIssuerX500Principal()
                            + " is neither included nor a known root; add the missing intermediate(s)");
        }
    }

    private List<X509Certificate> knownRoots() {
        List<X509Certificate> roots = new ArrayList<>();
        trustedRoots.forEach(source -> roots.addAll(source.roots()));
        roots.addAll(JvmRoots.ROOTS);
        return roots;
    }

    private static boolean signedBy(X509Certificate child, X509Certificate parent) {
        try {
            child.verify(parent.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The JVM's default trust anchors, loaded once. */
    private static final class JvmRoots {
        static final List<X509Certificate> ROOTS = load();

        private static List<X509Certificate> load() {
            try {
                javax.net.ssl.TrustManagerFactory factory = javax.net.ssl.TrustManagerFactory.getInstance(
                        javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
                factory.init((KeyStore) null);
                List<X509Certificate> roots = new ArrayList<>();
                for (javax.net.ssl.TrustManager manager : factory.getTrustManagers()) {
                    if (manager instanceof javax.net.ssl.X509TrustManager x509) {
                        roots.addAll(Arrays.asList(x509.getAcceptedIssuers()));
                    }
                }
                return List.copyOf(roots);
            } catch (GeneralSecurityException e) {
                log.warn("cannot load the JVM trust anchors: {}", e.toString());
                return List.of();
            }
        }
    }
}
