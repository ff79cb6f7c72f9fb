package io.certloop.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import io.certloop.CertLoopApplication;
import io.certloop.custody.KeyCustody;
import io.certloop.issuance.ca.InternalCaIssuer;
import io.certloop.support.PebbleServer;
import io.certloop.system.Pem;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The whole application on a real port: internal-CA issuance with the /pki endpoints fetched over
 * HTTP (unauthenticated) and OCSP going from good to revoked; ACME issuance against pebble whose
 * validator really fetches the HTTP-01 answer from CertLoop's responder; then every table of the
 * database (Camunda's included) and the log are searched for private-key material.
 */
@ExtendWith(OutputCaptureExtension.class)
class IssuanceAppIT {

    @TempDir
    static Path dataDir;

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static PebbleServer pebble;
    private static ConfigurableApplicationContext app;
    private static int port;

    @BeforeAll
    static void start() {
        port = PebbleServer.freePort();
        pebble = PebbleServer.startValidatingOn(port);
        app = new SpringApplicationBuilder(CertLoopApplication.class)
                .run(
                        "--server.port=" + port,
                        "--certloop.data-dir=" + dataDir,
                        "--certloop.admin.password=it-" + System.nanoTime(),
                        "--certloop.pki.base-url=http://127.0.0.1:" + port,
                        "--certloop.issuance.acme.directory-url=" + pebble.directoryUrl(),
                        "--certloop.issuance.acme.trusted-ca-file=" + pebble.caFile(),
                        "--certloop.issuance.acme.poll-interval=200ms",
                        // the demo service is not part of this test
                        "--certloop.demo.enabled=false");
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (pebble != null) {
            pebble.close();
        }
    }

    @Test
    void internalCaCertificateIsServedWithWorkingCaIssuersCrlAndOcspEndpoints() throws Exception {
        Issuers issuers = app.getBean(Issuers.class);
        IssuedCertificate issued = issuers.forPath("internal-ca")
                .issue(IssueRequest.of("web-1", List.of("svc.localhost"), "standard", "it-internal"));
        X509Certificate leaf = Pem.parseCertificate(issued.leafPem());

        X509Certificate intermediate = certificate(get("/pki/intermediate.crt"));
        X509Certificate root = certificate(get("/pki/ca.crt"));
        leaf.verify(intermediate.getPublicKey());
        intermediate.verify(root.getPublicKey());
        assertThat(new String(leaf.getExtensionValue("1.3.6.1.5.5.7.1.1"), StandardCharsets.ISO_8859_1))
                .contains("http://127.0.0.1:" + port + "/pki/ocsp")
                .contains("http://127.0.0.1:" + port + "/pki/intermediate.crt");

        BigInteger serial = leaf.getSerialNumber();
        assertThat(ocspPost(serial, intermediate).getCertStatus()).as("good").isNull();

        app.getBean(InternalCaIssuer.class).revoke(issued.serial(), RevocationReason.KEY_COMPROMISE);

        SingleResp revoked = ocspGet(serial, intermediate);
        assertThat(revoked.getCertStatus()).isInstanceOf(RevokedStatus.class);
        X509CRL crl = (X509CRL)
                CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(get("/pki/crl")));
        crl.verify(intermediate.getPublicKey());
        assertThat(crl.getRevokedCertificate(serial)).isNotNull();
        assertThat(crl.getNextUpdate()).isAfter(crl.getThisUpdate());
    }

    @Test
    void acmeOrderIsValidatedThroughCertLoopsOwnChallengeResponder() throws Exception {
        Issuers issuers = app.getBean(Issuers.class);

        IssuedCertificate issued =
                issuers.forPath("acme").issue(IssueRequest.of("web-2", List.of("localhost"), "standard", "it-acme"));

        X509Certificate leaf = Pem.parseCertificate(issued.leafPem());
        assertThat(leaf.getSubjectAlternativeNames())
                .extracting(san -> (Object) san.get(1))
                .contains("localhost");
        assertThat(leaf.getPublicKey().getEncoded())
                .isEqualTo(app.getBean(KeyCustody.class)
                        .get(issued.keyId())
                        .publicKey()
                        .getEncoded());
        assertThat(pebble.log())
                .as("pebble's validator fetched the token from CertLoop")
                .contains("/.well-known/acme-challenge/");
        assertThat(status("/.well-known/acme-challenge/no-such-token")).isEqualTo(404);
    }

    @Test
    void noPrivateKeyMaterialInAnyTableOrInTheLog(CapturedOutput output) throws Exception {
        Issuers issuers = app.getBean(Issuers.class);
        issuers.forPath("internal-ca")
                .issue(IssueRequest.of("web-3", List.of("scan.localhost"), "emergency", "it-scan"));
        issuers.forPath("acme").issue(IssueRequest.of("web-3", List.of("localhost"), "standard", "it-scan-acme"));
        issuers.forPath("admin-mediated")
                .begin(IssueRequest.of("web-3", List.of("scan.localhost"), "standard", "it-scan-admin"));

        JdbcTemplate jdbc = new JdbcTemplate(app.getBean(DataSource.class));
        List<String> keyIds = jdbc.queryForList("SELECT id FROM custody_key", String.class);
        assertThat(jdbc.queryForList("SELECT DISTINCT purpose FROM custody_key", String.class))
                .contains("certificate", "ca-root", "ca-intermediate", "acme-account");
        List<String> needles = new ArrayList<>();
        for (String keyId : keyIds) {
            needles.addAll(needlesFor(app.getBean(KeyCustody.class), keyId));
        }

        jdbc.execute("CREATE TABLE scanner_control (v VARCHAR(8000))");
        jdbc.update("INSERT INTO scanner_control VALUES (?)", "x" + needles.get(0) + "y");
        assertThat(scan(needles)).as("the scanner finds planted material").containsExactly("SCANNER_CONTROL.V");
        jdbc.execute("DROP TABLE scanner_control");

        assertThat(scan(needles)).as("columns holding private key material").isEmpty();
        assertThat(scannedTables)
                .as("Camunda's and CertLoop's tables were scanned")
                .contains("ACT_GE_BYTEARRAY", "ACT_RU_VARIABLE", "CUSTODY_KEY", "ISSUED_CERTIFICATE");
        String log = output.getAll();
        assertThat(needles).noneMatch(log::contains);
        assertThat(log).doesNotContain("PRIVATE KEY");
    }

    private List<String> scannedTables = new ArrayList<>();

    /** Every row and column of every table; returns TABLE.COLUMN where a needle was found. */
    private List<String> scan(List<String> needles) throws Exception {
        List<String> hits = new ArrayList<>();
        scannedTables = new ArrayList<>();
        try (Connection connection = app.getBean(DataSource.class).getConnection()) {
            DatabaseMetaData meta = connection.getMetaData();
            List<String[]> tables = new ArrayList<>();
            try (ResultSet rs = meta.getTables(null, null, "%", null)) {
                while (rs.next()) {
                    String schema = rs.getString("TABLE_SCHEM");
                    String type = rs.getString("TABLE_TYPE");
                    if (!"INFORMATION_SCHEMA".equalsIgnoreCase(schema) && type != null && type.contains("TABLE")) {
                        tables.add(new String[] {schema, rs.getString("TABLE_NAME")});
                    }
                }
            }
            for (String[] table : tables) {
                scannedTables.add(table[1].toUpperCase(Locale.ROOT));
                try (Statement statement = connection.createStatement();
                        ResultSet rows =
                                statement.executeQuery("SELECT * FROM \"" + table[0] + "\".\"" + table[1] + "\"")) {
                    int columns = rows.getMetaData().getColumnCount();
                    while (rows.next()) {
                        for (int c = 1; c <= columns; c++) {
                            String text = text(rows.getObject(c));
                            if (text != null && needles.stream().anyMatch(text::contains)) {
                                hits.add(table[1] + "." + rows.getMetaData().getColumnName(c));
                            }
                        }
                    }
                }
            }
        }
        return hits.stream().distinct().toList();
    }

    private static String text(Object value) throws Exception {
        if (value == null) {
            return null;
        }
        if (value instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.ISO_8859_1) + " "
                    + HexFormat.of().formatHex(bytes);
        }
        if (value instanceof Blob blob) {
            return text(blob.getBytes(1, (int) blob.length()));
        }
        if (value instanceof Clob clob) {
            return clob.getSubString(1, (int) clob.length());
        }
        return value.toString();
    }

    /** The forms a leaked key would take: PEM body line, whole base64, DER (as bytes and hex), EC scalar. */
    private static List<String> needlesFor(KeyCustody custody, String keyId) throws Exception {
        ByteArrayOutputStream pem = new ByteArrayOutputStream();
        custody.writePrivateKeyPem(keyId, pem);
        String pemText = pem.toString(StandardCharsets.US_ASCII);
        PrivateKey key;
        try (Reader reader = new StringReader(pemText);
                PEMParser parser = new PEMParser(reader)) {
            key = new JcaPEMKeyConverter().getPrivateKey((PrivateKeyInfo) parser.readObject());
        }
        byte[] der = key.getEncoded();
        List<String> needles = new ArrayList<>();
        needles.add(pemText.lines().skip(1).findFirst().orElseThrow());
        needles.add(Base64.getEncoder().encodeToString(der).substring(20));
        needles.add(HexFormat.of().formatHex(der).substring(40));
        needles.add(new String(der, StandardCharsets.ISO_8859_1).substring(30));
        if (key instanceof ECPrivateKey ec) {
            byte[] scalar = ec.getS().toByteArray();
            needles.add(HexFormat.of().formatHex(scalar));
            needles.add(Base64.getEncoder().encodeToString(scalar));
        }
        return needles;
    }

    private static SingleResp ocspPost(BigInteger serial, X509Certificate issuer) throws Exception {
        HttpResponse<byte[]> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(base() + "/pki/ocsp"))
                        .header("Content-Type", "application/ocsp-request")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(ocspRequest(serial, issuer)))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/ocsp-response");
        return single(response.body());
    }

    private static SingleResp ocspGet(BigInteger serial, X509Certificate issuer) throws Exception {
        String encoded = URLEncoder.encode(
                Base64.getEncoder().encodeToString(ocspRequest(serial, issuer)), StandardCharsets.US_ASCII);
        return single(get("/pki/ocsp/" + encoded));
    }

    private static byte[] ocspRequest(BigInteger serial, X509Certificate issuer) throws Exception {
        CertificateID id = new CertificateID(
                new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                new JcaX509CertificateHolder(issuer),
                serial);
        return new OCSPReqBuilder().addRequest(id).build().getEncoded();
    }

    private static SingleResp single(byte[] der) throws Exception {
        OCSPResp response = new OCSPResp(der);
        assertThat(response.getStatus()).isEqualTo(OCSPResp.SUCCESSFUL);
        return ((BasicOCSPResp) response.getResponseObject()).getResponses()[0];
    }

    private static X509Certificate certificate(byte[] der) throws Exception {
        try (InputStream in = new ByteArrayInputStream(der)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static byte[] get(String path) throws Exception {
        HttpResponse<byte[]> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(base() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode())
                .as("GET " + path + " without credentials")
                .isEqualTo(200);
        return response.body();
    }

    private static int status(String path) throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create(base() + path)).GET().build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static String base() {
        return "http://127.0.0.1:" + port;
    }
}
