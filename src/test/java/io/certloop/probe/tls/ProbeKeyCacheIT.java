package io.certloop.probe.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.certloop.support.TestCertificates;
import io.certloop.support.TestCertificates.Issued;
import io.certloop.support.TlsTestServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import org.bouncycastle.tls.TlsFatalAlert;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The prober's handshake crypto keeps each server key it has decoded (so BouncyCastle can switch to its
 * precomputed verification after a few uses): against real TLS 1.2 and 1.3 servers, a key seen again is
 * reused, and a server that presents a known certificate without holding its private key still fails the
 * handshake after that key has been reused many times. The prober's own X25519 key share, reused for a few
 * handshakes, completes every handshake with both protocol versions.
 */
class ProbeKeyCacheIT {

    private static final Issued ROOT = TestCertificates.rootCa("Key Cache Root").selfSigned();
    private static final Issued CA =
            TestCertificates.intermediate("Key Cache CA").signedBy(ROOT);
    // BouncyCastle switches a point to fixed-base combs from its fourth use; go well past it
    private static final int HANDSHAKES = 8;

    @ParameterizedTest(name = "{0}: the same server key is decoded once and every handshake verifies")
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void aServerKeySeenAgainIsDecodedOnce(String protocol) throws Exception {
        Issued first = TestCertificates.leaf("cache.test").signedBy(CA);
        Issued second = TestCertificates.leaf("other.test").signedBy(CA);
        ProbeTlsCrypto crypto = new ProbeTlsCrypto(new SecureRandom(), 16, 1);
        BcTlsHandshaker handshaker = new BcTlsHandshaker(crypto);

        try (TlsTestServer one =
                        TlsTestServer.builder().chain(first).protocols(protocol).start();
                TlsTestServer two = TlsTestServer.builder()
                        .chain(second)
                        .protocols(protocol)
                        .start()) {
            for (int i = 0; i < HANDSHAKES; i++) {
                assertThat(handshake(handshaker, one, "cache.test").chain().get(0))
                        .isEqualTo(first.certificate().getEncoded());
                assertThat(handshake(handshaker, two, "other.test").chain().get(0))
                        .isEqualTo(second.certificate().getEncoded());
            }
        }
        assertThat(crypto.cachedKeys()).isEqualTo(2);
    }

    @ParameterizedTest(name = "{0}: a known certificate presented without its private key fails the handshake")
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void aKnownCertificateWithoutItsKeyFailsAfterTheKeyWasReused(String protocol) throws Exception {
        Issued genuine = TestCertificates.leaf("cache.test").signedBy(CA);
        Issued impostorKey = TestCertificates.leaf("cache.test").signedBy(CA);
        BcTlsHandshaker handshaker = new BcTlsHandshaker(new ProbeTlsCrypto(new SecureRandom(), 16, 1));

        try (TlsTestServer server =
                TlsTestServer.builder().chain(genuine).protocols(protocol).start()) {
            for (int i = 0; i < HANDSHAKES; i++) {
                handshake(handshaker, server, "cache.test");
            }
        }
        // same certificate chain, but the server signs its handshake with a key it does not hold the certificate for
        try (TlsTestServer impostor = TlsTestServer.builder()
                .chain(genuine.chain(), impostorKey.privateKey())
                .protocols(protocol)
                .start()) {
            assertThatThrownBy(() -> handshake(handshaker, impostor, "cache.test"))
                    .isInstanceOf(TlsFatalAlert.class)
                    .hasMessageContaining("decrypt_error");
        }
    }

    @ParameterizedTest(
            name = "{0}: handshakes on a reused client key share complete, and a fresh share is drawn after its uses")
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void handshakesOnAReusedClientKeyShareComplete(String protocol) throws Exception {
        Issued leaf = TestCertificates.leaf("cache.test").signedBy(CA);
        BcTlsHandshaker handshaker = new BcTlsHandshaker(new ProbeTlsCrypto(new SecureRandom(), 16, 3));

        try (TlsTestServer server =
                TlsTestServer.builder().chain(leaf).protocols(protocol).start()) {
            for (int i = 0; i < HANDSHAKES; i++) {
                JsseTlsProber.Handshake handshake = handshake(handshaker, server, "cache.test");

                assertThat(handshake.protocol()).isEqualTo(protocol);
                assertThat(handshake.chain().get(0))
                        .isEqualTo(leaf.certificate().getEncoded());
            }
        }
    }

    private static JsseTlsProber.Handshake handshake(BcTlsHandshaker handshaker, TlsTestServer server, String sni)
            throws IOException {
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(server.address(), server.port()), 2000);
            socket.setSoTimeout(2000);
            return handshaker.handshake(socket, sni);
        }
    }
}
