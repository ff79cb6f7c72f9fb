package io.certloop.remediation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.certloop.support.ApiClient;
import io.certloop.support.NginxServer;
import io.certloop.support.PostgresIntegrationTest;
import io.certloop.support.TestCertificates;
import io.certloop.support.TestEndpoints;
import io.certloop.support.TestFiles;
import io.certloop.support.TlsPeek;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /replace} against a real nginx: the answer is only a success when a fresh probe shows the
 * issued certificate, and the test checks that with its own TLS client too.
 */
class ReplaceEndpointIT extends PostgresIntegrationTest {

    private NginxServer nginx;
    private Path certDir;
    private TestCertificates.Issued oldLeaf;

    @BeforeEach
    void startNginx() throws Exception {
        assumeTrue(NginxServer.available(), "Debian nginx is required (bin/test installs it)");
        certDir = Files.createDirectories(deployDir().resolve("certs-" + System.nanoTime()));
        TestCertificates.Issued ca = TestCertificates.rootCa("Old Test Root").selfSigned();
        oldLeaf = TestCertificates.leaf("localhost")
                .sans("localhost")
                .expiringIn(Duration.ofDays(1))
                .signedBy(ca);
        Path fullchain = certDir.resolve("fullchain.pem");
        oldLeaf.writeFullchainPem(fullchain);
        Path key = oldLeaf.writeKeyPem(certDir.resolve("key.pem"));
        nginx = NginxServer.builder(NGINX_PREFIX).site("web", fullchain, key).start();
        admin.ensureUser("olivia", "olivia-pw", "operators");
        admin.ensureUser("audrey", "audrey-pw", "auditors");
    }

    @AfterEach
    void stopNginx() {
        if (nginx != null) {
            nginx.close();
        }
    }

    @Test
    void replaceIssuesFromTheInternalCaDeploysReloadsAndVerifiesTheLiveEndpoint() throws Exception {
        ApiClient operator = ApiClient.as(port, "olivia", "olivia-pw");
        String name = "nginx-web-" + System.nanoTime();
        assertThat(operator.post(
                                "/api/inventory/endpoints",
                                TestEndpoints.loopback(
                                        name,
                                        nginx.port("web"),
                                        certDir.resolve("fullchain.pem"),
                                        certDir.resolve("key.pem"),
                                        "test-nginx"))
                        .status())
                .isEqualTo(201);
        assertThat(ApiClient.as(port, "audrey", "audrey-pw")
                        .post("/api/inventory/endpoints/" + name + "/replace", Map.of())
                        .status())
                .as("only operators replace")
                .isEqualTo(403);

        ApiClient.Response response = operator.post("/api/inventory/endpoints/" + name + "/replace", Map.of());

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode evidence = response.json();
        String issued = evidence.path("issued").path("sha256").asText();
        assertThat(issued).matches("[0-9a-f]{64}").isNotEqualTo(oldLeaf.sha256());
        assertThat(evidence.path("issued").path("issuer").asText()).isEqualTo("internal-ca");
        assertThat(evidence.path("deployment").path("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(evidence.path("deployment").path("reload").path("exitCode").asInt())
                .isZero();
        assertThat(evidence.path("verification").path("passed").asBoolean()).isTrue();
        assertThat(evidence.path("verification").path("presentedSha256").asText())
                .isEqualTo(issued);
        assertThat(evidence.path("verification").path("chainComplete").asBoolean())
                .isTrue();
        assertThat(response.body()).doesNotContain("PRIVATE KEY");

        assertThat(TlsPeek.awaitLeaf("127.0.0.1", nginx.port("web"), issued, Duration.ofSeconds(5))
                        .leafSha256())
                .as("what nginx presents, seen by the test's own TLS client")
                .isEqualTo(issued);
        assertThat(operator.get("/api/inventory/endpoints/" + name)
                        .json()
                        .path("expectedSha256")
                        .asText())
                .isEqualTo(issued);
        assertThat(TestFiles.names(certDir))
                .as("verified: the replaced certificate and private key are not kept beside the live ones")
                .noneMatch(file -> file.endsWith(".certloop-prev"));
    }

    @Test
    void replaceThroughAcmeOnPebbleDeploysAndVerifiesTheLiveEndpoint() throws Exception {
        assumeTrue(pebble() != null, "Debian pebble is required (bin/test installs it)");
        ApiClient operator = ApiClient.as(port, "olivia", "olivia-pw");
        String name = "nginx-acme-" + System.nanoTime();
        Map<String, Object> request = TestEndpoints.loopback(
                name, nginx.port("web"), certDir.resolve("fullchain.pem"), certDir.resolve("key.pem"), "test-nginx");
        request.put("replacementPath", "acme");
        assertThat(operator.post("/api/inventory/endpoints", request).status()).isEqualTo(201);

        ApiClient.Response response = operator.post("/api/inventory/endpoints/" + name + "/replace", Map.of());

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode evidence = response.json();
        String issued = evidence.path("issued").path("sha256").asText();
        assertThat(evidence.path("issued").path("issuer").asText()).isEqualTo("acme");
        assertThat(evidence.path("verification").path("passed").asBoolean()).isTrue();
        assertThat(TlsPeek.awaitLeaf("127.0.0.1", nginx.port("web"), issued, Duration.ofSeconds(5))
                        .leafSha256())
                .isEqualTo(issued);
        assertThat(operator.get("/api/inventory/endpoints/" + name)
                        .json()
                        .path("expectedSha256")
                        .asText())
                .isEqualTo(issued);
    }

    @Test
    void aFailingReloadIsRolledBackAndTheOldCertificateIsStillServed() throws Exception {
        ApiClient operator = ApiClient.as(port, "olivia", "olivia-pw");
        String name = "nginx-broken-" + System.nanoTime();
        // the 'noop' action never reloads nginx, so the live endpoint keeps the old certificate
        assertThat(operator.post(
                                "/api/inventory/endpoints",
                                TestEndpoints.loopback(
                                        name,
                                        nginx.port("web"),
                                        certDir.resolve("fullchain.pem"),
                                        certDir.resolve("key.pem"),
                                        "noop"))
                        .status())
                .isEqualTo(201);

        ApiClient.Response response = operator.post("/api/inventory/endpoints/" + name + "/replace", Map.of());

        assertThat(response.status()).as(response.body()).isEqualTo(409);
        JsonNode evidence = response.json();
        assertThat(evidence.path("outcome").asText()).isEqualTo("VERIFICATION_FAILED");
        assertThat(evidence.path("verification").path("presentedSha256").asText())
                .isEqualTo(oldLeaf.sha256());
        assertThat(evidence.path("rollback").path("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(Files.readString(certDir.resolve("fullchain.pem")))
                .as("files restored")
                .startsWith(oldLeaf.certificatePem().strip().substring(0, 40));
        assertThat(TlsPeek.peek("127.0.0.1", nginx.port("web")).leafSha256()).isEqualTo(oldLeaf.sha256());
        assertThat(operator.get("/api/inventory/endpoints/" + name)
                        .json()
                        .path("expectedSha256")
                        .isNull())
                .isTrue();
    }

    @Test
    void aReloadActionThatFailsIsReportedAndRolledBack() throws Exception {
        ApiClient operator = ApiClient.as(port, "olivia", "olivia-pw");
        String name = "nginx-reload-fails-" + System.nanoTime();
        operator.post(
                "/api/inventory/endpoints",
                TestEndpoints.loopback(
                        name, nginx.port("web"), certDir.resolve("fullchain.pem"), certDir.resolve("key.pem"), "fail"));

        ApiClient.Response response = operator.post("/api/inventory/endpoints/" + name + "/replace", Map.of());

        assertThat(response.status()).as(response.body()).isEqualTo(409);
        JsonNode evidence = response.json();
        assertThat(evidence.path("outcome").asText()).isEqualTo("DEPLOYMENT_RELOAD_FAILED");
        assertThat(evidence.path("deployment").path("reload").path("exitCode").asInt())
                .isEqualTo(1);
        assertThat(evidence.path("rollback").path("operation").asText()).isEqualTo("ROLLBACK");
        assertThat(TlsPeek.peek("127.0.0.1", nginx.port("web")).leafSha256()).isEqualTo(oldLeaf.sha256());
    }

    @Test
    void aManualEndpointIsRefusedWithTheReason() {
        ApiClient operator = ApiClient.as(port, "olivia", "olivia-pw");
        String name = "manual-" + System.nanoTime();
        Map<String, Object> request = TestEndpoints.loopback(
                name, nginx.port("web"), certDir.resolve("fullchain.pem"), certDir.resolve("key.pem"), "noop");
        request.put("replacementPath", "manual");
        operator.post("/api/inventory/endpoints", request);
        ApiClient.Response response = operator.post("/api/inventory/endpoints/" + name + "/replace", Map.of());
        assertThat(response.status()).isEqualTo(409);
        assertThat(response.json().path("detail").asText()).contains("manual");
    }
}
