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
import io.certloop.support.TestRevocationServer;
import io.certloop.support.TlsPeek;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An outside CA (BouncyCastle-made, root and intermediate) whose CRL, served over HTTP on loopback
 * (allowed by {@code certloop.probe.allowlist}), lists the certificate nginx presents. Detection raises
 * {@code REVOKED}, the revocation runbook records the CA's answer and maps the endpoints, an incident
 * commander approves the plan, and nginx presents a new certificate from the internal CA, verified live.
 */
class RevocationPropagationEndToEndIT extends PostgresIntegrationTest {

    private NginxServer nginx;
    private TestRevocationServer revocation;
    private Path certDir;
    private TestCertificates.Issued revoked;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(NginxServer.available(), "Debian nginx is required (bin/test installs it)");
        certDir = Files.createDirectories(deployDir().resolve("revoked-" + System.nanoTime()));
        TestCertificates.Issued root = TestCertificates.rootCa("Partner Root").selfSigned();
        TestCertificates.Issued intermediate =
                TestCertificates.intermediate("Partner Issuing CA").signedBy(root);
        revocation = TestRevocationServer.start(intermediate);
        revoked = TestCertificates.leaf("localhost")
                .sans("localhost")
                .expiringIn(Duration.ofDays(60))
                .crl(revocation.crlUrl())
                .signedBy(intermediate);
        revocation.revoke(revoked.serial());
        revoked.writeChainPem(certDir.resolve("fullchain.pem"));
        revoked.writeKeyPem(certDir.resolve("key.pem"));
        nginx = NginxServer.builder(NGINX_PREFIX)
                .site("revoked", certDir.resolve("fullchain.pem"), certDir.resolve("key.pem"))
                .start();
        admin.ensureUser("olga", "olga-pw", "operators");
        admin.ensureUser("ingrid", "ingrid-pw", "incident-commanders");
    }

    @AfterEach
    void stop() {
        if (nginx != null) {
            nginx.close();
        }
        if (revocation != null) {
            revocation.close();
        }
    }

    @Test
    void aRevokedCertificateNginxPresentsIsReplacedFromTheInternalCaAfterTheCommanderApproves() throws Exception {
        String name = "revoked-" + System.nanoTime();
        ApiClient operator = ApiClient.as(port, "olga", "olga-pw");
        ApiClient commander = ApiClient.as(port, "ingrid", "ingrid-pw");
        assertThat(operator.post(
                                "/api/inventory/endpoints",
                                TestEndpoints.loopback(
                                        name,
                                        nginx.port("revoked"),
                                        certDir.resolve("fullchain.pem"),
                                        certDir.resolve("key.pem"),
                                        "test-nginx"))
                        .status())
                .isEqualTo(201);

        ApiClient.Response probed = operator.post("/api/inventory/endpoints/" + name + "/probe", Map.of());
        assertThat(probed.status()).as(probed.body()).isEqualTo(200);
        assertThat(probed.body()).contains("REVOKED");
        assertThat(revocation.requests("/crl")).isPositive();

        JsonNode approval = Await.until(Duration.ofSeconds(60), () -> {
            JsonNode tasks = commander
                    .get("/engine-rest/task?taskDefinitionKey=approveReplacementPlan"
                            + "&processDefinitionKey=revocation-propagation")
                    .json();
            for (JsonNode task : tasks) {
                JsonNode endpoint = commander
                        .get("/engine-rest/task/" + task.path("id").asText() + "/variables/endpoint")
                        .json();
                if (name.equals(endpoint.path("value").asText())) {
                    return task;
                }
            }
            return null;
        });
        JsonNode variables = commander
                .get("/engine-rest/task/" + approval.path("id").asText() + "/variables")
                .json();
        assertThat(variables.path("revocationEvidence").path("value").asText())
                .contains("REVOKED from CRL", revocation.crlUrl());
        assertThat(variables.path("evidencePointsTo").path("value").asText()).isEqualTo("uncoordinated-replacement");
        assertThat(variables.path("replacementOrder").path("value").asText()).isEqualTo(name);

        ApiClient.Response approved = commander.post(
                "/engine-rest/task/" + approval.path("id").asText() + "/complete",
                Map.of(
                        "variables",
                        Map.of(
                                "planApproved",
                                Map.of("value", "yes"),
                                "replacementOrder",
                                Map.of("value", name),
                                "ownerMessage",
                                Map.of("value", "The partner CA revoked the certificate; a new one is live now."))));
        assertThat(approved.status()).as(approved.body()).isEqualTo(204);

        String incidentId = approval.path("processInstanceId").isMissingNode()
                ? null
                : admin.get("/engine-rest/process-instance/"
                                + approval.path("processInstanceId").asText())
                        .json()
                        .path("businessKey")
                        .asText();
        JsonNode incident = Await.until(Duration.ofSeconds(60), () -> {
            JsonNode current = admin.get("/api/incidents/" + incidentId).json();
            return "resolved".equals(current.path("state").asText()) ? current : null;
        });
        assertThat(incident.path("category").asText()).isEqualTo("revocation-propagation");
        assertThat(incident.path("timeline").findValuesAsText("type"))
                .contains("revocation-confirmed", "key-exposure-mapped", "task-completed", "endpoint-replaced");

        String expected = admin.get("/api/inventory/endpoints/" + name)
                .json()
                .path("expectedSha256")
                .asText();
        assertThat(expected).matches("[0-9a-f]{64}").isNotEqualTo(revoked.sha256());
        assertThat(TlsPeek.awaitLeaf("127.0.0.1", nginx.port("revoked"), expected, Duration.ofSeconds(5))
                        .leafSha256())
                .as("nginx presents the new certificate to the test's own TLS client")
                .isEqualTo(expected);
    }
}
