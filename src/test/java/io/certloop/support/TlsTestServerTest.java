package io.certloop.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

class TlsTestServerTest {

    private static final TestCertificates.Issued ROOT =
            TestCertificates.rootCa("Support Root").selfSigned();
    private static final TestCertificates.Issued CA =
            TestCertificates.intermediate("Support CA").signedBy(ROOT);

    @Test
    void serverPresentsTheChainItWasGivenInOrder() throws Exception {
        TestCertificates.Issued leaf =
                TestCertificates.leaf("svc.test").expiringIn(Duration.ofDays(3)).signedBy(CA);
        try (TlsTestServer server = TlsTestServer.start(leaf)) {
            Certificate[] presented = handshake(server, "svc.test");
            assertThat(presented).containsExactly(leaf.certificate(), CA.certificate());
            assertThat(server.requestedServerNames()).containsExactly("svc.test");
        }
    }

    @Test
    void serverPicksTheChainForTheRequestedServerName() throws Exception {
        TestCertificates.Issued a = TestCertificates.leaf("a.test").signedBy(CA);
        TestCertificates.Issued b = TestCertificates.leaf("b.test").signedBy(CA);
        try (TlsTestServer server = TlsTestServer.builder()
                .chain(a)
                .sni("b.test", b.chain(), b.privateKey())
                .start()) {
            assertThat(handshake(server, "b.test")[0]).isEqualTo(b.certificate());
            assertThat(handshake(server, "a.test")[0]).isEqualTo(a.certificate());
        }
    }

    @Test
    void builderProducesWhatItWasAskedFor() {
        TestCertificates.Issued leaf = TestCertificates.leaf("weak.test")
                .rsa(1024)
                .sha1()
                .sans("weak.test", "127.0.0.1")
                .expired()
                .signedBy(CA);
        X509Certificate cert = leaf.certificate();
        assertThat(cert.getSigAlgName()).isEqualTo("SHA1withECDSA");
        assertThat(cert.getPublicKey().getAlgorithm()).isEqualTo("RSA");
        assertThat(cert.getNotAfter().toInstant()).isBefore(Instant.now());
        assertThat(leaf.sha256()).matches("[0-9a-f]{64}");
        assertThat(leaf.chainPem()).contains("BEGIN CERTIFICATE");
    }

    private static Certificate[] handshake(TlsTestServer server, String sni) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(
                null,
                new TrustManager[] {
                    new X509TrustManager() {
                        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                        public X509Certificate[] getAcceptedIssuers() {
                            return new X509Certificate[0];
                        }
                    }
                },
                null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(server.address(), server.port())) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(sni)));
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return socket.getSession().getPeerCertificates();
        }
    }
}
