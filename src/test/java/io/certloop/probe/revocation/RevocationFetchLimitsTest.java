package io.certloop.probe.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.certloop.probe.ProbeProperties;
import io.certloop.probe.guard.InventoryTargets;
import io.certloop.probe.guard.ProbeTargetGuard;
import io.certloop.support.MutableClock;
import io.certloop.support.TestCertificates;
import io.certloop.support.TestCertificates.Issued;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/**
 * The bounds of a revocation fetch, against servers on loopback that misbehave on purpose: too big,
 * too slow, hostile DER, error text, many URLs, many probes at once.
 */
class RevocationFetchLimitsTest {

    private static final Issued ROOT = TestCertificates.rootCa("Limits Root").selfSigned();
    private static final Issued CA = TestCertificates.intermediate("Limits CA").signedBy(ROOT);

    private final ProbeTargetGuard guard = new ProbeTargetGuard(
            ProbeProperties.defaults().withAllowlist(List.of("127.0.0.0/8")), InventoryTargets.none());
    private final RevocationFetcher fetcher = new RevocationFetcher(guard);
    private final MutableClock clock = new MutableClock(Instant.now());
    private final List<AutoCloseable> servers = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable server : servers) {
            server.close();
        }
    }

    private RevocationChecker checker(ProbeProperties.RevocationFetch limits) {
        return new RevocationChecker(fetcher, clock, limits);
    }

    @Test
    void anEndlessCrlIsAbandonedAtTheCap() {
        AtomicLong sent = new AtomicLong();
        RawServer server = raw(socket -> {
            OutputStream out = socket.getOutputStream();
            out.write("HTTP/1.0 200 OK\r\nContent-Type: application/pkix-crl\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            for (int i = 0; i < 16 * 1024; i++) { // a gigabyte, unless the client stops reading
                out.write(chunk);
                sent.addAndGet(chunk.length);
            }
        });
        long started = System.nanoTime();

        assertThatThrownBy(() -> fetcher.fetch(server.uri("/big.crl"), null, null, 256 * 1024, deadline(10)))
                .isInstanceOf(RevocationFetchException.class)
                .satisfies(
                        e -> assertThat(((RevocationFetchException) e).reason()).isEqualTo(Revocation.TOO_LARGE));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(sent.get())
                .as("bytes the server got out before the client hung up")
                .isLessThan(64L * 1024 * 1024);
    }

    @Test
    void anAnnouncedLengthOverTheCapIsRefusedBeforeReadingTheBody() {
        RawServer server = raw(socket -> {
            socket.getOutputStream()
                    .write("HTTP/1.1 200 OK\r\nContent-Length: 900000000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            sleep(Duration.ofSeconds(5)); // the body never comes
        });
        long started = System.nanoTime();

        assertThatThrownBy(() -> fetcher.fetch(server.uri("/crl"), null, null, 1024 * 1024, deadline(10)))
                .satisfies(
                        e -> assertThat(((RevocationFetchException) e).reason()).isEqualTo(Revocation.TOO_LARGE));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void aChunkedBodyIsCappedToo() {
        RawServer server = raw(socket -> {
            OutputStream out = socket.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 100; i++) {
                out.write("4000\r\n".getBytes(StandardCharsets.US_ASCII));
                out.write(new byte[0x4000]);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        });

        assertThatThrownBy(() -> fetcher.fetch(server.uri("/crl"), null, null, 100_000, deadline(10)))
                .satisfies(
                        e -> assertThat(((RevocationFetchException) e).reason()).isEqualTo(Revocation.TOO_LARGE));
    }

    @Test
    void aServerThatTricklesCannotOutlastTheDeadline() {
        RawServer server = raw(socket -> {
            OutputStream out = socket.getOutputStream();
            for (int i = 0; i < 200; i++) { // one byte every 50 ms: a fixed read timeout would never fire
                out.write('H');
                out.flush();
                sleep(Duration.ofMillis(50));
            }
        });
        long started = System.nanoTime();

        assertThatThrownBy(() -> fetcher.fetch(server.uri("/crl"), null, null, 1024 * 1024, deadline(1)))
                .satisfies(
                        e -> assertThat(((RevocationFetchException) e).reason()).isEqualTo(Revocation.TIMEOUT));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2500));
    }

    @Test
    void noRemoteErrorTextReachesTheAnswer() {
        RawServer server = raw(socket -> socket.getOutputStream()
                .write(("HTTP/1.0 500 secret-hostname.internal db=10.1.2.3\r\nContent-Type: text/plain\r\n\r\n"
                                + "java.sql.SQLException: password authentication failed for user ca_admin")
                        .getBytes(StandardCharsets.US_ASCII)));
        Issued leaf = TestCertificates.leaf("svc.test")
                .crl(server.uri("/crl").toString())
                .ocsp(server.uri("/ocsp").toString())
                .signedBy(CA);

        Revocation answer = checker(ProbeProperties.RevocationFetch.defaults())
                .check(leaf.certificate(), CA.certificate(), deadline(5));

        assertThat(answer.status()).isEqualTo(Revocation.Status.UNKNOWN);
        assertThat(answer.reason()).isEqualTo(Revocation.FETCH_FAILED);
        assertThat(answer.detail())
                .isEqualTo(
                        "CRL " + server.uri("/crl") + ": fetch-failed; OCSP " + server.uri("/ocsp") + ": fetch-failed")
                .doesNotContain("secret", "password", "10.1.2.3", "500");
    }

    @Test
    void deeplyNestedDerIsMalformedNotAStackOverflow() {
        byte[] nested = nestedSequences(20_000);
        RawServer server = raw(socket -> {
            OutputStream out = socket.getOutputStream();
            out.write(("HTTP/1.0 200 OK\r\nContent-Length: " + nested.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(nested);
        });
        Issued leaf = TestCertificates.leaf("svc.test")
                .crl(server.uri("/crl").toString())
                .signedBy(CA);

        Revocation answer = checker(ProbeProperties.RevocationFetch.defaults())
                .check(leaf.certificate(), CA.certificate(), deadline(5));

        assertThat(answer.reason()).isEqualTo(Revocation.MALFORMED);
        assertThat(DerShape.acceptable(nested, DerShape.MAX_DEPTH)).isFalse();
    }

    @Test
    void aRealCrlHasAnAcceptableShapeAndTrailingBytesDoNot() throws Exception {
        byte[] crl = TestCertificates.crl(CA, Instant.now(), java.math.BigInteger.TEN)
                .getEncoded();

        assertThat(DerShape.acceptable(crl, DerShape.MAX_DEPTH)).isTrue();
        assertThat(DerShape.acceptable(Arrays.copyOf(crl, crl.length + 1), DerShape.MAX_DEPTH))
                .isFalse();
        assertThat(DerShape.acceptable(Arrays.copyOf(crl, crl.length - 1), DerShape.MAX_DEPTH))
                .isFalse();
        assertThat(DerShape.acceptable(new byte[] {0x30, (byte) 0x80, 0, 0}, DerShape.MAX_DEPTH))
                .as("indefinite length")
                .isFalse();
    }

    @Test
    void atMostTwoCrlAndTwoOcspUrlsOfACertificateAreTried() throws Exception {
        CountingHttp http = countingHttp(Duration.ZERO, 500);
        TestCertificates.Builder builder = TestCertificates.leaf("svc.test");
        for (int i = 0; i < 5; i++) {
            builder.crl(http.url("/crl" + i)).ocsp(http.url("/ocsp" + i));
        }

        Revocation answer = checker(ProbeProperties.RevocationFetch.defaults())
                .check(builder.signedBy(CA).certificate(), CA.certificate(), deadline(5));

        assertThat(answer.status()).isEqualTo(Revocation.Status.UNKNOWN);
        assertThat(http.paths()).containsExactly("/crl0", "/crl1", "/ocsp0", "/ocsp1");
    }

    @Test
    void concurrentProbesOfOneCrlShareOneFetch() throws Exception {
        CountingHttp http = countingHttp(Duration.ofMillis(500), 200);
        Issued leaf = TestCertificates.leaf("svc.test").crl(http.url("/crl")).signedBy(CA);
        RevocationChecker checker = checker(ProbeProperties.RevocationFetch.defaults());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Revocation>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return checker.check(leaf.certificate(), CA.certificate(), deadline(5));
                }));
            }
            start.countDown();
            for (Future<Revocation> answer : answers) {
                assertThat(answer.get().status()).isEqualTo(Revocation.Status.GOOD);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(http.count()).as("requests the CRL server received").isEqualTo(1);
    }

    @Test
    void aCachedCrlIsFetchedAgainAfterTheConfiguredMaxAgeEvenBeforeItsNextUpdate() throws Exception {
        CountingHttp http = countingHttp(Duration.ZERO, 200);
        Issued leaf = TestCertificates.leaf("svc.test").crl(http.url("/crl")).signedBy(CA);
        RevocationChecker checker = checker(new ProbeProperties.RevocationFetch(
                DataSize.ofMegabytes(1), DataSize.ofKilobytes(64), Duration.ofMinutes(10), DataSize.ofMegabytes(8)));

        checker.check(leaf.certificate(), CA.certificate(), deadline(5));
        clock.advance(Duration.ofMinutes(9));
        checker.check(leaf.certificate(), CA.certificate(), deadline(5));
        assertThat(http.count()).isEqualTo(1);

        clock.advance(Duration.ofMinutes(2)); // 11 minutes: past the max age, the CRL's nextUpdate is a day
        checker.check(leaf.certificate(), CA.certificate(), deadline(5));
        assertThat(http.count()).isEqualTo(2);
    }

    @Test
    void aFailedFetchIsNotKept() throws Exception {
        CountingHttp http = countingHttp(Duration.ZERO, 503);
        Issued leaf = TestCertificates.leaf("svc.test").crl(http.url("/crl")).signedBy(CA);
        RevocationChecker checker = checker(ProbeProperties.RevocationFetch.defaults());

        checker.check(leaf.certificate(), CA.certificate(), deadline(5));
        checker.check(leaf.certificate(), CA.certificate(), deadline(5));

        assertThat(http.count()).isEqualTo(2);
    }

    // ---- helpers ----

    private static Deadline deadline(int seconds) {
        return Deadline.after(Duration.ofSeconds(seconds));
    }

    private static byte[] nestedSequences(int depth) {
        // innermost first: each level wraps the previous in a SEQUENCE with a definite length
        byte[] inner = {0x05, 0x00};
        for (int i = 0; i < depth; i++) {
            int length = inner.length;
            byte[] header = length < 0x80
                    ? new byte[] {0x30, (byte) length}
                    : length < 0x100
                            ? new byte[] {0x30, (byte) 0x81, (byte) length}
                            : length < 0x10000
                                    ? new byte[] {0x30, (byte) 0x82, (byte) (length >> 8), (byte) length}
                                    : new byte[] {
                                        0x30, (byte) 0x83, (byte) (length >> 16), (byte) (length >> 8), (byte) length
                                    };
            byte[] outer = Arrays.copyOf(header, header.length + length);
            System.arraycopy(inner, 0, outer, header.length, length);
            inner = outer;
        }
        return inner;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @FunctionalInterface
    interface Handler {
        void handle(Socket socket) throws IOException;
    }

    /** A TCP server that answers every connection with the handler's bytes (HTTP or not). */
    final class RawServer implements AutoCloseable {
        private final ServerSocket socket;
        private final Thread thread;

        RawServer(Handler handler) throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
            thread = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket client = socket.accept()) {
                        handler.handle(client);
                        // end the answer with a FIN, then take in what the client sent: a socket closed with the
                        // request still unread sends a reset, which may discard the answer before it is read
                        client.shutdownOutput();
                        client.setSoTimeout(2000);
                        client.getInputStream().transferTo(OutputStream.nullOutputStream());
                    } catch (IOException e) {
                        // the client hung up (what the caps are for) or the server closed
                    }
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort() + path);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private RawServer raw(Handler handler) {
        try {
            RawServer server = new RawServer(handler);
            servers.add(server);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An HTTP server that counts requests, answers after a delay, with CA's CRL (200) or an empty error body. */
    final class CountingHttp implements AutoCloseable {
        private final HttpServer server;
        private final AtomicInteger count = new AtomicInteger();
        private final List<String> paths = java.util.Collections.synchronizedList(new ArrayList<>());

        CountingHttp(Duration delay, int status) throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
            server.setExecutor(Executors.newCachedThreadPool());
            server.createContext("/", exchange -> {
                count.incrementAndGet();
                paths.add(exchange.getRequestURI().getPath());
                sleep(delay);
                byte[] body;
                try {
                    body = status == 200
                            ? TestCertificates.crl(CA, clock.instant()).getEncoded()
                            : new byte[0];
                } catch (java.security.cert.CRLException e) {
                    throw new IOException(e);
                }
                exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
        }

        String url(String path) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + path;
        }

        int count() {
            return count.get();
        }

        List<String> paths() {
            return List.copyOf(paths);
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private CountingHttp countingHttp(Duration delay, int status) throws IOException {
        CountingHttp server = new CountingHttp(delay, status);
        servers.add(server);
        return server;
    }
}
