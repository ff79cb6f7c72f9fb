package io.certloop.probe.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.certloop.probe.Finding;
import io.certloop.probe.FindingCodes;
import io.certloop.probe.ProbeReport;
import io.certloop.probe.ProbeRequest;
import io.certloop.probe.ProberFixture;
import io.certloop.probe.tls.JsseTlsProber;
import io.certloop.support.MutableClock;
import io.certloop.support.TestCertificates;
import io.certloop.support.TestCertificates.Issued;
import io.certloop.support.TestRevocationServer;
import io.certloop.support.TlsTestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Revocation over the wire: a real CRL distribution point and OCSP responder signing with the CA's key. */
class RevocationIT {

    private static final Issued ROOT =
            TestCertificates.rootCa("Revocation Test Root").selfSigned();
    private static final Issued CA =
            TestCertificates.intermediate("Revocation Test CA").signedBy(ROOT);

    private final TestRevocationServer revocation = TestRevocationServer.start(CA);
    private final MutableClock clock = new MutableClock(Instant.now());
    private final JsseTlsProber prober = ProberFixture.prober(clock, List.of(ROOT.certificate()));
    private TlsTestServer server;

    @AfterEach
    void close() {
        revocation.close();
        if (server != null) {
            server.close();
        }
    }

    private ProbeReport probe(Issued leaf) {
        if (server != null) {
            server.close();
        }
        server = TlsTestServer.start(leaf);
        return prober.probe(ProbeRequest.of("127.0.0.1", server.port(), "svc.test"));
    }

    @Test
    void askingEverySourceRecordsTheCrlAndTheOcspAnswerEvenWhenTheCrlAlreadySaysRevoked() {
        Issued leaf = TestCertificates.leaf("svc.test")
                .crl(revocation.crlUrl())
                .ocsp(revocation.ocspUrl())
                .signedBy(CA);
        revocation.revoke(leaf.serial());
        server = TlsTestServer.start(leaf);

        ProbeReport report =
                prober.probeAskingEveryRevocationSource(ProbeRequest.of("127.0.0.1", server.port(), "svc.test"));

        assertThat(report.revocation().status()).isEqualTo(Revocation.Status.REVOKED);
        assertThat(report.revocation().answers())
                .extracting(RevocationAnswer::source)
                .containsExactly("CRL", "OCSP");
        RevocationAnswer crl = report.revocation().answers().get(0);
        RevocationAnswer ocsp = report.revocation().answers().get(1);
        assertThat(crl.status()).isEqualTo(Revocation.Status.REVOKED);
        assertThat(crl.url()).isEqualTo(revocation.crlUrl());
        assertThat(crl.thisUpdate()).isNotNull();
        assertThat(crl.nextUpdate()).isAfter(crl.thisUpdate());
        assertThat(crl.revokedAt()).isBefore(crl.thisUpdate());
        assertThat(crl.revocationReason()).isEqualTo("keyCompromise");
        assertThat(ocsp.status()).isEqualTo(Revocation.Status.REVOKED);
        assertThat(ocsp.url()).isEqualTo(revocation.ocspUrl());
        assertThat(ocsp.nextUpdate()).isAfter(ocsp.thisUpdate());
        assertThat(ocsp.revokedAt()).isNotNull();
        assertThat(ocsp.revocationReason()).isEqualTo("keyCompromise");
        assertThat(revocation.requests("/crl")).isEqualTo(1);
        assertThat(revocation.requests("/ocsp")).isEqualTo(1);
        // a routine probe stops at the CRL
        assertThat(probe(leaf).revocation().answers()).isEmpty();
        assertThat(revocation.requests("/ocsp")).isEqualTo(1);
    }

    @Test
    void aSourceThatDoesNotAnswerIsRecordedWithAFixedReasonBesideTheOneThatDid() {
        Issued leaf = TestCertificates.leaf("svc.test")
                .crl(revocation.crlUrl())
                .ocsp("http://127.0.0.1:9/ocsp")
                .signedBy(CA);
        server = TlsTestServer.start(leaf);

        ProbeReport report =
                prober.probeAskingEveryRevocationSource(ProbeRequest.of("127.0.0.1", server.port(), "svc.test"));

        assertThat(report.revocation().status()).isEqualTo(Revocation.Status.GOOD);
        RevocationAnswer crl = report.revocation().answers().get(0);
        RevocationAnswer ocsp = report.revocation().answers().get(1);
        assertThat(crl.status()).isEqualTo(Revocation.Status.GOOD);
        assertThat(crl.detail()).isEqualTo("not listed on the CRL");
        assertThat(ocsp.status()).isEqualTo(Revocation.Status.UNKNOWN);
        assertThat(ocsp.url()).isEqualTo("http://127.0.0.1:9/ocsp");
        assertThat(ocsp.reason()).isIn(Revocation.FETCH_FAILED, Revocation.REFUSED_ADDRESS, Revocation.TIMEOUT);
    }

    @Test
    void aCertificateWithoutAnOcspResponderSaysSoForThatSource() {
        Issued leaf = TestCertificates.leaf("svc.test").crl(revocation.crlUrl()).signedBy(CA);
        revocation.revoke(leaf.serial());
        server = TlsTestServer.start(leaf);

        ProbeReport report =
                prober.probeAskingEveryRevocationSource(ProbeRequest.of("127.0.0.1", server.port(), "svc.test"));

        assertThat(report.revocation().status()).isEqualTo(Revocation.Status.REVOKED);
        assertThat(report.revocation().answers().get(1).reason()).isEqualTo(Revocation.NO_URLS);
        assertThat(report.leaf().spkiSha256())
                .isEqualTo(io.certloop.system.Fingerprints.spkiSha256Hex(leaf.certificate()));
    }

    @Test
    void aCertificateTheOcspResponderCallsRevokedIsRevoked() {
        Issued leaf =
                TestCertificates.leaf("svc.test").ocsp(revocation.ocspUrl()).signedBy(CA);
        revocation.revoke(leaf.serial());

        ProbeReport report = probe(leaf);

        assertThat(report.revocation().status()).isEqualTo(Revocation.Status.REVOKED);
        assertThat(report.revocation().source()).isEqualTo(Revocation.SOURCE_OCSP);
        assertThat(report.revocation().url()).isEqualTo(revocation.ocspUrl());
        assertThat(report.findings()).extracting(Finding::code).containsExactly(FindingCodes.REVOKED);
        assertThat(revocation.requests("/ocsp")).isEqualTo(1);
    }

    @Test
    void aCertificateTheOcspResponderCallsGoodIsGood() {
        Issued leaf =
                TestCertificates.leaf("svc.test").ocsp(revocation.ocspUrl()).signedBy(CA);

        ProbeReport report = probe(leaf);

        assertThat(report.revocation().status()).isEqualTo(Revocation.Status.GOOD);
        assertThat(report.revocation().source()).isEqualTo(Revocation.SOURCE_OCSP);
        assertThat(report.findings()).isEmpty();
    }

    @Test
    void anOcspAnswerSignedByAnotherCaIsNotBelieved() {
        Issued impostor = TestCertificates.intermediate("Revocation Test CA").signedBy(ROOT); // same name, other key
        try (TestRevocationServer forged = TestRevocationServer.start(impostor)) {
            Issued leaf =
                    TestCertificates.leaf("svc.test").ocsp(forged.ocspUrl()).signedBy(CA);
            forged.revoke(leaf.serial());

            ProbeReport report = probe(leaf);

            assertThat(report.revocation().status()).isEqualTo(Revocation.Status.UNKNOWN);
            assertThat(report.revocation().reason()).isEqualTo(Revocation.BAD_SIGNATURE);
            assertThat(report.findings()).isEmpty();
        }
    }

    @Test
    void aCertificateListedOnTheCrlIsRevokedAndTheCrlIsPreferredOverOcsp() {
        Issued leaf = TestCertificates.leaf("svc.test")
                .crl(revocation.crlUrl())
                .ocsp(revocation.ocspUrl())
                .signedBy(CA);
        revocation.revoke(leaf.serial());

        ProbeReport report = probe(leaf);

        assertThat(report.revocation().status()).isEqualTo(Revocation.Status.REVOKED);
        assertThat(report.revocation().source()).isEqualTo(Revocation.SOURCE_CRL);
        assertThat(report.findings()).extracting(Finding::code).containsExactly(FindingCodes.REVOKED);
        assertThat(revocation.requests("/ocsp")).isZero();
    }

    @Test
    void theCrlIsFetchedOnceUntilItsNextUpdate() {
        Issued first =
                TestCertificates.leaf("svc.test").crl(revocation.crlUrl()).signedBy(CA);
        Issued second =
                TestCertificates.leaf("svc.test").crl(revocation.crlUrl()).signedBy(CA);

        assertThat(probe(first).revocation().status()).isEqualTo(Revocation.Status.GOOD);
        assertThat(probe(second).revocation().status()).isEqualTo(Revocation.Status.GOOD);
        assertThat(revocation.requests("/crl")).isEqualTo(1);

        clock.advance(Duration.ofDays(2)); // past the CRL's nextUpdate (one day)
        assertThat(probe(second).revocation().status()).isEqualTo(Revocation.Status.GOOD);
        assertThat(revocation.requests("/crl")).isEqualTo(2);
    }

    @Test
    void anUnreachableResponderLeavesTheStatusUnknownWithTheReason() {
        Issued leaf = TestCertificates.leaf("svc.test")
                .crl("http://127.0.0.1:1/ca.crl")
                .signedBy(CA);

        ProbeReport report = probe(leaf);

        assertThat(report.revocation().status()).isEqualTo(Revocation.Status.UNKNOWN);
        assertThat(report.revocation().reason()).isEqualTo(Revocation.FETCH_FAILED);
        assertThat(report.revocation().detail()).isEqualTo("CRL http://127.0.0.1:1/ca.crl: fetch-failed");
        assertThat(report.findings()).isEmpty();
    }

    @Test
    void aCrlOnALoopbackAddressOutsideTheAllowlistIsNeverRequested() {
        // the probed server is on 127.0.0.1, the only allowlisted address; 127.0.0.2 stands for a host nobody allowed
        JsseTlsProber strict = ProberFixture.prober(
                clock, List.of(ROOT.certificate()), properties -> properties.withAllowlist(List.of("127.0.0.1/32")));
        try (TestRevocationServer hidden = TestRevocationServer.start(CA, "127.0.0.2")) {
            Issued leaf = TestCertificates.leaf("svc.test")
                    .crl(hidden.crlUrl())
                    .ocsp(hidden.ocspUrl())
                    .signedBy(CA);
            hidden.revoke(leaf.serial());
            server = TlsTestServer.start(leaf);

            ProbeReport report = strict.probe(ProbeRequest.of("127.0.0.1", server.port(), "svc.test"));

            assertThat(report.reachable()).isTrue();
            assertThat(report.revocation().status()).isEqualTo(Revocation.Status.UNKNOWN);
            assertThat(report.revocation().reason()).isEqualTo(Revocation.REFUSED_ADDRESS);
            assertThat(report.revocation().detail())
                    .isEqualTo("CRL " + hidden.crlUrl() + ": refused-address; OCSP " + hidden.ocspUrl()
                            + ": refused-address");
            assertThat(hidden.totalRequests())
                    .as("requests the loopback server received")
                    .isZero();
        }
    }

    @Test
    void theSameCrlServedFromAnAllowlistedAddressIsFetched() {
        // the control of the test above: the fixture's allowlist (127.0.0.0/8) holds 127.0.0.2
        try (TestRevocationServer other = TestRevocationServer.start(CA, "127.0.0.2")) {
            Issued leaf = TestCertificates.leaf("svc.test").crl(other.crlUrl()).signedBy(CA);
            other.revoke(leaf.serial());

            assertThat(probe(leaf).revocation().status()).isEqualTo(Revocation.Status.REVOKED);
            assertThat(other.requests("/crl")).isEqualTo(1);
        }
    }

    @Test
    void aRevocationUrlPointingAtTheMetadataServiceIsNeverFetched() {
        Issued leaf = TestCertificates.leaf("svc.test")
                .crl("http://169.254.169.254/latest/meta-data/")
                .signedBy(CA);

        ProbeReport report = probe(leaf);

        assertThat(report.revocation().status()).isEqualTo(Revocation.Status.UNKNOWN);
        assertThat(report.revocation().reason()).isEqualTo(Revocation.REFUSED_ADDRESS);
        assertThat(report.revocation().detail()).doesNotContain("never probed");
    }
}
