package io.certloop.issuance.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.certloop.custody.HostKeys;
import io.certloop.custody.KeySpec;
import io.certloop.issuance.IssuanceRejectedException;
import io.certloop.issuance.IssuanceStep;
import io.certloop.issuance.IssueRequest;
import io.certloop.issuance.IssuedCertificate;
import io.certloop.support.PebbleServer;
import io.certloop.system.Fingerprints;
import io.certloop.system.Pem;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ACME issuance against a real Debian pebble process (validation always succeeds here). */
class AcmeIssuerIT {

    private static PebbleServer pebble;

    @BeforeAll
    static void startPebble() {
        pebble = PebbleServer.startAlwaysValid();
    }

    @AfterAll
    static void stopPebble() {
        pebble.close();
    }

    @Test
    void synchronousIssueReturnsAChainForTheCustodyKeyAndIsIdempotent() throws Exception {
        AcmeFixture fixture = new AcmeFixture(pebble.directoryUrl(), pebble.caFile(), Duration.ofSeconds(60));
        IssueRequest request =
                IssueRequest.of("web-1", List.of("svc.example.test", "www.example.test"), "standard", "acme-sync");

        IssuedCertificate issued = fixture.issuer.issue(request);

        X509Certificate leaf = Pem.parseCertificate(issued.leafPem());
        assertThat(leaf.getSubjectAlternativeNames())
                .extracting(san -> (Object) san.get(1))
                .containsExactlyInAnyOrder("svc.example.test", "www.example.test");
        assertThat(leaf.getPublicKey().getEncoded())
                .isEqualTo(fixture.custody.get(issued.keyId()).publicKey().getEncoded());
        assertThat(issued.chainPems()).isNotEmpty();
        leaf.verify(Pem.parseCertificate(issued.chainPems().get(0)).getPublicKey());
        assertThat(issued.sha256()).isEqualTo(Fingerprints.sha256Hex(leaf));
        assertThat(issued.notAfter()).isAfter(Instant.now());

        assertThat(fixture.issuer.issue(request)).as("same idempotency key").isEqualTo(issued);
        assertThat(fixture.jdbc.queryForObject("SELECT COUNT(*) FROM issued_certificate", Integer.class))
                .isEqualTo(1);
        assertThat(fixture.jdbc.queryForObject("SELECT COUNT(*) FROM acme_challenge", Integer.class))
                .as("challenge answers are cleaned up")
                .isZero();
    }

    @Test
    void beginThenPollFromARestartedIssuerRebindsTheStoredOrder() {
        AcmeFixture fixture = new AcmeFixture(pebble.directoryUrl(), pebble.caFile(), Duration.ofSeconds(60));
        IssueRequest request = IssueRequest.of("web-2", List.of("api.example.test"), "standard", "acme-async");

        IssuanceStep step = fixture.issuer.begin(request);
        String orderUrl = fixture.jdbc.queryForObject(
                "SELECT order_url FROM issuance_request WHERE id = ?", String.class, step.requestId());
        assertThat(orderUrl).startsWith("https://localhost:");

        AcmeIssuer afterRestart = fixture.restarted();
        Instant deadline = Instant.now().plusSeconds(60);
        while (step instanceof IssuanceStep.Pending pending && Instant.now().isBefore(deadline)) {
            assertThat(pending.pollAfter()).isNotNull();
            step = afterRestart.poll(pending.requestId());
        }

        assertThat(step).isInstanceOf(IssuanceStep.Issued.class);
        IssuedCertificate issued = ((IssuanceStep.Issued) step).certificate();
        assertThat(Pem.parseCertificate(issued.leafPem())
                        .getSubjectX500Principal()
                        .getName())
                .isIn("CN=api.example.test", "");
        assertThat(fixture.jdbc.queryForObject("SELECT COUNT(*) FROM acme_account", Integer.class))
                .as("one account per directory, reused")
                .isEqualTo(1);
    }

    @Test
    void aCsrFromAnAgentsHostIsFinalizedForItsKeyAndTheInventorysNamesAndNoKeyEntersCustody() throws Exception {
        AcmeFixture fixture = new AcmeFixture(pebble.directoryUrl(), pebble.caFile(), Duration.ofSeconds(60));
        List<String> names = List.of("svc.example.test", "www.example.test");
        ByteArrayOutputStream hostKey = new ByteArrayOutputStream(); // the agent's key file, kept by the test
        String csr = HostKeys.generate(KeySpec.EC_P256, names, hostKey);
        byte[] csrSpki = new PKCS10CertificationRequest(pemBody(csr))
                .getSubjectPublicKeyInfo()
                .getEncoded();

        IssuedCertificate issued =
                fixture.issuer.issue(IssueRequest.forCsr("agent-web", names, "standard", "acme-csr", csr));

        X509Certificate leaf = Pem.parseCertificate(issued.leafPem());
        assertThat(leaf.getPublicKey().getEncoded())
                .as("the CSR's key is certified")
                .isEqualTo(csrSpki);
        assertThat(leaf.getSubjectAlternativeNames())
                .extracting(san -> (Object) san.get(1))
                .containsExactlyInAnyOrderElementsOf(names);
        verifiesToPebblesRoot(leaf, issued.chainPems());
        String hostKeyId = "host-"
                + HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(csrSpki))
                        .substring(0, 59);
        assertThat(issued.keyId()).isEqualTo(hostKeyId);
        assertThat(fixture.jdbc.queryForObject(
                        "SELECT key_id FROM issued_certificate WHERE id = ?", String.class, issued.id()))
                .isEqualTo(hostKeyId);
        assertThat(fixture.custody.find(hostKeyId))
                .as("the host key is not in custody")
                .isEmpty();
        assertThat(fixture.jdbc.queryForList("SELECT purpose FROM custody_key", String.class))
                .as("custody holds the ACME account key only")
                .containsExactly("acme-account");
        // the key the host kept is the one the certificate names
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(KeyFactory.getInstance("EC")
                .generatePrivate(new PKCS8EncodedKeySpec(pemBody(hostKey.toString(StandardCharsets.US_ASCII)))));
        signer.update(names.get(0).getBytes(StandardCharsets.US_ASCII));
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(leaf.getPublicKey());
        verifier.update(names.get(0).getBytes(StandardCharsets.US_ASCII));
        assertThat(verifier.verify(signature)).isTrue();

        assertThat(fixture.issuer.issue(IssueRequest.forCsr("agent-web", names, "standard", "acme-csr", csr)))
                .as("same idempotency key")
                .isEqualTo(issued);
    }

    @Test
    void aHostCsrOfAnotherKeyTypeOtherNamesOrNamesOutsideTheProfileIsRefusedBeforeAnythingIsOrdered() throws Exception {
        AcmeFixture fixture = new AcmeFixture(pebble.directoryUrl(), pebble.caFile(), Duration.ofSeconds(60));
        List<String> names = List.of("svc.example.test");
        String rsa = HostKeys.generate(KeySpec.RSA_2048, names, new ByteArrayOutputStream());
        assertThatThrownBy(
                        () -> fixture.issuer.issue(IssueRequest.forCsr("agent-web", names, "standard", "csr-rsa", rsa)))
                .isInstanceOf(IssuanceRejectedException.class)
                .hasMessageContaining("RSA_2048")
                .hasMessageContaining("EC_P256");

        String fewerNames = HostKeys.generate(KeySpec.EC_P256, names, new ByteArrayOutputStream());
        assertThatThrownBy(() -> fixture.issuer.issue(IssueRequest.forCsr(
                        "agent-web",
                        List.of("svc.example.test", "www.example.test"),
                        "standard",
                        "csr-names",
                        fewerNames)))
                .isInstanceOf(IssuanceRejectedException.class)
                .hasMessageContaining("CSR names [svc.example.test]")
                .hasMessageContaining("[svc.example.test, www.example.test]");

        List<String> outside = List.of("svc.example.org");
        String foreign = HostKeys.generate(KeySpec.EC_P256, outside, new ByteArrayOutputStream());
        assertThatThrownBy(() -> fixture.issuer.issue(
                        IssueRequest.forCsr("agent-web", outside, "standard", "csr-outside", foreign)))
                .isInstanceOf(IssuanceRejectedException.class)
                .hasMessageContaining("may not issue for 'svc.example.org'");

        assertThat(fixture.jdbc.queryForObject("SELECT COUNT(*) FROM issuance_request", Integer.class))
                .as("no request stored")
                .isZero();
        assertThat(fixture.jdbc.queryForObject("SELECT COUNT(*) FROM acme_account", Integer.class))
                .as("the CA was not even logged in to, so nothing was ordered")
                .isZero();
        assertThat(fixture.jdbc.queryForObject("SELECT COUNT(*) FROM custody_key", Integer.class))
                .isZero();
    }

    /** PKIX path validation of the leaf and the chain pebble served, anchored at pebble's issuing root. */
    private static void verifiesToPebblesRoot(X509Certificate leaf, List<String> chainPems) throws Exception {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        X509Certificate root = (X509Certificate) factory.generateCertificate(
                new java.io.ByteArrayInputStream(pebble.issuingRootPem().getBytes(StandardCharsets.US_ASCII)));
        List<X509Certificate> path = new ArrayList<>(List.of(leaf));
        for (String pem : chainPems) {
            X509Certificate certificate = Pem.parseCertificate(pem);
            if (!certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
                path.add(certificate);
            }
        }
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(factory.generateCertPath(path), parameters);
    }

    private static byte[] pemBody(String pem) {
        return Base64.getMimeDecoder()
                .decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
    }
}
