package io.certloop.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A real CRL distribution point and OCSP responder for one CA on a loopback port, so revocation is
 * tested over the wire with BouncyCastle-signed answers. Revoke a serial and both CRL and OCSP
 * say so. Counts requests so tests can see caching.
 *
 * <pre>{@code
 * try (TestRevocationServer revocation = TestRevocationServer.start(ca)) {
 *     Issued leaf = TestCertificates.leaf("svc.test").ocsp(revocation.ocspUrl()).signedBy(ca);
 *     revocation.revoke(leaf.serial());
 * }
 * }</pre>
 */
public final class TestRevocationServer implements AutoCloseable {

    private final HttpServer server;
    private final String host;
    private final TestCertificates.Issued ca;
    private final Set<BigInteger> revoked = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

    private TestRevocationServer(TestCertificates.Issued ca, String bindAddress) throws IOException {
        this.ca = ca;
        this.host = bindAddress;
        server = HttpServer.create(new InetSocketAddress(bindAddress, 0), 0);
        server.createContext("/crl", this::crl);
        server.createContext("/ocsp", this::ocsp);
        server.createContext("/", exchange -> {
            requests.computeIfAbsent("/", key -> new AtomicInteger()).incrementAndGet();
            respond(exchange, 404, "text/plain", new byte[0]);
        });
        server.start();
    }

    /** Serves revocation data for {@code ca} (CRL and OCSP answers are signed with its key). */
    public static TestRevocationServer start(TestCertificates.Issued ca) {
        return start(ca, "127.0.0.1");
    }

    /** The same on another local address (another loopback address, e.g. 127.0.0.2, stands for another host). */
    public static TestRevocationServer start(TestCertificates.Issued ca, String bindAddress) {
        try {
            return new TestRevocationServer(ca, bindAddress);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String crlUrl() {
        return "http://" + host + ":" + server.getAddress().getPort() + "/crl/ca.crl";
    }

    public String ocspUrl() {
        return "http://" + host + ":" + server.getAddress().getPort() + "/ocsp";
    }

    /** Every request served, whatever its path. */
    public int totalRequests() {
        return requests.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    public TestRevocationServer revoke(BigInteger serial) {
        revoked.add(serial);
        return this;
    }

    /** Requests served on a path prefix ("/crl" or "/ocsp"). */
    public int requests(String prefix) {
        AtomicInteger count = requests.get(prefix);
        return count == null ? 0 : count.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void crl(HttpExchange exchange) throws IOException {
        requests.computeIfAbsent("/crl", key -> new AtomicInteger()).incrementAndGet();
        try {
            byte[] body = TestCertificates.crl(
                            ca, Instant.now().minus(Duration.ofMinutes(1)), revoked.toArray(BigInteger[]::new))
                    .getEncoded();
            respond(exchange, 200, "application/pkix-crl", body);
        } catch (java.security.cert.CRLException e) {
            respond(exchange, 500, "text/plain", e.toString().getBytes());
        }
    }

    private void ocsp(HttpExchange exchange) throws IOException {
        requests.computeIfAbsent("/ocsp", key -> new AtomicInteger()).incrementAndGet();
        try (InputStream in = exchange.getRequestBody()) {
            OCSPReq request = new OCSPReq(in.readAllBytes());
            BasicOCSPRespBuilder builder = new BasicOCSPRespBuilder(new RespID(X500Name.getInstance(
                    ca.certificate().getSubjectX500Principal().getEncoded())));
            Date now = new Date();
            Date next = Date.from(Instant.now().plus(Duration.ofHours(1)));
            for (Req single : request.getRequestList()) {
                CertificateStatus status = revoked.contains(single.getCertID().getSerialNumber())
                        ? new RevokedStatus(
                                Date.from(Instant.now().minus(Duration.ofHours(1))), CRLReason.keyCompromise)
                        : CertificateStatus.GOOD;
                builder.addResponse(single.getCertID(), status, now, next);
            }
            BasicOCSPResp basic = builder.build(
                    new JcaContentSignerBuilder(TestCertificates.defaultSignatureAlgorithm(ca.privateKey(), false))
                            .build(ca.privateKey()),
                    new X509CertificateHolder[] {new JcaX509CertificateHolder(ca.certificate())},
                    now);
            respond(
                    exchange,
                    200,
                    "application/ocsp-response",
                    new OCSPRespBuilder()
                            .build(OCSPRespBuilder.SUCCESSFUL, basic)
                            .getEncoded());
        } catch (Exception e) { // test server: any failure becomes a 500 the client must cope with
            respond(exchange, 500, "text/plain", e.toString().getBytes());
        }
    }

    private static void respond(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
