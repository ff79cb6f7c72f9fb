package io.certloop.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * What a TLS endpoint presents, read with a client that trusts everything (it only looks). The
 * real verification belongs to the probe; these tests only need the fingerprint.
 */
public final class TlsPeek {

    /** What the endpoint presented; the leaf's validity too, to check a profile's lifetime. */
    public record Presented(
            String leafSha256,
            int chainLength,
            String subject,
            java.time.Instant notBefore,
            java.time.Instant notAfter) {}

    private TlsPeek() {}

    public static Presented peek(String host, int port) throws IOException {
        try (SSLSocket socket = (SSLSocket) trustAll().getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress(host, port), 2000);
            socket.setSoTimeout(5000);
            socket.startHandshake();
            Certificate[] chain = socket.getSession().getPeerCertificates();
            X509Certificate leaf = (X509Certificate) chain[0];
            return new Presented(
                    TestCertificates.sha256(leaf),
                    chain.length,
                    leaf.getSubjectX500Principal().getName(),
                    leaf.getNotBefore().toInstant(),
                    leaf.getNotAfter().toInstant());
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    /**
     * Polls until the endpoint presents {@code sha256} or the timeout passes, and returns the last
     * observation: after a reload, nginx's old worker may still take a connection for a moment.
     */
    public static Presented awaitLeaf(String host, int port, String sha256, Duration timeout) throws IOException {
        return awaitPresented(host, port, presented -> presented.leafSha256().equals(sha256), timeout);
    }

    /** As {@link #awaitLeaf}, until what is presented passes {@code settled} (a full chain, say). */
    public static Presented awaitPresented(String host, int port, Predicate<Presented> settled, Duration timeout)
            throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Presented last = peek(host, port);
        while (!settled.test(last) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            last = peek(host, port);
        }
        return last;
    }

    private static SSLContext trustAll() throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(
                null,
                new TrustManager[] {
                    new X509TrustManager() {
                        @Override
                        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                        @Override
                        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                        @Override
                        public X509Certificate[] getAcceptedIssuers() {
                            return new X509Certificate[0];
                        }
                    }
                },
                new SecureRandom());
        return context;
    }
}
