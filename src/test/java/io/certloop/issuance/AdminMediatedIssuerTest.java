package io.certloop.issuance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.certloop.custody.CustodyFixtures;
import io.certloop.custody.KeyCustody;
import io.certloop.custody.KeySpec;
import io.certloop.issuance.CertificateRefusedException.Reason;
import io.certloop.support.TestDatabase;
import io.certloop.system.Fingerprints;
import io.certloop.system.Pem;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

class AdminMediatedIssuerTest {

    private static final List<String> NAMES = List.of("portal.corp.test", "www.portal.corp.test");

    private final ExternalCa enterpriseCa = new ExternalCa("Enterprise");
    private final ExternalCa otherCa = new ExternalCa("Other");
    private JdbcTemplate jdbc;
    private KeyCustody custody;
    private AdminMediatedIssuer issuer;
    private String requestId;
    private PublicKey requestKey;

    @BeforeEach
    void setUp() throws Exception {
        jdbc = TestDatabase.migrated();
        custody = CustodyFixtures.custody(jdbc, Clock.systemUTC());
        IssuanceProperties properties = new IssuanceProperties(
                Map.of(
                        "standard",
                        new IssuanceProperties.Profile(Duration.ofDays(90), KeySpec.EC_P256, List.of("corp.test"))),
                Duration.ofSeconds(5));
        issuer = new AdminMediatedIssuer(
                custody,
                new IssuanceRequestStore(jdbc, Clock.systemUTC()),
                new IssuedCertificateStore(jdbc, Clock.systemUTC()),
                properties,
                List.of(() -> List.of(enterpriseCa.root)),
                Clock.systemUTC());

        IssuanceStep step = issuer.begin(IssueRequest.of("portal", NAMES, "standard", "change-42"));
        IssuanceStep.Pending pending = (IssuanceStep.Pending) step;
        assertThat(pending.awaitingAdministrator()).isTrue();
        requestId = pending.requestId();
        try (PEMParser parser = new PEMParser(new java.io.StringReader(pending.csrPem()))) {
            PKCS10CertificationRequest csr = (PKCS10CertificationRequest) parser.readObject();
            requestKey = new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest(csr).getPublicKey();
        }
    }

    @Test
    void beginHandsOutACsrForACustodyKeyAndSynchronousIssueAsksForTheAdministrator() {
        String keyId = jdbc.queryForObject("SELECT key_id FROM issuance_request WHERE id = ?", String.class, requestId);
        assertThat(custody.get(keyId).publicKey().getEncoded()).isEqualTo(requestKey.getEncoded());

        assertThatThrownBy(() -> issuer.issue(IssueRequest.of("portal", NAMES, "standard", "change-42")))
                .isInstanceOfSatisfying(AdministratorActionRequiredException.class, e -> {
                    assertThat(e.requestId()).isEqualTo(requestId);
                    assertThat(e.csrPem()).startsWith("-----BEGIN CERTIFICATE REQUEST-----");
                });
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM issuance_request", Integer.class))
                .as("same idempotency key, same request")
                .isEqualTo(1);
    }

    @Test
    void matchingCertificateWithItsChainIsAcceptedAndCompletesTheRequest() {
        X509Certificate leaf = enterpriseCa.leaf(requestKey, NAMES);

        IssuedCertificate accepted = issuer.submit(requestId, pem(leaf, enterpriseCa.intermediate, enterpriseCa.root));

        assertThat(accepted.sha256()).isEqualTo(Fingerprints.sha256Hex(leaf));
        assertThat(accepted.chainPems())
                .containsExactly(Pem.toPem(enterpriseCa.intermediate), Pem.toPem(enterpriseCa.root));
        assertThat(issuer.poll(requestId))
                .isInstanceOfSatisfying(
                        IssuanceStep.Issued.class,
                        issued -> assertThat(issued.certificate()).isEqualTo(accepted));
        assertThat(issuer.issue(IssueRequest.of("portal", NAMES, "standard", "change-42")))
                .isEqualTo(accepted);
        assertThat(issuer.submit(requestId, pem(leaf, enterpriseCa.intermediate)))
                .as("resubmission is idempotent")
                .isEqualTo(accepted);
    }

    @Test
    void chainEndingBelowAKnownRootIsAccepted() {
        X509Certificate leaf = enterpriseCa.leaf(requestKey, NAMES);
        assertThat(issuer.submit(requestId, pem(leaf, enterpriseCa.intermediate))
                        .sha256())
                .isEqualTo(Fingerprints.sha256Hex(leaf));
    }

    @Test
    void wildcardCoversOneLabel() {
        X509Certificate leaf = enterpriseCa.leaf(requestKey, List.of("portal.corp.test", "*.portal.corp.test"));
        assertThat(issuer.submit(requestId, pem(leaf, enterpriseCa.intermediate)))
                .isNotNull();
    }

    @Test
    void refusesTextThatIsNotACertificate() {
        assertRefused(Reason.UNPARSEABLE, "hello, here is the cert");
        assertRefused(Reason.UNPARSEABLE, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
    }

    @Test
    void refusesAnUnknownRequest() {
        X509Certificate leaf = enterpriseCa.leaf(requestKey, NAMES);
        assertThatThrownBy(() -> issuer.submit("req-nope", pem(leaf, enterpriseCa.intermediate)))
                .isInstanceOfSatisfying(
                        CertificateRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_REQUEST));
    }

    @Test
    void refusesACertificateForAnotherKey() {
        X509Certificate leaf = enterpriseCa.leaf(ExternalCa.ecKeys().getPublic(), NAMES);
        assertRefused(Reason.KEY_MISMATCH, pem(leaf, enterpriseCa.intermediate));
    }

    @Test
    void refusesACertificateMissingAnExpectedName() {
        X509Certificate leaf = enterpriseCa.leaf(requestKey, List.of("portal.corp.test"));
        assertThatThrownBy(() -> issuer.submit(requestId, pem(leaf, enterpriseCa.intermediate)))
                .isInstanceOfSatisfying(
                        CertificateRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.NAMES_NOT_COVERED))
                .hasMessageContaining("www.portal.corp.test");
    }

    @Test
    void refusesAnExpiredCertificate() {
        Instant now = Instant.now();
        X509Certificate leaf = enterpriseCa.leaf(requestKey, NAMES, now.minusSeconds(86400 * 10), now.minusSeconds(60));
        assertRefused(Reason.EXPIRED, pem(leaf, enterpriseCa.intermediate));
    }

    @Test
    void refusesACertificateNotYetValid() {
        Instant now = Instant.now();
        X509Certificate leaf =
                enterpriseCa.leaf(requestKey, NAMES, now.plusSeconds(86400), now.plusSeconds(86400 * 10));
        assertRefused(Reason.NOT_YET_VALID, pem(leaf, enterpriseCa.intermediate));
    }

    @Test
    void refusesALeafWithoutItsIntermediate() {
        X509Certificate leaf = enterpriseCa.leaf(requestKey, NAMES);
        assertRefused(Reason.CHAIN_BROKEN, pem(leaf));
    }

    @Test
    void refusesAChainWithTheWrongIntermediate() {
        X509Certificate leaf = enterpriseCa.leaf(requestKey, NAMES);
        assertRefused(Reason.CHAIN_BROKEN, pem(leaf, otherCa.intermediate, otherCa.root));
    }

    @Test
    void refusedSubmissionLeavesTheRequestPending() {
        X509Certificate wrong = enterpriseCa.leaf(ExternalCa.ecKeys().getPublic(), NAMES);
        assertRefused(Reason.KEY_MISMATCH, pem(wrong, enterpriseCa.intermediate));

        assertThat(issuer.poll(requestId)).isInstanceOf(IssuanceStep.Pending.class);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM issued_certificate", Integer.class))
                .isZero();
    }

    private void assertRefused(Reason reason, String pem) {
        assertThatThrownBy(() -> issuer.submit(requestId, pem))
                .isInstanceOfSatisfying(
                        CertificateRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(reason))
                .isInstanceOf(IssuanceRejectedException.class);
    }

    private static String pem(X509Certificate... certificates) {
        StringBuilder out = new StringBuilder();
        for (X509Certificate certificate : certificates) {
            out.append(Pem.toPem(certificate));
        }
        return out.toString();
    }
}
