package io.certloop.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.certloop.incident.Opening;
import io.certloop.support.AlertmanagerWebhook;
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
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Alertmanager re-sends a firing alert until Prometheus sees the fix, which comes after CertLoop has
 * fixed and resolved the incident. The repeat lands on that incident; it never opens a second one.
 */
class AlertRepeatIT extends PostgresIntegrationTest {

    @Autowired
    private IntakeService intake;

    private NginxServer nginx;
    private Path certDir;
    private TestCertificates.Issued expiring;

    @BeforeEach
    void startNginx() throws Exception {
        assumeTrue(NginxServer.available(), "Debian nginx is required (bin/test installs it)");
        certDir = Files.createDirectories(deployDir().resolve("repeat-" + System.nanoTime()));
        TestCertificates.Issued ca = TestCertificates.rootCa("Repeat Root").selfSigned();
        expiring = TestCertificates.leaf("localhost")
                .sans("localhost")
                .expiringIn(Duration.ofDays(1))
                .signedBy(ca);
        expiring.writeFullchainPem(certDir.resolve("fullchain.pem"));
        expiring.writeKeyPem(certDir.resolve("key.pem"));
        nginx = NginxServer.builder(NGINX_PREFIX)
                .site("repeat", certDir.resolve("fullchain.pem"), certDir.resolve("key.pem"))
                .start();
        admin.ensureUser("alertmanager", "alertmanager-pw", "operators");
    }

    @AfterEach
    void stopNginx() {
        if (nginx != null) {
            nginx.close();
        }
    }

    @Test
    void theSameFiringAlertBeforeAndAfterTheFixIsOneIncident() throws Exception {
        String name = "repeat-" + System.nanoTime();
        ApiClient alertmanager = ApiClient.as(port, "alertmanager", "alertmanager-pw");
        assertThat(alertmanager
                        .post(
                                "/api/inventory/endpoints",
                                TestEndpoints.loopback(
                                        name,
                                        nginx.port("repeat"),
                                        certDir.resolve("fullchain.pem"),
                                        certDir.resolve("key.pem"),
                                        "test-nginx"))
                        .status())
                .isEqualTo(201);
        String fingerprint = "fp-" + name;
        String firing = AlertmanagerWebhook.payload(
                "firing",
                AlertmanagerWebhook.alert(
                        "firing",
                        "SSLCertExpiringSoon",
                        "localhost:443",
                        fingerprint,
                        Map.of("certloop_endpoint", name)));

        ApiClient.Response first = alertmanager.post("/api/alerts/alertmanager", "application/json", firing);
        assertThat(first.status()).as(first.body()).isEqualTo(202);
        String incidentId = first.json().path("incidents").get(0).asText();

        // CertLoop fixes nginx and resolves the incident; Prometheus has not scraped since
        Await.until(
                Duration.ofSeconds(60),
                () -> "resolved"
                                .equals(admin.get("/api/incidents/" + incidentId)
                                        .json()
                                        .path("state")
                                        .asText())
                        ? Boolean.TRUE
                        : null);
        String renewed = admin.get("/api/inventory/endpoints/" + name)
                .json()
                .path("expectedSha256")
                .asText();
        assertThat(TlsPeek.awaitLeaf("127.0.0.1", nginx.port("repeat"), renewed, Duration.ofSeconds(5))
                        .leafSha256())
                .isEqualTo(renewed);

        ApiClient.Response repeat = alertmanager.post("/api/alerts/alertmanager", "application/json", firing);
        assertThat(repeat.status()).as(repeat.body()).isEqualTo(202);
        assertThat(repeat.json().path("incidents")).extracting(JsonNode::asText).containsExactly(incidentId);
        assertThat(repeat.json().path("deduplicated"))
                .extracting(JsonNode::asText)
                .containsExactly(incidentId);

        JsonNode incidents = admin.get("/api/incidents?endpoint=" + name).json();
        assertThat(incidents)
                .as("one incident for the endpoint, not a second waiting for a person")
                .hasSize(1);
        JsonNode incident = admin.get("/api/incidents/" + incidentId).json();
        assertThat(incident.path("state").asText())
                .as("the repeat does not reopen it")
                .isEqualTo("resolved");
        assertThat(incident.path("timeline").findValuesAsText("type")).contains("repeated");

        // the probe's own finding coming back within the reopen grace goes to the same incident
        Optional<Opening> returned = intake.fromFinding(name, "EXPIRING_SOON", Map.of("message", "still expiring?"));
        assertThat(returned).hasValueSatisfying(opening -> {
            assertThat(opening.deduplicated()).isTrue();
            assertThat(opening.incident().id()).isEqualTo(incidentId);
        });
        assertThat(admin.get("/api/incidents/" + incidentId)
                        .json()
                        .path("timeline")
                        .findValuesAsText("type"))
                .contains(io.certloop.incident.TimelineTypes.FINDING_RETURNED);

        // and Alertmanager's resolved notification for that episode is recorded there too
        ApiClient.Response resolved = alertmanager.post(
                "/api/alerts/alertmanager",
                "application/json",
                AlertmanagerWebhook.payload(
                        "resolved",
                        AlertmanagerWebhook.alert(
                                "resolved",
                                "SSLCertExpiringSoon",
                                "localhost:443",
                                fingerprint,
                                Map.of("certloop_endpoint", name))));
        assertThat(resolved.json().path("resolvedRecordedOn"))
                .extracting(JsonNode::asText)
                .containsExactly(incidentId);
        assertThat(admin.get("/api/incidents?endpoint=" + name).json()).hasSize(1);
    }
}
