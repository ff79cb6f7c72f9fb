package io.certloop.probe.revocation;

import io.certloop.probe.Certificates;
import io.certloop.probe.guard.ProbeRefusedException;
import io.certloop.system.Fingerprints;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.X509ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.jcajce.JcaCertificateID;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Revocation status of a leaf: CRL distribution points first (public CAs are retiring OCSP), then
 * OCSP from the AIA extension. CRLs are cached until their nextUpdate. Answers are only believed
 * when signed by the leaf's issuer (or, for OCSP, by a responder the issuer delegated to).
 */
public class RevocationChecker {

    private static final Duration NO_NEXT_UPDATE_CACHE = Duration.ofMinutes(5);
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private final RevocationFetcher fetcher;
    private final Clock clock;
    private final Map<String, CachedCrl> crls = new ConcurrentHashMap<>();

    private record CachedCrl(X509CRL crl, Instant expires) {}

    public RevocationChecker(RevocationFetcher fetcher, Clock clock) {
        this.fetcher = fetcher;
        this.clock = clock;
    }

    public Revocation check(X509Certificate leaf, X509Certificate issuer) {
        List<String> crlUrls = crlDistributionPoints(leaf);
        List<String> ocspUrls = ocspResponders(leaf);
        if (crlUrls.isEmpty() && ocspUrls.isEmpty()) {
            return Revocation.unknown("certificate names no CRL distribution point and no OCSP responder");
        }
        if (issuer == null) {
            return Revocation.unknown("issuer certificate not available to verify revocation answers");
        }
        List<String> problems = new ArrayList<>();
        for (String url : crlUrls) {
            try {
                X509CRL crl = crl(url, issuer);
                X509CRLEntry entry = crl.getRevokedCertificate(leaf.getSerialNumber());
                if (entry != null) {
                    return new Revocation(
                            Revocation.Status.REVOKED,
                            Revocation.SOURCE_CRL,
                            url,
                            entry.getRevocationDate().toInstant(),
                            "listed on the CRL");
                }
                return new Revocation(
                        Revocation.Status.GOOD, Revocation.SOURCE_CRL, url, null, "not listed on the CRL");
            } catch (IOException | GeneralSecurityException | ProbeRefusedException e) {
                problems.add("CRL " + url + ": " + e.getMessage());
            }
        }
        for (String url : ocspUrls) {
            try {
                Revocation answer = ocsp(url, leaf, issuer);
                if (answer.status() != Revocation.Status.UNKNOWN) {
                    return answer;
                }
                problems.add("OCSP " + url + ": " + answer.detail());
            } catch (IOException
                    | OCSPException
                    | OperatorCreationException
                    | GeneralSecurityException
                    | ProbeRefusedException e) {
                problems.add("OCSP " + url + ": " + e.getMessage());
            }
        }
        return Revocation.unknown(String.join("; ", problems));
    }

    private X509CRL crl(String url, X509Certificate issuer) throws IOException, GeneralSecurityException {
        Instant now = clock.instant();
        String key = url + "|" + Fingerprints.sha256Hex(issuer);
        CachedCrl cached = crls.get(key);
        if (cached != null && now.isBefore(cached.expires())) {
            return cached.crl();
        }
        byte[] bytes = fetcher.fetch(URI.create(url), null, null);
        X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(bytes));
        if (!crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            throw new GeneralSecurityException(
                    "CRL issued by " + crl.getIssuerX500Principal().getName() + ", not the leaf's issuer");
        }
        crl.verify(issuer.getPublicKey());
        Instant nextUpdate =
                crl.getNextUpdate() == null ? null : crl.getNextUpdate().toInstant();
        Instant expires = nextUpdate == null || nextUpdate.isBefore(now) ? now.plus(NO_NEXT_UPDATE_CACHE) : nextUpdate;
        crls.put(key, new CachedCrl(crl, expires));
        return crl;
    }

    private Revocation ocsp(String url, X509Certificate leaf, X509Certificate issuer)
            throws IOException, OCSPException, OperatorCreationException, GeneralSecurityException {
        CertificateID id = new JcaCertificateID(
                new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                issuer,
                leaf.getSerialNumber());
        byte[] request = new OCSPReqBuilder().addRequest(id).build().getEncoded();
        OCSPResp response = new OCSPResp(fetcher.fetch(URI.create(url), request, "application/ocsp-request"));
        if (response.getStatus() != OCSPResp.SUCCESSFUL) {
            return Revocation.unknown("responder status " + response.getStatus());
        }
        BasicOCSPResp basic = (BasicOCSPResp) response.getResponseObject();
        if (!signatureTrusted(basic, issuer)) {
            return Revocation.unknown("response not signed by the issuer or a delegated responder");
        }
        Instant now = clock.instant();
        for (SingleResp single : basic.getResponses()) {
            if (!single.getCertID().equals(id)) {
                continue;
            }
            if (single.getThisUpdate().toInstant().isAfter(now.plus(CLOCK_SKEW))
                    || (single.getNextUpdate() != null
                            && single.getNextUpdate().toInstant().isBefore(now.minus(CLOCK_SKEW)))) {
                return Revocation.unknown("stale or future OCSP answer");
            }
            CertificateStatus status = single.getCertStatus();
            if (status == CertificateStatus.GOOD) {
                return new Revocation(Revocation.Status.GOOD, Revocation.SOURCE_OCSP, url, null, "responder says good");
            }
            if (status instanceof RevokedStatus revoked) {
                return new Revocation(
                        Revocation.Status.REVOKED,
                        Revocation.SOURCE_OCSP,
                        url,
                        revoked.getRevocationTime().toInstant(),
                        "responder says revoked");
            }
            return new Revocation(
                    Revocation.Status.UNKNOWN,
                    Revocation.SOURCE_OCSP,
                    url,
                    null,
                    "responder does not know the certificate");
        }
        return Revocation.unknown("answer does not cover the certificate");
    }

    private static boolean signatureTrusted(BasicOCSPResp basic, X509Certificate issuer)
            throws OCSPException, OperatorCreationException, GeneralSecurityException {
        JcaContentVerifierProviderBuilder verifiers = new JcaContentVerifierProviderBuilder();
        if (basic.isSignatureValid(verifiers.build(issuer.getPublicKey()))) {
            return true;
        }
        for (X509CertificateHolder holder : basic.getCerts()) {
            X509Certificate responder = new JcaX509CertificateConverter().getCertificate(holder);
            List<String> usages = responder.getExtendedKeyUsage();
            if (Certificates.signedBy(responder, issuer)
                    && usages != null
                    && usages.contains(KeyPurposeId.id_kp_OCSPSigning.getId())
                    && basic.isSignatureValid(verifiers.build(responder.getPublicKey()))) {
                return true;
            }
        }
        return false;
    }

    static List<String> crlDistributionPoints(X509Certificate certificate) {
        List<String> urls = new ArrayList<>();
        byte[] value = certificate.getExtensionValue(Extension.cRLDistributionPoints.getId());
        if (value == null) {
            return urls;
        }
        try {
            CRLDistPoint points = CRLDistPoint.getInstance(JcaX509ExtensionUtils.parseExtensionValue(value));
            for (DistributionPoint point : points.getDistributionPoints()) {
                DistributionPointName name = point.getDistributionPoint();
                if (name != null && name.getType() == DistributionPointName.FULL_NAME) {
                    for (GeneralName general :
                            GeneralNames.getInstance(name.getName()).getNames()) {
                        uri(general, urls);
                    }
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            // malformed extension: treated as absent, revocation becomes UNKNOWN
        }
        return urls;
    }

    static List<String> ocspResponders(X509Certificate certificate) {
        List<String> urls = new ArrayList<>();
        byte[] value = certificate.getExtensionValue(Extension.authorityInfoAccess.getId());
        if (value == null) {
            return urls;
        }
        try {
            AuthorityInformationAccess access =
                    AuthorityInformationAccess.getInstance(JcaX509ExtensionUtils.parseExtensionValue(value));
            for (AccessDescription description : access.getAccessDescriptions()) {
                if (X509ObjectIdentifiers.ocspAccessMethod.equals(description.getAccessMethod())) {
                    uri(description.getAccessLocation(), urls);
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            // malformed extension: treated as absent
        }
        return urls;
    }

    private static void uri(GeneralName name, List<String> urls) {
        if (name.getTagNo() == GeneralName.uniformResourceIdentifier) {
            urls.add(ASN1IA5String.getInstance(name.getName()).getString());
        }
    }
}
