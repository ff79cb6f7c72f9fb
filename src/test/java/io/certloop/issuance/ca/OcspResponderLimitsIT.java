package io.certloop.issuance.ca;

import static org.assertj.core.api.Assertions.assertThat;

import io.certloop.support.PostgresIntegrationTest;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.Test;

/**
 * The OCSP responder's bounds over HTTP, without credentials as any relying party: a request larger than
 * 4 KiB is refused unread (413), more than ten certificates in one request is malformedRequest, and
 * asking again about the same certificate is answered from the cache (the same signed bytes).
 */
class OcspResponderLimitsIT extends PostgresIntegrationTest {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void aRequestBodyOverFourKibIsRefusedWith413() throws Exception {
        HttpResponse<byte[]> response = post(new byte[PkiController.MAX_OCSP_REQUEST_BYTES + 1]);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void aGetRequestOverFourKibIsRefusedWith413() throws Exception {
        byte[] der = new byte[PkiController.MAX_OCSP_REQUEST_BYTES + 100];
        String encoded = URLEncoder.encode(Base64.getEncoder().encodeToString(der), StandardCharsets.US_ASCII);

        HttpResponse<byte[]> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(base() + "/pki/ocsp/" + encoded))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.statusCode()).isEqualTo(413);
    }

    @Test
    void moreThanTenCertificatesInOneRequestIsMalformed() throws Exception {
        X509Certificate issuer = intermediate();

        OCSPResp eleven = new OCSPResp(post(request(issuer, 11)).body());
        OCSPResp ten = new OCSPResp(post(request(issuer, 10)).body());

        assertThat(eleven.getStatus()).isEqualTo(OCSPResp.MALFORMED_REQUEST);
        assertThat(ten.getStatus()).isEqualTo(OCSPResp.SUCCESSFUL);
        assertThat(((BasicOCSPResp) ten.getResponseObject()).getResponses()).hasSize(10);
    }

    @Test
    void theSameQuestionIsAnsweredFromTheCache() throws Exception {
        byte[] request = request(intermediate(), 1);

        HttpResponse<byte[]> first = post(request);
        Thread.sleep(1100); // a fresh answer would carry a later producedAt (second precision)
        HttpResponse<byte[]> second = post(request);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(new OCSPResp(first.body()).getStatus()).isEqualTo(OCSPResp.SUCCESSFUL);
        assertThat(second.body()).isEqualTo(first.body());
    }

    private byte[] request(X509Certificate issuer, int certificates) throws Exception {
        OCSPReqBuilder builder = new OCSPReqBuilder();
        for (int i = 0; i < certificates; i++) {
            builder.addRequest(new CertificateID(
                    new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                    new JcaX509CertificateHolder(issuer),
                    new BigInteger(120, RANDOM)));
        }
        byte[] der = builder.build().getEncoded();
        assertThat(der.length).isLessThan(PkiController.MAX_OCSP_REQUEST_BYTES);
        return der;
    }

    private X509Certificate intermediate() throws Exception {
        HttpResponse<byte[]> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(base() + "/pki/intermediate.crt"))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        return (X509Certificate)
                CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(response.body()));
    }

    private HttpResponse<byte[]> post(byte[] body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(base() + "/pki/ocsp"))
                        .header("Content-Type", "application/ocsp-request")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }
}
