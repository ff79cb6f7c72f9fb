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
import io.certloop.support.TlsPeek;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Names drifted: nginx presents a certificate for another name than the inventory expects. Detection raises
 * {@code NAME_MISMATCH}, a {@code mis-issuance/against-policy} incident reissues from the internal CA for the
 * expected names, and nginx presents it, verified live, with nobody involved until the review.
 */
class MisIssuanceEndToEndIT extends PostgresIntegrationTest {

    private NginxServer nginx;
    private Path certDir;
    private TestCertificates.Issued drifted;

    @BeforeEach
    void startNginx() throws Exception {
        assumeTrue(NginxServer.available(), "Debian nginx is required (bin/test installs it)");
        certDir = Files.createDirectories(deployDir().resolve("drift-" + System.nanoTime()));
        TestCertificates.Issued root = TestCertificates.rootCa("Drift Root").selfSigned();
        TestCertificates.Issued ca =
                TestCertificates.intermediate("Drift Issuing CA").signedBy(root);
        drifted = TestCertificates.leaf("old-name.example.test")
                .sans("old-name.example.test")
                .expiringIn(Duration.ofDays(60))
                .signedBy(ca);
        // the complete chain: the only trust problem is the unknown root (its incident waits for a person)
        drifted.writeChainPem(certDir.resolve("fullchain.pem"));
        drifted.writeKeyPem(certDir.resolve("key.pem"));
        nginx = NginxServer.builder(NGINX_PREFIX)
                .site("drift", certDir.resolve("fullchain.pem"), certDir.resolve("key.pem"))
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
    void aCertificateForDriftedNamesIsReissuedForTheExpectedNamesAndVerifiedLive() throws Exception {
        String name = "drift-" + System.nanoTime();
        ApiClient operator = ApiClient.as(port, "olga", "olga-pw");
        assertThat(operator.post(
                                "/api/inventory/endpoints",
                                TestEndpoints.loopback(
                                        name,
                                        nginx.port("drift"),
                                        certDir.resolve("fullchain.pem"),
                                        certDir.resolve("key.pem"),
                                        "test-nginx"))
                        .status())
                .isEqualTo(201);

        ApiClient.Response probed = operator.post("/api/inventory/endpoints/" + name + "/probe", Map.of());
        assertThat(probed.status()).as(probed.body()).isEqualTo(200);
        assertThat(probed.body()).contains("NAME_MISMATCH");

        JsonNode incident = Await.until(Duration.ofSeconds(60), () -> {
            for (JsonNode candidate :
                    admin.get("/api/incidents?endpoint=" + name).json()) {
                if ("mis-issuance".equals(candidate.path("category").asText())
                        && "resolved".equals(candidate.path("state").asText())) {
                    return candidate;
                }
            }
            return null;
        });
        assertThat(incident.path("subcategory").asText()).isEqualTo("against-policy");
        String expected = admin.get("/api/inventory/endpoints/" + name)
                .json()
                .path("expectedSha256")
                .asText();
        assertThat(expected).matches("[0-9a-f]{64}").isNotEqualTo(drifted.sha256());
        assertThat(TlsPeek.awaitLeaf("127.0.0.1", nginx.port("drift"), expected, Duration.ofSeconds(5))
                        .subject())
                .contains("localhost");
        JsonNode timeline = admin.get("/api/incidents/" + incident.path("id").asText())
                .json()
                .path("timeline");
        assertThat(timeline.findValuesAsText("type"))
                .contains(
                        "mis-issuance-identified",
                        "certificate-issued",
                        "deployment-verified",
                        "mis-issued-not-revoked")
                .doesNotContain("task-completed");
    }
}
