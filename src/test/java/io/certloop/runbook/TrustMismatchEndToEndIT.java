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
 * Debian nginx sends its certificate without the intermediate (a certificate file holding the leaf
 * alone, the classic mistake). Detection raises {@code CHAIN_INCOMPLETE}, the trust-mismatch runbook
 * redeploys the full chain CertLoop holds, and nginx sends a complete chain: nobody involved, and no
 * new certificate issued.
 */
class TrustMismatchEndToEndIT extends PostgresIntegrationTest {

    private NginxServer nginx;
    private Path certDir;

    @BeforeEach
    void startNginx() throws Exception {
        assumeTrue(NginxServer.available(), "Debian nginx is required (bin/test installs it)");
        certDir = Files.createDirectories(deployDir().resolve("chain-" + System.nanoTime()));
        TestCertificates.Issued ca = TestCertificates.rootCa("Bootstrap Root").selfSigned();
        TestCertificates.Issued bootstrap = TestCertificates.leaf("localhost")
                .sans("localhost")
                .expiringIn(Duration.ofDays(30))
                .signedBy(ca);
        bootstrap.writeFullchainPem(certDir.resolve("fullchain.pem"));
        bootstrap.writeKeyPem(certDir.resolve("key.pem"));
        nginx = NginxServer.builder(NGINX_PREFIX)
                .site("chain", certDir.resolve("fullchain.pem"), certDir.resolve("key.pem"))
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
    void nginxSendingNoIntermediateSendsTheCompleteChainAfterwardsWithNobodyInvolved() throws Exception {
        String name = "chain-" + System.nanoTime();
        ApiClient operator = ApiClient.as(port, "olga", "olga-pw");
        assertThat(operator.post(
                                "/api/inventory/endpoints",
                                TestEndpoints.loopback(
                                        name,
                                        nginx.port("chain"),
                                        certDir.resolve("fullchain.pem"),
                                        certDir.resolve("key.pem"),
                                        "test-nginx"))
                        .status())
                .isEqualTo(201);
        // CertLoop's internal CA issues and deploys the certificate (leaf and intermediate) ...
        ApiClient.Response replaced = operator.post("/api/inventory/endpoints/" + name + "/replace", Map.of());
        assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
        String sha256 = replaced.json().path("issued").path("sha256").asText();
        // ... then someone puts the leaf alone into the file nginx serves
        String fullchain = Files.readString(certDir.resolve("fullchain.pem"));
        String leafOnly = fullchain.substring(
                        0, fullchain.indexOf("-----END CERTIFICATE-----") + "-----END CERTIFICATE-----".length())
                + "\n";
        Files.writeString(certDir.resolve("fullchain.pem"), leafOnly);
        nginx.reload();
        Await.until(Duration.ofSeconds(10), () -> peekChainLength() == 1 ? Boolean.TRUE : null);

        ApiClient.Response probed = operator.post("/api/inventory/endpoints/" + name + "/probe", Map.of());
        assertThat(probed.status()).as(probed.body()).isEqualTo(200);
        assertThat(probed.body()).contains("CHAIN_INCOMPLETE");

        JsonNode incident = Await.until(Duration.ofSeconds(60), () -> {
            JsonNode list = admin.get("/api/incidents?endpoint=" + name).json();
            for (JsonNode candidate : list) {
                if ("trust-mismatch".equals(candidate.path("category").asText())
                        && "resolved".equals(candidate.path("state").asText())) {
                    return candidate;
                }
            }
            return null;
        });
        assertThat(incident.path("subcategory").asText()).isEqualTo("intermediate-not-sent");
        // nginx's old worker may take a last connection while it winds down after the reload
        TlsPeek.Presented presented = TlsPeek.awaitPresented(
                "127.0.0.1", nginx.port("chain"), p -> p.chainLength() == 2, Duration.ofSeconds(10));
        assertThat(presented.leafSha256())
                .as("the same certificate, nothing reissued")
                .isEqualTo(sha256);
        assertThat(presented.chainLength()).as("leaf and intermediate").isEqualTo(2);

        JsonNode detail =
                admin.get("/api/incidents/" + incident.path("id").asText()).json();
        assertThat(detail.path("timeline").findValuesAsText("type"))
                .contains("chain-inspected", "certificate-deployed", "deployment-verified", "resolved")
                .doesNotContain("certificate-issued", "task-completed");
        JsonNode tasks = admin.get("/engine-rest/task?processInstanceBusinessKey="
                        + incident.path("id").asText())
                .json();
        assertThat(tasks)
                .extracting(task -> task.path("taskDefinitionKey").asText())
                .as("only the review waits for a person")
                .containsExactly("reviewIncident");
    }

    private int peekChainLength() {
        try {
            return TlsPeek.peek("127.0.0.1", nginx.port("chain")).chainLength();
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
