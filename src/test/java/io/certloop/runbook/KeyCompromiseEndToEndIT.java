package io.certloop.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.certloop.support.ApiClient;
import io.certloop.support.Await;
import io.certloop.support.NginxServer;
import io.certloop.support.PostgresIntegrationTest;
import io.certloop.support.TestCertificates;
import io.certloop.support.TestEndpoints;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CRLEntryHolder;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.jcajce.JcaCertificateID;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A key compromise on a certificate CertLoop's internal CA issued and nginx presents: the old serial is
 * revoked with reason keyCompromise (CertLoop's CRL, parsed with BouncyCastle, and its OCSP responder
 * say so), nginx presents a certificate with a new key, verified live; nobody involved until the review.
 */
class KeyCompromiseEndToEndIT extends PostgresIntegrationTest {

    private NginxServer nginx;
    private Path certDir;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void startNginx() throws Exception {
        assumeTrue(NginxServer.available(), "Debian nginx is required (bin/test installs it)");
        certDir = Files.createDirectories(deployDir().resolve("compromise-" + System.nanoTime()));
        TestCertificates.Issued ca = TestCertificates.rootCa("Bootstrap Root").selfSigned();
        TestCertificates.Issued bootstrap = TestCertificates.leaf("localhost")
                .sans("localhost")
                .expiringIn(Duration.ofDays(30))
                .signedBy(ca);
        bootstrap.writeFullchainPem(certDir.resolve("fullchain.pem"));
        bootstrap.writeKeyPem(certDir.resolve("key.pem"));
        nginx = NginxServer.builder(NGINX_PREFIX)
                .site("keys", certDir.resolve("fullchain.pem"), certDir.resolve("key.pem"))
                .start();
        admin.ensureUser("olga", "olga-pw", "operators");
    }

    @AfterEach
    void stopNginx() {
        if (nginx != null) {
            nginx.close();
        }
    }

    @Test
    void theCompromisedCertificateIsRevokedAtTheCrlAndOcspAndNginxPresentsANewKey() throws Exception {
        String name = "keys-" + System.nanoTime();
        ApiClient operator = ApiClient.as(port, "olga", "olga-pw");
        assertThat(operator.post(
                                "/api/inventory/endpoints",
                                TestEndpoints.loopback(
                                        name,
                                        nginx.port("keys"),
                                        certDir.resolve("fullchain.pem"),
                                        certDir.resolve("key.pem"),
                                        "test-nginx"))
                        .status())
                .isEqualTo(201);
        ApiClient.Response replaced = operator.post("/api/inventory/endpoints/" + name + "/replace", Map.of());
        assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
        BigInteger oldSerial =
                new BigInteger(replaced.json().path("issued").path("serial").asText(), 16);
        // nginx's old worker may take a last connection while it winds down after the reload
        X509Certificate old = presentedOnce(c -> c.getSerialNumber().equals(oldSerial));
        assertThat(old.getSerialNumber()).isEqualTo(oldSerial);

        ApiClient.Response opened = operator.post(
                "/api/incidents",
                Map.of(
                        "endpoint",
                        name,
                        "category",
                        "key-compromise",
                        "subcategory",
                        "confirmed",
                        "reason",
                        "the private key was committed to a public repository"));
        assertThat(opened.status()).as(opened.body()).isEqualTo(201);
        String incidentId = opened.json().path("id").asText();

        JsonNode incident = Await.until(Duration.ofSeconds(90), () -> {
            JsonNode current = admin.get("/api/incidents/" + incidentId).json();
            return "resolved".equals(current.path("state").asText()) ? current : null;
        });
        assertThat(incident.path("timeline").findValuesAsText("type"))
                .contains("key-exposure-mapped", "certificates-revoked", "endpoint-replaced");

        X509Certificate now = presentedOnce(c -> !c.getSerialNumber().equals(oldSerial));
        assertThat(now.getSerialNumber()).isNotEqualTo(oldSerial);
        assertThat(now.getPublicKey().getEncoded())
                .as("a new key, never the old one")
                .isNotEqualTo(old.getPublicKey().getEncoded());

        X509CRLHolder crl = new X509CRLHolder(get("/pki/crl"));
        X509CRLEntryHolder entry = crl.getRevokedCertificate(oldSerial);
        assertThat(entry).as("the old serial is on CertLoop's CRL").isNotNull();
        assertThat(CRLReason.getInstance(entry.getExtensions().getExtensionParsedValue(Extension.reasonCode))
                        .getValue()
                        .intValue())
                .isEqualTo(CRLReason.keyCompromise);
        assertThat(crl.getRevokedCertificate(now.getSerialNumber())).isNull();

        X509Certificate intermediate = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(get("/pki/intermediate.crt")));
        CertificateID id = new JcaCertificateID(
                new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1), intermediate, oldSerial);
        HttpResponse<byte[]> ocsp = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/pki/ocsp"))
                        .header("Content-Type", "application/ocsp-request")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(
                                new OCSPReqBuilder().addRequest(id).build().getEncoded()))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(ocsp.statusCode()).isEqualTo(200);
        SingleResp answer = ((BasicOCSPResp) new OCSPResp(ocsp.body()).getResponseObject()).getResponses()[0];
        assertThat(answer.getCertStatus()).isInstanceOf(RevokedStatus.class);
        assertThat(((RevokedStatus) answer.getCertStatus()).getRevocationReason())
                .isEqualTo(CRLReason.keyCompromise);
    }

    private byte[] get(String path) throws Exception {
        HttpResponse<byte[]> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

    /** The leaf nginx presents, read by the test's own TLS client. */
    /** What nginx presents once it matches (within 10 s: the reload's old worker has gone by then). */
    private X509Certificate presentedOnce(java.util.function.Predicate<X509Certificate> settled) throws Exception {
        X509Certificate[] last = new X509Certificate[1];
        try {
            return Await.until(Duration.ofSeconds(10), () -> {
                try {
                    last[0] = presented();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return settled.test(last[0]) ? last[0] : null;
            });
        } catch (AssertionError notYet) {
            return last[0]; // the caller's assertion names what it presents
        }
    }

    private X509Certificate presented() throws Exception {
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
                null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", nginx.port("keys"))) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(java.util.List.of(new javax.net.ssl.SNIHostName("localhost")));
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }
}
