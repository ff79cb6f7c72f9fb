package io.certloop.probe.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.certloop.probe.CertificateDetails;
import io.certloop.probe.ProbeReport;
import io.certloop.probe.ProbeRequest;
import io.certloop.probe.ProberFixture;
import io.certloop.support.TestCertificates;
import io.certloop.support.TestCertificates.Issued;
import io.certloop.support.TlsTestServer;
import java.security.Provider;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both handshake stacks (BouncyCastle's TLS client, the default, and the JDK's JSSE) against TLS 1.2-only and
 * TLS 1.3-only in-JVM servers with EC and RSA leaves: same protocol and suite spelling, the chain exactly as
 * sent (including a root the server should not send, and in the server's order), and nothing registered in
 * the JVM's provider list.
 */
class ProbeTlsStackIT {

    private static final Issued ROOT =
            TestCertificates.rootCa("Stack Test Root").selfSigned();
    private static final Issued CA =
            TestCertificates.intermediate("Stack Test CA").signedBy(ROOT);

    static Stream<Arguments> stacksAndProtocols() {
        return Stream.of(true, false)
                .flatMap(bouncyCastle -> Stream.of("TLSv1.2", "TLSv1.3")
                        .flatMap(protocol ->
                                Stream.of("EC", "RSA").map(key -> Arguments.of(bouncyCastle, protocol, key))));
    }

    @ParameterizedTest(name = "bouncy-castle-tls={0} negotiates {1} with an {2} leaf and captures the chain as sent")
    @MethodSource("stacksAndProtocols")
    void theProbeNegotiatesEachProtocolAndCapturesTheChainAsSent(boolean bouncyCastle, String protocol, String key)
            throws Exception {
        TestCertificates.Builder builder = TestCertificates.leaf("stack.test");
        Issued leaf = ("RSA".equals(key) ? builder.rsa(2048) : builder.ec()).signedBy(CA);
        List<X509Certificate> sent = leaf.chainWithRoot();
        JsseTlsProber prober = ProberFixture.prober(
                Clock.systemUTC(),
                List.of(ROOT.certificate()),
                properties -> properties.withBouncyCastleTls(bouncyCastle));
        List<String> providersBefore = providerNames();

        try (TlsTestServer server = TlsTestServer.builder()
                .chain(sent, leaf.privateKey())
                .protocols(protocol)
                .start()) {
            ProbeReport report = prober.probe(ProbeRequest.of("127.0.0.1", server.port(), "stack.test"));

            assertThat(report.protocol()).isEqualTo(protocol);
            assertThat(report.cipher()).matches("TLS_[A-Z0-9_]+");
            assertThat(report.chain())
                    .extracting(CertificateDetails::sha256)
                    .containsExactlyElementsOf(
                            sent.stream().map(TestCertificates::sha256).toList());
            assertThat(report.trusted()).isTrue();
            assertThat(report.chainComplete()).isTrue();
            assertThat(report.findings()).isEmpty();
            assertThat(server.requestedServerNames()).containsExactly("stack.test");
        }
        assertThat(providerNames()).isEqualTo(providersBefore);
    }

    @ParameterizedTest(name = "bouncy-castle-tls={0} captures a chain sent out of order, untouched")
    @MethodSource("stacks")
    void aChainSentOutOfOrderIsCapturedInTheServersOrder(boolean bouncyCastle) {
        Issued leaf = TestCertificates.leaf("stack.test").signedBy(CA);
        List<X509Certificate> sent = List.of(leaf.certificate(), ROOT.certificate(), CA.certificate());
        JsseTlsProber prober = ProberFixture.prober(
                Clock.systemUTC(),
                List.of(ROOT.certificate()),
                properties -> properties.withBouncyCastleTls(bouncyCastle));

        try (TlsTestServer server =
                TlsTestServer.builder().chain(sent, leaf.privateKey()).start()) {
            ProbeReport report = prober.probe(ProbeRequest.of("127.0.0.1", server.port(), "stack.test"));

            assertThat(report.chain())
                    .extracting(CertificateDetails::sha256)
                    .containsExactly(leaf.sha256(), ROOT.sha256(), CA.sha256());
        }
    }

    static Stream<Boolean> stacks() {
        return Stream.of(true, false);
    }

    private static List<String> providerNames() {
        return Arrays.stream(Security.getProviders()).map(Provider::getName).toList();
    }
}
