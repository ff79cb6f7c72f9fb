package io.certloop.issuance.ca;

import io.certloop.custody.KeyCustody;
import io.certloop.custody.KeyRef;
import io.certloop.issuance.CertificateIssuer;
import io.certloop.issuance.HostCsr;
import io.certloop.issuance.IssuanceProperties;
import io.certloop.issuance.IssuanceRejectedException;
import io.certloop.issuance.IssuanceStep;
import io.certloop.issuance.IssueRequest;
import io.certloop.issuance.IssuedCertificate;
import io.certloop.issuance.IssuedCertificateStore;
import io.certloop.issuance.RevocationReason;
import io.certloop.issuance.TrustedRoots;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The {@code internal-ca} replacement path: issues at once from CertLoop's own CA under a configured
 * profile, and revokes, so that revocation runbooks can be exercised end to end with CertLoop's
 * own CRL and OCSP responder.
 */
public class InternalCaIssuer implements CertificateIssuer, TrustedRoots {

    public static final String PATH = "internal-ca";

    private static final Logger log = LoggerFactory.getLogger(InternalCaIssuer.class);
    private static final Pattern DNS_NAME =
            Pattern.compile("^(\\*\\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$");
    private static final Pattern IP_LITERAL = Pattern.compile("^[0-9.]+$|^[0-9a-f:]*:[0-9a-f:.]*$");

    private final CertificateAuthority ca;
    private final KeyCustody custody;
    private final IssuedCertificateStore store;
    private final IssuanceProperties properties;

    InternalCaIssuer(
            CertificateAuthority ca, KeyCustody custody, IssuedCertificateStore store, IssuanceProperties properties) {
        this.ca = ca;
        this.custody = custody;
        this.store = store;
        this.properties = properties;
    }

    @Override
    public String replacementPath() {
        return PATH;
    }

    @Override
    public IssuanceStep begin(IssueRequest request) {
        IssuedCertificate certificate = issue(request);
        return new IssuanceStep.Issued(certificate.id(), certificate);
    }

    @Override
    public IssuanceStep poll(String requestId) {
        return store.findById(requestId)
                .filter(c -> PATH.equals(c.issuer()))
                .map(c -> (IssuanceStep) new IssuanceStep.Issued(requestId, c))
                .orElseThrow(() -> new IssuanceRejectedException("no internal-ca certificate " + requestId));
    }

    /** Issues under the request's profile; the same idempotency key returns the first certificate. */
    @Override
    public IssuedCertificate issue(IssueRequest request) {
        Optional<IssuedCertificate> existing = store.findByIdempotencyKey(PATH, request.idempotencyKey());
        if (existing.isPresent()) {
            return existing.get();
        }
        for (String name : request.names()) {
            if (!DNS_NAME.matcher(name).matches() && !isIpLiteral(name)) {
                throw new IssuanceRejectedException("'" + name + "' is not a valid DNS name or IP address");
            }
        }
        IssuanceProperties.Profile profile = properties.permitted(request);
        KeyRef key;
        if (request.keyHeldElsewhere()) {
            // the key stays on the service's host: only its public half, proved by the CSR's signature, is used
            HostCsr csr = HostCsr.parse(request.csrPem(), profile.keyType());
            key = new KeyRef(csr.keyId(), csr.keySpec(), csr.publicKey());
        } else {
            key = request.keyId() != null
                    ? custody.get(request.keyId())
                    : custody.generate(request.keySpec() != null ? request.keySpec() : profile.keyType());
        }
        X509Certificate leaf = ca.issueLeaf(key.publicKey(), key.algorithm(), request.names(), profile.validity());
        IssuedCertificate saved = store.save(
                PATH,
                request.idempotencyKey(),
                request.endpointName(),
                request.profile(),
                key.id(),
                leaf,
                List.of(ca.material().intermediate()));
        log.info(
                "internal CA issued {} for endpoint {} names {} profile {}: serial {} sha256 {} notAfter {}",
                saved.id(),
                request.endpointName(),
                request.names(),
                request.profile(),
                saved.serial(),
                saved.sha256(),
                saved.notAfter());
        return saved;
    }

    /**
     * Revokes a certificate this CA issued (serial as lower-case hex). Takes effect in the next CRL
     * and OCSP answer. Unknown serials are refused.
     */
    public void revoke(String serialHex, RevocationReason reason) {
        String serial = serialHex.toLowerCase(java.util.Locale.ROOT).replaceFirst("^0+(?=.)", "");
        if (!store.revoke(PATH, serial, reason)) {
            throw new IssuanceRejectedException("the internal CA never issued serial " + serialHex);
        }
        ca.forgetOcsp(serial);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            // an OCSP request between now and the commit would cache the old status again
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    ca.forgetOcsp(serial);
                }
            });
        }
        log.info("internal CA revoked serial {} ({})", serial, reason);
    }

    /** The root certificate relying parties must trust. */
    public X509Certificate rootCertificate() {
        return ca.material().root();
    }

    /** The issuing intermediate (sent in every chain). */
    public X509Certificate intermediateCertificate() {
        return ca.material().intermediate();
    }

    @Override
    public List<X509Certificate> roots() {
        return List.of(rootCertificate());
    }

    static boolean isIpLiteral(String name) {
        return IP_LITERAL.matcher(name).matches();
    }
}
