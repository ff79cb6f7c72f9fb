package io.certloop.issuance.ca;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.certloop.custody.KeyCustody;
import io.certloop.custody.KeyRef;
import io.certloop.custody.KeySpec;
import io.certloop.issuance.IssuedCertificateStore;
import io.certloop.issuance.IssuedCertificateStore.Revocation;
import io.certloop.issuance.IssuedCertificateStore.SerialStatus;
import io.certloop.system.Fingerprints;
import io.certloop.system.Pem;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.cert.ocsp.jcajce.JcaBasicOCSPRespBuilder;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * CertLoop's own two-level CA: a root and one issuing intermediate, created at first start, keys in
 * custody, certificates in {@code ca_certificate}. Signs leaves, CRLs and OCSP responses (the
 * intermediate answers OCSP for its own certificates, so no delegated responder is needed).
 */
class CertificateAuthority {

    static final String ISSUER = InternalCaIssuer.PATH;
    private static final Logger log = LoggerFactory.getLogger(CertificateAuthority.class);
    private static final Duration BACKDATE = Duration.ofMinutes(5);
    /** Most certificates one OCSP request may ask about (RFC 6960 sets no limit; relying parties ask about one). */
    static final int MAX_OCSP_CERT_IDS = 10;
    /** Serials (and single-certificate answers) the OCSP responder remembers. */
    private static final int OCSP_CACHE_ENTRIES = 10_000;

    /** The CA certificates and custody ids of their keys. */
    record Material(X509Certificate root, String rootKeyId, X509Certificate intermediate, String intermediateKeyId) {}

    private final JdbcTemplate jdbc;
    private final KeyCustody custody;
    private final IssuedCertificateStore store;
    private final PkiProperties pki;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private volatile Material material;
    private final Cache<String, Optional<SerialStatus>> ocspStatuses;
    private final Cache<String, byte[]> ocspAnswers;

    CertificateAuthority(
            JdbcTemplate jdbc, KeyCustody custody, IssuedCertificateStore store, PkiProperties pki, Clock clock) {
        this.jdbc = jdbc;
        this.custody = custody;
        this.store = store;
        this.pki = pki;
        this.clock = clock;
        this.ocspStatuses = Caffeine.newBuilder()
                .maximumSize(OCSP_CACHE_ENTRIES)
                .expireAfterWrite(pki.ocspCache())
                .build();
        this.ocspAnswers = Caffeine.newBuilder()
                .maximumSize(OCSP_CACHE_ENTRIES)
                .expireAfterWrite(pki.ocspCache())
                .build();
    }

    /** Loads the CA, creating root and intermediate on first use. Safe when several nodes start at once. */
    Material material() {
        Material current = material;
        if (current == null) {
            synchronized (this) {
                if (material == null) {
                    material = loadOrCreate();
                }
                current = material;
            }
        }
        return current;
    }

    private Material loadOrCreate() {
        Stored root = load("ROOT").orElseGet(this::createRoot);
        Stored intermediate = load("INTERMEDIATE").orElseGet(() -> createIntermediate(root));
        return new Material(root.certificate(), root.keyId(), intermediate.certificate(), intermediate.keyId());
    }

    private record Stored(X509Certificate certificate, String keyId) {}

    private Optional<Stored> load(String role) {
        return jdbc
                .query(
                        "SELECT certificate_pem, key_id FROM ca_certificate WHERE role = ?",
                        (rs, row) -> new Stored(Pem.parseCertificate(rs.getString(1)), rs.getString(2)),
                        role)
                .stream()
                .findFirst();
    }

    private Stored save(String role, X509Certificate certificate, String keyId) {
        try {
            jdbc.update(
                    "INSERT INTO ca_certificate (role, key_id, certificate_pem, created_at) VALUES (?, ?, ?, ?)",
                    role,
                    keyId,
                    Pem.toPem(certificate),
                    Timestamp.from(clock.instant()));
            log.info(
                    "created internal CA {} certificate {} (sha256 {})",
                    role.toLowerCase(),
                    certificate.getSubjectX500Principal(),
                    Fingerprints.sha256Hex(certificate));
            return new Stored(certificate, keyId);
        } catch (DuplicateKeyException e) {
            return load(role).orElseThrow(() -> e);
        }
    }

    private Stored createRoot() {
        KeyRef key = custody.generate(KeySpec.EC_P256, "ca-root");
        X500Name name = name(pki.caName() + " Root CA");
        Instant now = clock.instant();
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                            name,
                            serial(),
                            Date.from(now.minus(BACKDATE)),
                            Date.from(now.plus(pki.rootValidity())),
                            name,
                            key.publicKey())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(
                            Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(key.publicKey()));
            return save("ROOT", sign(builder, key.id()), key.id());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot create the internal root CA", e);
        }
    }

    private Stored createIntermediate(Stored root) {
        KeyRef key = custody.generate(KeySpec.EC_P256, "ca-intermediate");
        Instant now = clock.instant();
        Instant notAfter = min(
                now.plus(pki.intermediateValidity()),
                root.certificate().getNotAfter().toInstant());
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                            root.certificate(),
                            serial(),
                            Date.from(now.minus(BACKDATE)),
                            Date.from(notAfter),
                            name(pki.caName() + " Issuing CA 1"),
                            key.publicKey())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(
                            Extension.keyUsage,
                            true,
                            new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature))
                    .addExtension(
                            Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(key.publicKey()))
                    .addExtension(
                            Extension.authorityKeyIdentifier,
                            false,
                            utils.createAuthorityKeyIdentifier(root.certificate()))
                    .addExtension(
                            Extension.authorityInfoAccess,
                            false,
                            new AuthorityInformationAccess(AccessDescription.id_ad_caIssuers, uri(pki.rootUrl())));
            return save("INTERMEDIATE", sign(builder, root.keyId()), key.id());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot create the internal intermediate CA", e);
        }
    }

    /** Signs a server certificate for the names with the intermediate. */
    X509Certificate issueLeaf(PublicKey publicKey, KeySpec keySpec, List<String> names, Duration validity) {
        Material ca = material();
        Instant now = clock.instant();
        Instant notAfter =
                min(now.plus(validity), ca.intermediate().getNotAfter().toInstant());
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            int usage =
                    KeyUsage.digitalSignature | (keySpec.jcaAlgorithm().equals("RSA") ? KeyUsage.keyEncipherment : 0);
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                            ca.intermediate(),
                            serial(),
                            Date.from(now.minus(BACKDATE)),
                            Date.from(notAfter),
                            new X500NameBuilder(BCStyle.INSTANCE)
                                    .addRDN(BCStyle.CN, names.get(0))
                                    .build(),
                            publicKey)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(usage))
                    .addExtension(
                            Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, subjectAltNames(names))
                    .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(publicKey))
                    .addExtension(
                            Extension.authorityKeyIdentifier,
                            false,
                            utils.createAuthorityKeyIdentifier(ca.intermediate()))
                    .addExtension(
                            Extension.authorityInfoAccess,
                            false,
                            new AuthorityInformationAccess(new AccessDescription[] {
                                new AccessDescription(AccessDescription.id_ad_ocsp, uri(pki.ocspUrl())),
                                new AccessDescription(AccessDescription.id_ad_caIssuers, uri(pki.intermediateUrl()))
                            }))
                    .addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[] {
                        new DistributionPoint(
                                new DistributionPointName(new GeneralNames(uri(pki.crlUrl()))), null, null)
                    }));
            return sign(builder, ca.intermediateKeyId());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot sign a certificate for " + names, e);
        }
    }

    /** The current CRL (DER), signed by the intermediate, valid for {@code certloop.pki.crl-validity}. */
    byte[] crl() {
        Material ca = material();
        Instant now = clock.instant();
        try {
            JcaX509v2CRLBuilder builder = new JcaX509v2CRLBuilder(ca.intermediate(), Date.from(now));
            builder.setNextUpdate(Date.from(now.plus(pki.crlValidity())));
            for (Revocation revocation : store.revokedUnexpired(ISSUER)) {
                builder.addCRLEntry(
                        new BigInteger(revocation.serial(), 16),
                        Date.from(revocation.revokedAt()),
                        revocation.reason().code());
            }
            builder.addExtension(
                    Extension.authorityKeyIdentifier,
                    false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca.intermediate()));
            builder.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(now.toEpochMilli())));
            return builder.build(custody.contentSigner(ca.intermediateKeyId())).getEncoded();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build the CRL", e);
        }
    }

    /**
     * Answers an OCSP request (DER) from the issued-certificates table: good, revoked (with time and
     * reason) or unknown (not ours, or never issued). A malformed request, or one asking about more than
     * {@value #MAX_OCSP_CERT_IDS} certificates, gets MALFORMED_REQUEST.
     *
     * <p>Bounded work: what the table says about a serial is kept for {@code certloop.pki.ocsp-cache}, and so is
     * the whole signed answer to a request about one certificate without a nonce (what relying parties send),
     * so repeating a request costs neither a query nor a signature. {@link #forgetOcsp} drops both at revocation.
     */
    byte[] ocsp(byte[] requestDer) {
        try {
            OCSPReq request;
            try {
                request = new OCSPReq(requestDer);
            } catch (IOException | RuntimeException e) {
                return malformedOcspRequest();
            }
            Req[] singles = request.getRequestList();
            if (singles.length == 0 || singles.length > MAX_OCSP_CERT_IDS) {
                return malformedOcspRequest();
            }
            Extension nonce = request.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
            if (singles.length == 1 && nonce == null) {
                CertificateID id = singles[0].getCertID();
                String key = serialKey(id.getSerialNumber()) + "|"
                        + HexFormat.of().formatHex(id.toASN1Primitive().getEncoded());
                byte[] cached = ocspAnswers.getIfPresent(key);
                if (cached != null) {
                    return cached;
                }
                byte[] answer = signOcsp(singles, null);
                ocspAnswers.put(key, answer);
                return answer;
            }
            return signOcsp(singles, nonce);
        } catch (OCSPException | OperatorCreationException | GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot answer an OCSP request", e);
        }
    }

    /** Revocation takes effect in the next OCSP answer about this serial (lower-case hex, no leading zeros). */
    void forgetOcsp(String serialHex) {
        ocspStatuses.invalidate(serialHex);
        ocspAnswers.asMap().keySet().removeIf(key -> key.startsWith(serialHex + "|"));
    }

    private byte[] signOcsp(Req[] singles, Extension nonce)
            throws OCSPException, OperatorCreationException, GeneralSecurityException, IOException {
        Material ca = material();
        X509CertificateHolder issuer = new JcaX509CertificateHolder(ca.intermediate());
        DigestCalculatorProvider digests = new JcaDigestCalculatorProviderBuilder().build();
        BasicOCSPRespBuilder builder =
                new JcaBasicOCSPRespBuilder(ca.intermediate().getPublicKey(), digests.get(CertificateID.HASH_SHA1));
        Date thisUpdate = Date.from(clock.instant());
        Date nextUpdate = Date.from(clock.instant().plus(pki.ocspValidity()));
        for (Req single : singles) {
            CertificateID id = single.getCertID();
            builder.addResponse(id, status(id, issuer, digests), thisUpdate, nextUpdate, null);
        }
        if (nonce != null) {
            builder.setResponseExtensions(new Extensions(nonce));
        }
        BasicOCSPResp basic = builder.build(
                custody.contentSigner(ca.intermediateKeyId()), new X509CertificateHolder[] {issuer}, thisUpdate);
        return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
    }

    private static byte[] malformedOcspRequest() throws OCSPException, IOException {
        return new OCSPRespBuilder()
                .build(OCSPRespBuilder.MALFORMED_REQUEST, null)
                .getEncoded();
    }

    private static String serialKey(BigInteger serial) {
        return serial.toString(16);
    }

    private CertificateStatus status(CertificateID id, X509CertificateHolder issuer, DigestCalculatorProvider digests)
            throws OCSPException {
        if (!id.matchesIssuer(issuer, digests)) {
            return new UnknownStatus();
        }
        String serial = serialKey(id.getSerialNumber());
        Optional<SerialStatus> status = ocspStatuses.get(serial, key -> store.status(ISSUER, key));
        if (status.isEmpty()) {
            return new UnknownStatus();
        }
        return status.get()
                .revocation()
                .<CertificateStatus>map(r ->
                        new RevokedStatus(Date.from(r.revokedAt()), r.reason().code()))
                .orElse(CertificateStatus.GOOD);
    }

    private X509Certificate sign(X509v3CertificateBuilder builder, String signerKeyId) throws GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(builder.build(custody.contentSigner(signerKeyId)));
    }

    private BigInteger serial() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        bytes[0] &= 0x7f;
        bytes[0] |= 0x01;
        return new BigInteger(1, bytes);
    }

    private static X500Name name(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, "CertLoop")
                .addRDN(BCStyle.CN, commonName)
                .build();
    }

    private static GeneralName uri(String value) {
        return new GeneralName(GeneralName.uniformResourceIdentifier, value);
    }

    private static GeneralNames subjectAltNames(List<String> names) throws IOException {
        List<GeneralName> result = new ArrayList<>();
        for (String name : names) {
            if (InternalCaIssuer.isIpLiteral(name)) {
                result.add(new GeneralName(
                        GeneralName.iPAddress,
                        new DEROctetString(InetAddress.getByName(name).getAddress())));
            } else {
                result.add(new GeneralName(GeneralName.dNSName, name));
            }
        }
        return new GeneralNames(result.toArray(GeneralName[]::new));
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
