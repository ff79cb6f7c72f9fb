package io.certloop.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.certloop.support.AlertmanagerWebhook;
import io.certloop.support.ApiClient;
import io.certloop.support.Await;
import io.certloop.support.NginxServer;
import io.certloop.support.PostgresIntegrationTest;
import io.certloop.support.TestCertificates;
import io.certloop.support.TestEndpoints;
import io.certloop.support.TestFiles;
import io.certloop.support.TlsPeek;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The product, end to end: nginx presents a certificate that expires tomorrow, Alertmanager posts
 * its webhook, the expiry runbook reissues from the internal CA, deploys, reloads nginx and
 * verifies; the test's own TLS client confirms, and an incident commander completes the review
 * through the engine's REST API.
 */
class ExpiryIncidentEndToEndIT extends PostgresIntegrationTest {

    private NginxServer nginx;
    private Path certDir;
    private TestCertificates.Issued expiring;

    @BeforeEach
    void startNginx() throws Exception {
        assumeTrue(NginxServer.available(), "Debian nginx is required (bin/test installs it)");
        certDir = Files.createDirectories(deployDir().resolve("e2e-" + System.nanoTime()));
        TestCertificates.Issued ca = TestCertificates.rootCa("Legacy Root").selfSigned();
        expiring = TestCertificates.leaf("localhost")
                .sans("localhost")
                .expiringIn(Duration.ofDays(1))
                .signedBy(ca);
        expiring.writeFullchainPem(certDir.resolve("fullchain.pem"));
        expiring.writeKeyPem(certDir.resolve("key.pem"));
        nginx = NginxServer.builder(NGINX_PREFIX)
                .site("shop", certDir.resolve("fullchain.pem"), certDir.resolve("key.pem"))
                .start();
        admin.ensureUser("alertmanager", "alertmanager-pw", "operators");
        admin.ensureUser("iris", "iris-pw", "incident-commanders");
    }

    @AfterEach
    void stopNginx() {
        if (nginx != null) {
            nginx.close();
        }
    }

    @Test
    void anAlertIsHealedToAVerifiedLiveEndpointAndTheReviewCompletesTheIncident() throws Exception {
        String name = "shop-" + System.nanoTime();
        ApiClient alertmanager = ApiClient.as(port, "alertmanager", "alertmanager-pw");
        ApiClient commander = ApiClient.as(port, "iris", "iris-pw");
        assertThat(alertmanager.post("/api/inventory/endpoints", endpoint(name)).status())
                .isEqualTo(201);

        Instant alerted = Instant.now();
        ApiClient.Response accepted =
                alertmanager.post("/api/alerts/alertmanager", "application/json", AlertmanagerWebhook.firingFor(name));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        String incidentId = accepted.json().path("incidents").get(0).asText();
        assertThat(incidentId).matches("INC-\\d{4}-\\d{6}");

        JsonNode review = Await.until(Duration.ofSeconds(60), () -> {
            JsonNode tasks = commander
                    .get("/engine-rest/task?processInstanceBusinessKey=" + incidentId
                            + "&taskDefinitionKey=reviewIncident")
                    .json();
            return tasks.isArray() && !tasks.isEmpty() ? tasks.get(0) : null;
        });
        Duration alertToVerified = Duration.between(alerted, Instant.now());

        String expected = admin.get("/api/inventory/endpoints/" + name)
                .json()
                .path("expectedSha256")
                .asText();
        assertThat(expected).matches("[0-9a-f]{64}").isNotEqualTo(expiring.sha256());
        assertThat(TlsPeek.awaitLeaf("127.0.0.1", nginx.port("shop"), expected, Duration.ofSeconds(5))
                        .leafSha256())
                .as("nginx presents the new certificate to the test's own TLS client")
                .isEqualTo(expected);

        JsonNode incident = admin.get("/api/incidents/" + incidentId).json();
        assertThat(incident.path("state").asText()).isEqualTo("resolved");
        assertThat(incident.toString())
                .contains("certificate-issued", "certificate-deployed", "deployment-verified", "deployment-released");
        assertThat(TestFiles.names(certDir))
                .as("verified: the expiring certificate's private key is not kept beside the live one")
                .noneMatch(file -> file.endsWith(".certloop-prev"));
        assertThat(admin.get("/api/notifications?incidentId=" + incidentId).body())
                .contains("web@example.test", "pki@example.test");

        // the review opens with the runbook's own measurement of where the time went
        assertThat(commander
                        .get("/engine-rest/task/" + review.path("id").asText() + "/variables")
                        .json()
                        .path("timeSpent")
                        .path("value")
                        .asText())
                .contains("issuance ", "deployment ", "alert to verified ");

        // what Tasklist loads to render the task: the Camunda Form deployed from forms/
        ApiClient.Response form =
                commander.get("/engine-rest/task/" + review.path("id").asText() + "/deployed-form");
        assertThat(form.status()).as(form.body()).isEqualTo(200);
        assertThat(form.json().path("id").asText()).isEqualTo("post-incident-review");
        assertThat(form.json().path("components").findValuesAsText("key"))
                .contains("rootCause", "detectionGap", "timeSpent", "pattern", "operatingModelChange");

        ApiClient.Response completed = commander.post(
                "/engine-rest/task/" + review.path("id").asText() + "/complete",
                Map.of(
                        "variables",
                        Map.of(
                                "rootCause", Map.of("value", "renewal-failed-silently"),
                                "detectionGap", Map.of("value", "expiry alert fired one day before"),
                                "timeSpent", Map.of("value", "alert to verified " + alertToVerified.toMillis() + " ms"),
                                "operatingModelChange",
                                        Map.of("value", "put every endpoint under CertLoop detection"))));
        assertThat(completed.status()).as(completed.body()).isEqualTo(204);

        JsonNode closed = Await.until(Duration.ofSeconds(30), () -> {
            JsonNode current = admin.get("/api/incidents/" + incidentId).json();
            return "closed".equals(current.path("state").asText()) ? current : null;
        });
        assertThat(closed.toString()).contains("renewal-failed-silently");
        JsonNode history = admin.get("/engine-rest/history/process-instance?processInstanceBusinessKey=" + incidentId)
                .json();
        assertThat(history.get(0).path("state").asText()).isEqualTo("COMPLETED");
    }

    @Test
    void aRenewedButNotDeployedCertificateIsRedeployedAndVerified() throws Exception {
        String name = "renewed-" + System.nanoTime();
        ApiClient operator = ApiClient.as(port, "alertmanager", "alertmanager-pw");
        assertThat(operator.post("/api/inventory/endpoints", endpoint(name)).status())
                .isEqualTo(201);
        // a renewal happened (issued, deployed, verified) ...
        ApiClient.Response replaced = operator.post("/api/inventory/endpoints/" + name + "/replace", Map.of());
        assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
        String renewed = replaced.json().path("issued").path("sha256").asText();
        // ... then the service went back to the old files (a config management run, a restore, a new node)
        expiring.writeFullchainPem(certDir.resolve("fullchain.pem"));
        expiring.writeKeyPem(certDir.resolve("key.pem.old"));
        Files.move(
                certDir.resolve("key.pem.old"),
                certDir.resolve("key.pem"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        nginx.reload();
        assertThat(TlsPeek.awaitLeaf("127.0.0.1", nginx.port("shop"), expiring.sha256(), Duration.ofSeconds(5))
                        .leafSha256())
                .isEqualTo(expiring.sha256());

        ApiClient.Response opened = operator.post(
                "/api/incidents",
                Map.of(
                        "endpoint",
                        name,
                        "category",
                        "renewed-not-deployed",
                        "reason",
                        "FINGERPRINT_MISMATCH: the endpoint presents the old certificate"));
        assertThat(opened.status()).as(opened.body()).isEqualTo(201);
        String incidentId = opened.json().path("id").asText();

        JsonNode closed = Await.until(Duration.ofSeconds(60), () -> {
            JsonNode incident = admin.get("/api/incidents/" + incidentId).json();
            return "closed".equals(incident.path("state").asText()) ? incident : null;
        });
        assertThat(closed.toString())
                .contains("expected-certificate-checked", "certificate-deployed", "deployment-verified");
        assertThat(TlsPeek.awaitLeaf("127.0.0.1", nginx.port("shop"), renewed, Duration.ofSeconds(5))
                        .leafSha256())
                .as("the renewed certificate is live again, no new one was issued")
                .isEqualTo(renewed);
    }

    @Test
    void anAlertForATargetOutsideTheInventoryStartsATriageTaskAndIsNeverProbed() throws Exception {
        String target = "unknown-" + System.nanoTime() + ".example.test:443";
        ApiClient alertmanager = ApiClient.as(port, "alertmanager", "alertmanager-pw");
        ApiClient.Response accepted = alertmanager.post(
                "/api/alerts/alertmanager",
                "application/json",
                AlertmanagerWebhook.payload(
                        "firing", AlertmanagerWebhook.alert("firing", "SSLCertExpiringSoon", target, "fp-" + target)));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        assertThat(accepted.json().path("incidents")).isEmpty();
        JsonNode task = Await.until(Duration.ofSeconds(10), () -> {
            JsonNode tasks = admin.get("/engine-rest/task?processDefinitionKey=triage-unknown-target"
                            + "&processInstanceBusinessKey=TRIAGE-" + target)
                    .json();
            return tasks.isArray() && !tasks.isEmpty() ? tasks.get(0) : null;
        });
        assertThat(task.path("taskDefinitionKey").asText()).isEqualTo("triageTarget");
        JsonNode variables = admin.get("/engine-rest/task/" + task.path("id").asText() + "/variables")
                .json();
        assertThat(variables.path("target").path("value").asText()).isEqualTo(target);
    }

    private Map<String, Object> endpoint(String name) {
        return TestEndpoints.loopback(
                name, nginx.port("shop"), certDir.resolve("fullchain.pem"), certDir.resolve("key.pem"), "test-nginx");
    }
}
