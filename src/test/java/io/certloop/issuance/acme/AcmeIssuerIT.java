package io.certloop.issuance.acme;

import static org.assertj.core.api.Assertions.assertThat;

import io.certloop.issuance.IssuanceStep;
import io.certloop.issuance.IssueRequest;
import io.certloop.issuance.IssuedCertificate;
import io.certloop.support.PebbleServer;
import io.certloop.system.Fingerprints;
import io.certloop.system.Pem;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
}
