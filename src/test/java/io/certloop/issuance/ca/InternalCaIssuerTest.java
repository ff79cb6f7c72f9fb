package io.certloop.issuance.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.certloop.custody.CustodyFixtures;
import io.certloop.custody.KeyCustody;
import io.certloop.custody.KeySpec;
import io.certloop.issuance.IssuanceProperties;
import io.certloop.issuance.IssuanceRejectedException;
import io.certloop.issuance.IssueRequest;
import io.certloop.issuance.IssuedCertificate;
import io.certloop.issuance.IssuedCertificateStore;
import io.certloop.issuance.RevocationReason;
import io.certloop.support.TestDatabase;
import io.certloop.system.Fingerprints;
import io.certloop.system.Pem;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

class InternalCaIssuerTest {

    static final Instant NOW = Instant.parse("2030-01-15T10:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final IssuanceProperties PROFILES = new IssuanceProperties(
            Map.of(
                    "standard",
                            new IssuanceProperties.Profile(
                                    Duration.ofDays(90), KeySpec.EC_P256, List.of("example.test")),
                    "emergency",
                            new IssuanceProperties.Profile(
                                    Duration.ofDays(7), KeySpec.EC_P256, List.of("example.test")),
                    "legacy",
                            new IssuanceProperties.Profile(
                                    Duration.ofDays(30), KeySpec.RSA_3072, List.of("example.test"))),
            Duration.ofSeconds(30));

    private JdbcTemplate jdbc;
    private KeyCustody custody;
    private CertificateAuthority ca;
    private InternalCaIssuer issuer;

    @BeforeEach
    void setUp() {
        jdbc = TestDatabase.migrated();
        custody = CustodyFixtures.custody(jdbc, CLOCK);
        IssuedCertificateStore store = new IssuedCertificateStore(jdbc, CLOCK);
        ca = new CertificateAuthority(
                jdbc, custody, store, PkiProperties.defaults("https://certloop.example.test"), CLOCK);
        issuer = new InternalCaIssuer(ca, custody, store, PROFILES);
    }

    @Test
    void standardCertificateChainsToTheRootAndCarriesTheProfileAndPkiPointers() throws Exception {
        IssuedCertificate issued = issuer.issue(
                IssueRequest.of("web-1", List.of("svc.example.test", "www.example.test"), "standard", "idem-1"));

        X509Certificate leaf = Pem.parseCertificate(issued.leafPem());
        X509Certificate intermediate = Pem.parseCertificate(issued.chainPems().get(0));
        X509Certificate root = issuer.rootCertificate();
        leaf.verify(intermediate.getPublicKey());
        intermediate.verify(root.getPublicKey());
        root.verify(root.getPublicKey());
        assertThat(intermediate.getBasicConstraints()).isZero();
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(Duration.between(NOW, leaf.getNotAfter().toInstant())).isEqualTo(Duration.ofDays(90));
        assertThat(leaf.getNotBefore().toInstant()).isBefore(NOW);
        assertThat(leaf.getSubjectAlternativeNames().stream()
                        .map(san -> (Object) san.get(1))
                        .toList())
                .containsExactly("svc.example.test", "www.example.test");
        assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(leaf.getPublicKey()).isInstanceOf(ECPublicKey.class);
        assertThat(leaf.getPublicKey().getEncoded())
                .isEqualTo(custody.get(issued.keyId()).publicKey().getEncoded());

        AuthorityInformationAccess aia = AuthorityInformationAccess.getInstance(new JcaX509CertificateHolder(leaf)
                .getExtension(Extension.authorityInfoAccess)
                .getParsedValue());
        assertThat(aia.getAccessDescriptions())
                .extracting(
                        d -> d.getAccessMethod() + " " + d.getAccessLocation().getName())
                .containsExactly(
                        AccessDescription.id_ad_ocsp + " https://certloop.example.test/pki/ocsp",
                        AccessDescription.id_ad_caIssuers + " https://certloop.example.test/pki/intermediate.crt");
        CRLDistPoint crlDp = CRLDistPoint.getInstance(new JcaX509CertificateHolder(leaf)
                .getExtension(Extension.cRLDistributionPoints)
                .getParsedValue());
        GeneralNames crlNames = (GeneralNames)
                crlDp.getDistributionPoints()[0].getDistributionPoint().getName();
        assertThat(crlNames.getNames()[0].getName().toString()).isEqualTo("https://certloop.example.test/pki/crl");

        assertThat(issued.sha256()).isEqualTo(Fingerprints.sha256Hex(leaf)).matches("[0-9a-f]{64}");
        assertThat(issued.serial()).isEqualTo(leaf.getSerialNumber().toString(16));
        assertThat(issued.notAfter()).isEqualTo(leaf.getNotAfter().toInstant());
        assertThat(issued.fullChainPem())
                .isEqualTo(issued.leafPem() + issued.chainPems().get(0));
    }

    @Test
    void emergencyProfileIsShortLivedAndConstrainedToItsDomains() throws Exception {
        IssuedCertificate issued =
                issuer.issue(IssueRequest.of("web-1", List.of("api.example.test"), "emergency", "e-1"));
        assertThat(Duration.between(NOW, issued.notAfter())).isEqualTo(Duration.ofDays(7));

        assertThatThrownBy(() -> issuer.issue(
                        IssueRequest.of("web-2", List.of("api.example.test", "evil.other.test"), "emergency", "e-2")))
                .isInstanceOf(IssuanceRejectedException.class)
                .hasMessageContaining("may not issue for 'evil.other.test'");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM issued_certificate", Integer.class))
                .isEqualTo(1);
    }

    @Test
    void profileKeyTypeIsUsedUnlessTheRequestNamesAnother() {
        IssuedCertificate rsa = issuer.issue(IssueRequest.of("legacy-1", List.of("old.example.test"), "legacy", "l-1"));
        IssuedCertificate ec = issuer.issue(
                new IssueRequest("legacy-2", List.of("old.example.test"), "legacy", null, KeySpec.EC_P256, "l-2"));

        assertThat(((RSAPublicKey) Pem.parseCertificate(rsa.leafPem()).getPublicKey())
                        .getModulus()
                        .bitLength())
                .isEqualTo(3072);
        assertThat(Pem.parseCertificate(ec.leafPem()).getPublicKey()).isInstanceOf(ECPublicKey.class);
    }

    @Test
    void unknownProfileAndInvalidNamesAreRefused() {
        assertThatThrownBy(() -> issuer.issue(IssueRequest.of("x", List.of("a.example.test"), "gold", "u-1")))
                .isInstanceOf(IssuanceRejectedException.class)
                .hasMessageContaining("unknown issuance profile 'gold'");
        assertThatThrownBy(() -> issuer.issue(IssueRequest.of("x", List.of("bad name!"), "standard", "u-2")))
                .isInstanceOf(IssuanceRejectedException.class)
                .hasMessageContaining("not a valid DNS name");
    }

    @Test
    void sameIdempotencyKeyReturnsTheFirstCertificateWithoutMintingAgain() {
        IssueRequest request = IssueRequest.of("web-1", List.of("svc.example.test"), "standard", "idem-twice");

        IssuedCertificate first = issuer.issue(request);
        IssuedCertificate second = issuer.issue(request);

        assertThat(second).isEqualTo(first);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM issued_certificate", Integer.class))
                .isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM custody_key WHERE purpose = 'certificate'", Integer.class))
                .isEqualTo(1);
    }

    @Test
    void requestedCustodyKeyIsCertified() {
        String keyId = custody.generate(KeySpec.EC_P256).id();
        IssuedCertificate issued =
                issuer.issue(new IssueRequest("web-1", List.of("svc.example.test"), null, keyId, null, "with-key"));
        assertThat(issued.keyId()).isEqualTo(keyId);
    }

    @Test
    void aCsrFromAnAgentsHostIsCertifiedForItsKeyAndTheInventorysNamesAndNoKeyEntersCustody() throws Exception {
        java.io.ByteArrayOutputStream hostKey = new java.io.ByteArrayOutputStream();
        String csr = io.certloop.custody.HostKeys.generate(KeySpec.EC_P256, List.of("svc.example.test"), hostKey);

        IssuedCertificate issued = issuer.issue(
                IssueRequest.forCsr("web-1", List.of("svc.example.test", "www.example.test"), null, "csr-1", csr));

        java.security.cert.X509Certificate leaf = io.certloop.system.Pem.parseCertificate(issued.leafPem());
        io.certloop.issuance.HostCsr parsed = io.certloop.issuance.HostCsr.parse(csr, KeySpec.EC_P256);
        assertThat(leaf.getPublicKey().getEncoded())
                .isEqualTo(parsed.publicKey().getEncoded());
        assertThat(leaf.getSubjectAlternativeNames()).hasSize(2);
        assertThat(issued.keyId()).startsWith("host-").isEqualTo(parsed.keyId()).hasSize(64);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM custody_key WHERE purpose = 'certificate'", Integer.class))
                .as("the key stays on the host")
                .isZero();
        assertThat(hostKey.toString(java.nio.charset.StandardCharsets.US_ASCII)).contains("PRIVATE KEY");
    }

    @Test
    void aCsrWithAnotherKeyTypeThanTheProfilesOrABrokenSignatureIsRefused() throws Exception {
        String rsa = io.certloop.custody.HostKeys.generate(
                KeySpec.RSA_2048, List.of("svc.example.test"), new java.io.ByteArrayOutputStream());
        assertThatThrownBy(() ->
                        issuer.issue(IssueRequest.forCsr("web-1", List.of("svc.example.test"), null, "csr-rsa", rsa)))
                .isInstanceOf(IssuanceRejectedException.class)
                .hasMessageContaining("RSA_2048");
        String ec = io.certloop.custody.HostKeys.generate(
                KeySpec.EC_P256, List.of("svc.example.test"), new java.io.ByteArrayOutputStream());
        byte[] der = java.util.Base64.getMimeDecoder()
                .decode(ec.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
        der[der.length - 5] ^= 0x01; // inside the signature
        String tampered = io.certloop.system.Pem.encode("CERTIFICATE REQUEST", der);
        assertThatThrownBy(() -> issuer.issue(
                        IssueRequest.forCsr("web-1", List.of("svc.example.test"), null, "csr-bad", tampered)))
                .isInstanceOf(IssuanceRejectedException.class);
    }

    @Test
    void ocspAnswersGoodThenRevokedWithReasonAndUnknownForForeignSerials() throws Exception {
        IssuedCertificate issued =
                issuer.issue(IssueRequest.of("web-1", List.of("svc.example.test"), "standard", "o-1"));
        BigInteger serial = new BigInteger(issued.serial(), 16);

        SingleResp good = ocsp(serial);
        assertThat(good.getCertStatus()).isNull(); // CertificateStatus.GOOD

        issuer.revoke(issued.serial(), RevocationReason.KEY_COMPROMISE);

        SingleResp revoked = ocsp(serial);
        assertThat(revoked.getCertStatus()).isInstanceOf(RevokedStatus.class);
        assertThat(((RevokedStatus) revoked.getCertStatus()).getRevocationReason())
                .isEqualTo(1);
        assertThat(ocsp(BigInteger.valueOf(42)).getCertStatus()).isInstanceOf(UnknownStatus.class);
        assertThatThrownBy(() -> issuer.revoke("abcdef", RevocationReason.SUPERSEDED))
                .isInstanceOf(IssuanceRejectedException.class);
    }

    @Test
    void malformedOcspRequestGetsMalformedRequestStatus() throws Exception {
        assertThat(new OCSPResp(ca.ocsp(new byte[] {1, 2, 3})).getStatus()).isEqualTo(1);
    }

    @Test
    void crlIsSignedByTheIntermediateListsRevocationsAndHasANextUpdate() throws Exception {
        IssuedCertificate kept = issuer.issue(IssueRequest.of("web-1", List.of("a.example.test"), "standard", "c-1"));
        IssuedCertificate revoked =
                issuer.issue(IssueRequest.of("web-2", List.of("b.example.test"), "standard", "c-2"));
        issuer.revoke(revoked.serial(), RevocationReason.SUPERSEDED);

        X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(ca.crl()));

        crl.verify(issuer.intermediateCertificate().getPublicKey());
        assertThat(crl.getIssuerX500Principal())
                .isEqualTo(issuer.intermediateCertificate().getSubjectX500Principal());
        assertThat(crl.getNextUpdate().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(1)));
        assertThat(crl.getRevokedCertificate(new BigInteger(revoked.serial(), 16)))
                .isNotNull();
        assertThat(crl.getRevokedCertificate(new BigInteger(kept.serial(), 16))).isNull();
    }

    @Test
    void caIsCreatedOnceAndReloadedFromTheDatabase() {
        X509Certificate root = issuer.rootCertificate();
        CertificateAuthority restarted = new CertificateAuthority(
                jdbc,
                custody,
                new IssuedCertificateStore(jdbc, CLOCK),
                PkiProperties.defaults("https://certloop.example.test"),
                CLOCK);

        assertThat(restarted.material().root()).isEqualTo(root);
        assertThat(restarted.material().intermediate()).isEqualTo(issuer.intermediateCertificate());
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM ca_certificate", Integer.class))
                .isEqualTo(2);
        assertThat(jdbc.queryForList("SELECT purpose FROM custody_key ORDER BY purpose", String.class))
                .containsExactly("ca-intermediate", "ca-root");
    }

    private SingleResp ocsp(BigInteger serial) throws Exception {
        CertificateID id = new CertificateID(
                new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                new JcaX509CertificateHolder(issuer.intermediateCertificate()),
                serial);
        byte[] nonce = new byte[] {9, 8, 7, 6, 5, 4, 3, 2};
        byte[] request = new OCSPReqBuilder()
                .addRequest(id)
                .setRequestExtensions(new org.bouncycastle.asn1.x509.Extensions(
                        new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false, new DEROctetString(nonce))))
                .build()
                .getEncoded();
        OCSPResp response = new OCSPResp(ca.ocsp(request));
        assertThat(response.getStatus()).isEqualTo(OCSPResp.SUCCESSFUL);
        BasicOCSPResp basic = (BasicOCSPResp) response.getResponseObject();
        assertThat(basic.isSignatureValid(new JcaContentVerifierProviderBuilder()
                        .build(issuer.intermediateCertificate().getPublicKey())))
                .isTrue();
        assertThat(basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce)
                        .getExtnValue()
                        .getOctets())
                .isEqualTo(new DEROctetString(nonce).getOctets());
        return basic.getResponses()[0];
    }
}
