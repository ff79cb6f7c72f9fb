package io.certloop.probe.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.certloop.probe.AddressResult;
import io.certloop.probe.CertificateDetails;
import io.certloop.probe.Finding;
import io.certloop.probe.FindingCodes;
import io.certloop.probe.ProbeReport;
import io.certloop.probe.ProbeRequest;
import io.certloop.probe.ProberFixture;
import io.certloop.probe.guard.ProbeRefusedException;
import io.certloop.probe.revocation.Revocation;
import io.certloop.support.TestCertificates;
import io.certloop.support.TestCertificates.Issued;
import io.certloop.support.TlsTestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every finding produced by a real handshake with an in-JVM TLS server presenting a built chain. */
class JsseTlsProberIT {

    private static final Issued ROOT =
            TestCertificates.rootCa("Probe Test Root").selfSigned();
    private static final Issued CA =
            TestCertificates.intermediate("Probe Test Issuing CA").signedBy(ROOT);

    private final Clock clock = Clock.systemUTC();
    private final JsseTlsProber prober = ProberFixture.prober(clock, List.of(ROOT.certificate()));
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    private TlsTestServer serve(Issued leaf) {
        return serve(leaf.chain(), leaf);
    }

    private TlsTestServer serve(List<java.security.cert.X509Certificate> chain, Issued leaf) {
        TlsTestServer server = TlsTestServer.start(chain, leaf.privateKey());
        resources.add(server);
        return server;
    }

    private ProbeReport probe(TlsTestServer server, String sni) {
        return prober.probe(ProbeRequest.of("127.0.0.1", server.port(), sni));
    }

    private static List<String> codes(ProbeReport report) {
        return report.findings().stream().map(Finding::code).toList();
    }

    @Test
    void aHealthyEndpointIsDescribedExactlyAndRaisesNothing() {
        Issued leaf = TestCertificates.leaf("svc.test")
                .sans("svc.test", "www.svc.test")
                .rsa(2048)
                .signedBy(CA);
        TlsTestServer server = serve(leaf);

        ProbeReport report = probe(server, "svc.test");

        assertThat(report.findings()).isEmpty();
        assertThat(report.leaf().sha256()).isEqualTo(leaf.sha256()).matches("[0-9a-f]{64}");
        assertThat(report.leaf().sans()).containsExactly("svc.test", "www.svc.test");
        assertThat(report.leaf().notAfter())
                .isEqualTo(leaf.certificate().getNotAfter().toInstant());
        assertThat(report.leaf().serial()).isEqualTo(leaf.serial().toString(16));
        assertThat(report.leaf().keyAlgorithm()).isEqualTo("RSA");
        assertThat(report.leaf().keySize()).isEqualTo(2048);
        assertThat(report.leaf().signatureAlgorithm()).isEqualTo("SHA256withECDSA");
        assertThat(report.leaf().issuer()).isEqualTo("CN=Probe Test Issuing CA");
        assertThat(report.chain()).extracting(CertificateDetails::sha256).containsExactly(leaf.sha256(), CA.sha256());
        assertThat(report.protocol()).isEqualTo("TLSv1.3");
        assertThat(report.cipher()).startsWith("TLS_");
        assertThat(report.chainComplete()).isTrue();
        assertThat(report.trusted()).isTrue();
        assertThat(report.hostnameMatches()).isTrue();
        assertThat(report.revocation().status()).isEqualTo(Revocation.Status.UNKNOWN);
        assertThat(report.addresses()).hasSize(1);
        assertThat(server.requestedServerNames()).containsExactly("svc.test");
    }

    @Test
    void aTls12OnlyServerIsProbedToo() {
        Issued leaf = TestCertificates.leaf("old.test").signedBy(CA);
        TlsTestServer server =
                TlsTestServer.builder().chain(leaf).protocols("TLSv1.2").start();
        resources.add(server);

        ProbeReport report = probe(server, "old.test");

        assertThat(report.protocol()).isEqualTo("TLSv1.2");
        assertThat(report.findings()).isEmpty();
    }

    @Test
    void anExpiredCertificateIsCapturedAndFlagged() {
        Issued leaf = TestCertificates.leaf("svc.test").expired().signedBy(CA);

        ProbeReport report = probe(serve(leaf), "svc.test");

        assertThat(codes(report)).containsExactly(FindingCodes.EXPIRED);
        assertThat(report.trusted()).isFalse();
        assertThat(report.leaf().sha256()).isEqualTo(leaf.sha256());
        assertThat(report.findings().get(0).evidence()).containsEntry("leafSha256", leaf.sha256());
    }

    @Test
    void aNotYetValidCertificateIsFlagged() {
        ProbeReport report =
                probe(serve(TestCertificates.leaf("svc.test").notYetValid().signedBy(CA)), "svc.test");

        assertThat(codes(report)).containsExactly(FindingCodes.NOT_YET_VALID);
    }

    @Test
    void aCertificateInsideTheTierWindowIsExpiringSoonOnlyForStricterTiers() {
        Issued leaf = TestCertificates.leaf("svc.test")
                .expiringIn(Duration.ofDays(10))
                .signedBy(CA);
        TlsTestServer server = serve(leaf);

        ProbeReport tier0 = prober.probe(new ProbeRequest("127.0.0.1", server.port(), "svc.test", null, null, null, 0));
        ProbeReport tier3 = prober.probe(new ProbeRequest("127.0.0.1", server.port(), "svc.test", null, null, null, 3));

        assertThat(codes(tier0)).containsExactly(FindingCodes.EXPIRING_SOON);
        assertThat(codes(tier3)).isEmpty();
    }

    @Test
    void aServerThatOmitsTheIntermediateHasAnIncompleteChain() {
        Issued leaf = TestCertificates.leaf("svc.test").signedBy(CA);

        ProbeReport report = probe(serve(List.of(leaf.certificate()), leaf), "svc.test");

        assertThat(codes(report)).containsExactly(FindingCodes.CHAIN_INCOMPLETE);
        assertThat(report.chainComplete()).isFalse();
        assertThat(report.trusted()).isFalse();
        assertThat(report.chain()).hasSize(1);
    }

    @Test
    void aSelfSignedLeafIsFlaggedAsSuch() {
        Issued leaf = TestCertificates.leaf("svc.test").selfSigned();

        ProbeReport report = probe(serve(leaf), "svc.test");

        assertThat(codes(report)).containsExactly(FindingCodes.SELF_SIGNED);
        assertThat(report.leaf().selfSigned()).isTrue();
        assertThat(report.trusted()).isFalse();
    }

    @Test
    void aChainToAnUnknownRootIsUntrusted() {
        Issued otherRoot = TestCertificates.rootCa("Shadow Root").selfSigned();
        Issued otherCa = TestCertificates.intermediate("Shadow CA").signedBy(otherRoot);
        Issued leaf = TestCertificates.leaf("svc.test").signedBy(otherCa);

        ProbeReport report = probe(serve(leaf.chainWithRoot(), leaf), "svc.test");

        assertThat(codes(report)).containsExactly(FindingCodes.UNTRUSTED_ROOT);
        assertThat(report.chainComplete()).isTrue();
        assertThat(report.trusted()).isFalse();
        assertThat(report.chain()).hasSize(3);
    }

    @Test
    void aChainUpToAnIntermediateOfAnUnknownRootIsUntrustedNotIncomplete() {
        Issued otherRoot = TestCertificates.rootCa("Shadow Root").selfSigned();
        Issued otherCa = TestCertificates.intermediate("Shadow CA").signedBy(otherRoot);
        Issued leaf = TestCertificates.leaf("svc.test").signedBy(otherCa);

        ProbeReport report = probe(serve(leaf), "svc.test");

        assertThat(codes(report)).containsExactly(FindingCodes.UNTRUSTED_ROOT);
        assertThat(report.chain()).hasSize(2);
    }

    @Test
    void aCertificateForAnotherNameIsANameMismatch() {
        Issued leaf = TestCertificates.leaf("other.test").signedBy(CA);

        ProbeReport report = probe(serve(leaf), "svc.test");

        assertThat(codes(report)).containsExactly(FindingCodes.NAME_MISMATCH);
        assertThat(report.hostnameMatches()).isFalse();
        assertThat(report.findings().get(0).evidence()).containsEntry("expectedNames", List.of("svc.test"));
    }

    @Test
    void aWildcardCertificateCoversOneLabelButNotTwo() {
        Issued leaf = TestCertificates.leaf("*.svc.test").sans("*.svc.test").signedBy(CA);
        TlsTestServer server = serve(leaf);

        ProbeReport covered = probe(server, "api.svc.test");
        ProbeReport notCovered = prober.probe(new ProbeRequest(
                "127.0.0.1", server.port(), "a.b.svc.test", List.of("a.b.svc.test", "svc.test"), null, null, null));

        assertThat(covered.hostnameMatches()).isTrue();
        assertThat(codes(covered)).isEmpty();
        assertThat(notCovered.hostnameMatches()).isFalse();
        assertThat(codes(notCovered)).containsExactly(FindingCodes.NAME_MISMATCH);
    }

    @Test
    void aLeafOtherThanTheExpectedOneIsAFingerprintMismatch() {
        Issued deployed = TestCertificates.leaf("svc.test").signedBy(CA);
        Issued renewed = TestCertificates.leaf("svc.test").signedBy(CA);
        TlsTestServer server = serve(deployed);

        ProbeReport stale =
                prober.probe(new ProbeRequest("127.0.0.1", server.port(), "svc.test", null, null, renewed.sha256(), 2));
        ProbeReport current = prober.probe(new ProbeRequest(
                "127.0.0.1",
                server.port(),
                "svc.test",
                null,
                null,
                deployed.sha256().toUpperCase(),
                2));

        assertThat(codes(stale)).containsExactly(FindingCodes.FINGERPRINT_MISMATCH);
        assertThat(stale.findings().get(0).evidence())
                .containsEntry("expectedSha256", renewed.sha256())
                .containsEntry("leafSha256", deployed.sha256());
        assertThat(codes(current)).isEmpty();
    }

    @Test
    void anRsa1024KeyIsWeak() {
        ProbeReport report =
                probe(serve(TestCertificates.leaf("svc.test").rsa(1024).signedBy(CA)), "svc.test");

        assertThat(codes(report)).containsExactly(FindingCodes.WEAK_KEY);
        assertThat(report.leaf().keySize()).isEqualTo(1024);
    }

    @Test
    void aSha1SignatureIsWeak() {
        ProbeReport report =
                probe(serve(TestCertificates.leaf("svc.test").sha1().signedBy(CA)), "svc.test");

        assertThat(codes(report)).containsExactly(FindingCodes.WEAK_SIGNATURE);
        assertThat(report.leaf().signatureAlgorithm()).isEqualTo("SHA1withECDSA");
    }

    @Test
    void twoBackendsPresentingDifferentLeavesAreInconsistent() throws IOException {
        Issued renewed = TestCertificates.leaf("svc.test").signedBy(CA);
        Issued old = TestCertificates.leaf("svc.test").signedBy(CA);
        TlsTestServer first =
                TlsTestServer.builder().chain(renewed).bind("127.0.0.1").start();
        resources.add(first);
        TlsTestServer second = TlsTestServer.builder()
                .chain(old)
                .bind("127.0.0.2")
                .port(first.port())
                .start();
        resources.add(second);

        ProbeReport report = prober.probe(
                new ProbeRequest("127.0.0.1", first.port(), "svc.test", null, List.of("127.0.0.2"), null, null));

        assertThat(report.addresses()).extracting(AddressResult::address).containsExactly("127.0.0.1", "127.0.0.2");
        assertThat(report.addresses())
                .extracting(result -> result.leaf().sha256())
                .containsExactly(renewed.sha256(), old.sha256());
        assertThat(codes(report)).containsExactly(FindingCodes.INCONSISTENT_BACKENDS);
        assertThat(report.findings().get(0).evidence().get("leafSha256ByAddress"))
                .isEqualTo(Map.of("127.0.0.1", renewed.sha256(), "127.0.0.2", old.sha256()));
    }

    @Test
    void backendsPresentingTheSameLeafAreConsistent() {
        Issued leaf = TestCertificates.leaf("svc.test").signedBy(CA);
        TlsTestServer first =
                TlsTestServer.builder().chain(leaf).bind("127.0.0.1").start();
        resources.add(first);
        resources.add(TlsTestServer.builder()
                .chain(leaf)
                .bind("127.0.0.3")
                .port(first.port())
                .start());

        ProbeReport report = prober.probe(
                new ProbeRequest("127.0.0.1", first.port(), "svc.test", null, List.of("127.0.0.3"), null, null));

        assertThat(report.addresses()).hasSize(2).allMatch(AddressResult::handshakeOk);
        assertThat(codes(report)).isEmpty();
    }

    @Test
    void aClosedPortIsAFailedHandshakeNotAnError() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }

        ProbeReport report = prober.probe(ProbeRequest.of("127.0.0.1", port, "svc.test"));

        assertThat(codes(report)).containsExactly(FindingCodes.HANDSHAKE_FAILED);
        assertThat(report.leaf()).isNull();
        assertThat(report.addresses().get(0).error()).contains("Connect");
    }

    @Test
    void aPeerThatNeverAnswersCannotStallTheProbe() throws IOException {
        ServerSocket hung = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        resources.add(hung);
        List<Socket> accepted = new ArrayList<>();
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    accepted.add(hung.accept()); // accept and never write a byte
                }
            } catch (IOException e) {
                // closed at the end of the test
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        JsseTlsProber impatient = ProberFixture.prober(
                clock,
                List.of(ROOT.certificate()),
                properties -> properties.withTimeouts(
                        properties.connectTimeout(), Duration.ofMillis(500), properties.revocationTimeout()));

        Instant start = Instant.now();
        ProbeReport report = impatient.probe(ProbeRequest.of("127.0.0.1", hung.getLocalPort(), "svc.test"));

        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(3));
        assertThat(codes(report)).containsExactly(FindingCodes.HANDSHAKE_FAILED);
        assertThat(report.addresses().get(0).error()).contains("timed out");
    }

    @Test
    void aTargetOutsideTheAllowlistIsRefusedBeforeAnyConnection() {
        Issued leaf = TestCertificates.leaf("svc.test").signedBy(CA);
        TlsTestServer server = serve(leaf);
        JsseTlsProber strict = ProberFixture.prober(
                clock,
                List.of(ROOT.certificate()),
                properties -> properties.withAllowlist(List.of("10.0.0.0/8", "*.example.com")));

        assertThatThrownBy(() -> strict.probe(ProbeRequest.of("127.0.0.1", server.port(), "svc.test")))
                .isInstanceOf(ProbeRefusedException.class)
                .hasMessageContaining("allowlist");
        assertThat(server.handshakes()).isZero();
    }

    @Test
    void theMetadataAddressIsRefusedInEverySpelling() {
        for (String spelling : List.of(
                "169.254.169.254",
                "2852039166",
                "0xA9FEA9FE",
                "0251.0376.0251.0376",
                "0xa9.0xfe.0xa9.0xfe",
                "169.254.43518",
                "::ffff:169.254.169.254",
                "[::ffff:a9fe:a9fe]",
                "169.254.169.254.",
                "１６９．２５４．１６９．２５４",
                "fd00:ec2::254",
                "100.100.100.200",
                "metadata.google.internal")) {
            JsseTlsProber permissive = ProberFixture.prober(
                    clock,
                    List.of(ROOT.certificate()),
                    properties -> properties.withAllowlist(List.of("0.0.0.0/0", "::/0", "*.internal")));
            assertThatThrownBy(() -> permissive.probe(ProbeRequest.of(spelling, 80, null)))
                    .as(spelling)
                    .isInstanceOf(ProbeRefusedException.class)
                    .hasMessageContaining("never probed");
        }
    }
}
