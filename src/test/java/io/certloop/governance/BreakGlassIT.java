package io.certloop.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.certloop.incident.IncidentService;
import io.certloop.support.ApiClient;
import io.certloop.support.Await;
import io.certloop.support.NginxServer;
import io.certloop.support.PostgresIntegrationTest;
import io.certloop.support.TestCertificates;
import io.certloop.support.TestEndpoints;
import io.certloop.support.TlsPeek;
import io.certloop.system.ConflictException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Break-glass over HTTP on the whole server: an expired production certificate on Debian nginx whose normal
 * path needs a person; an operator breaks the glass; the requester cannot approve, two other approvers do (SEV1
 * needs two distinct ones); nginx then presents a certificate from the emergency profile, no longer-lived than
 * that profile allows; the incident cannot close before the PKI board's review.
 */
class BreakGlassIT extends PostgresIntegrationTest {

    private static final Duration EMERGENCY_VALIDITY = Duration.ofDays(7);

    @Autowired
    private IncidentService incidents;

    private NginxServer nginx;
    private Path certDir;
    private TestCertificates.Issued expired;
    private ApiClient opal;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(NginxServer.available(), "Debian nginx is required (bin/test installs it)");
        // opal asks and is an approver too: four eyes must hold whatever groups she holds
        admin.ensureUser("opal", "opal-pw", "operators", "incident-commanders", "approvers");
        admin.ensureUser("abel", "abel-pw", "approvers");
        admin.ensureUser("ada", "ada-pw", "approvers");
        admin.ensureUser("bea", "bea-pw", "pki-board");
        admin.ensureUser("aud", "aud-pw", "auditors");
        opal = ApiClient.as(port, "opal", "opal-pw");
        certDir = Files.createDirectories(deployDir().resolve("break-glass-" + System.nanoTime()));
        TestCertificates.Issued ca = TestCertificates.rootCa("Old Root").selfSigned();
        expired = TestCertificates.leaf("localhost").sans("localhost").expired().signedBy(ca);
        expired.writeFullchainPem(certDir.resolve("fullchain.pem"));
        expired.writeKeyPem(certDir.resolve("key.pem"));
        nginx = NginxServer.builder(NGINX_PREFIX)
                .site("shop", certDir.resolve("fullchain.pem"), certDir.resolve("key.pem"))
                .start();
    }

    @AfterEach
    void stopNginx() {
        if (nginx != null) {
            nginx.close();
        }
    }

    @Test
    void twoOtherApproversLetTheEmergencyCertificateGoLiveAndTheReviewGatesTheClose() throws Exception {
        String name = "bg-shop-" + System.nanoTime();
        Map<String, Object> endpoint = endpoint(name);
        endpoint.put("replacementPath", "manual"); // the normal path needs a person: too slow for this outage
        assertThat(opal.post("/api/inventory/endpoints", endpoint).status()).isEqualTo(201);
        ApiClient.Response opened = opal.post(
                "/api/incidents",
                Map.of("endpoint", name, "category", "expiry", "reason", "shop is down: certificate expired"));
        assertThat(opened.status()).as(opened.body()).isEqualTo(201);
        String incidentId = opened.json().path("id").asText();

        assertThat(opal.post("/api/incidents/" + incidentId + "/break-glass", Map.of())
                        .json()
                        .path("field")
                        .asText())
                .isEqualTo("reason");
        assertThat(ApiClient.as(port, "aud", "aud-pw")
                        .post("/api/incidents/" + incidentId + "/break-glass", Map.of("reason", "x"))
                        .status())
                .isEqualTo(403);
        java.time.Instant requestedAt = java.time.Instant.now();
        ApiClient.Response accepted = opal.post(
                "/api/incidents/" + incidentId + "/break-glass",
                Map.of("reason", "manual renewal takes a day; the shop is down now"));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        String processInstanceId = accepted.json().path("processInstanceId").asText();
        assertThat(processInstanceId).isNotBlank();
        int needed = accepted.json().path("approvalsNeeded").asInt();
        assertThat(accepted.json().path("severity").asText()).isEqualTo("SEV1");
        assertThat(needed)
                .as("SEV1 needs two distinct approvers (certloop.break-glass.approvers-needed)")
                .isEqualTo(2);
        JsonNode instance =
                admin.get("/engine-rest/process-instance/" + processInstanceId).json();
        assertThat(instance.path("businessKey").asText()).isEqualTo(incidentId);

        // the requester cannot approve her own request
        String first = approvalTask(processInstanceId);
        ApiClient abel = ApiClient.as(port, "abel", "abel-pw");
        assertThat(ExceptionReviewIT.filterTaskIds(abel, "Approvals waiting"))
                .as("the approvers' Tasklist filter")
                .contains(first);
        ApiClient.Response own = opal.post("/engine-rest/task/" + first + "/complete", decision("approve", "go"));
        assertThat(own.status()).as(own.body()).isEqualTo(403);
        assertThat(own.body()).contains("four eyes");
        assertThat(abel.post("/engine-rest/task/" + first + "/complete", decision("approve", "outage confirmed"))
                        .status())
                .isEqualTo(204);
        // the same approver twice does not count as two
        String second = approvalTask(processInstanceId);
        ApiClient.Response again =
                abel.post("/engine-rest/task/" + second + "/complete", decision("approve", "me again"));
        assertThat(again.status()).as(again.body()).isEqualTo(403);
        assertThat(again.body()).contains("already approved");
        assertThat(ApiClient.as(port, "ada", "ada-pw")
                        .post("/engine-rest/task/" + second + "/complete", decision("approve", "second pair of eyes"))
                        .status())
                .isEqualTo(204);

        JsonNode resolved = Await.until(Duration.ofSeconds(60), () -> {
            JsonNode incident = admin.get("/api/incidents/" + incidentId).json();
            return "resolved".equals(incident.path("state").asText()) ? incident : null;
        });
        assertThat(resolved.toString())
                .contains(
                        "break-glass-requested",
                        "break-glass-approval",
                        "break-glass-approved",
                        "certificate-issued",
                        "certificate-deployed",
                        "deployment-verified",
                        "break-glass-emergency-verified");
        String expected = admin.get("/api/inventory/endpoints/" + name)
                .json()
                .path("expectedSha256")
                .asText();
        TlsPeek.Presented presented =
                TlsPeek.awaitLeaf("127.0.0.1", nginx.port("shop"), expected, Duration.ofSeconds(5));
        assertThat(presented.leafSha256())
                .as("nginx presents the emergency certificate")
                .isEqualTo(expected)
                .isNotEqualTo(expired.sha256());
        assertThat(presented.notAfter())
                .as("valid at most the emergency profile's validity from its issuance")
                .isAfter(java.time.Instant.now())
                .isBeforeOrEqualTo(requestedAt.plus(EMERGENCY_VALIDITY).plusSeconds(60));
        assertThat(Duration.between(presented.notBefore(), presented.notAfter()))
                .as("the CA backdates notBefore a little")
                .isLessThanOrEqualTo(EMERGENCY_VALIDITY.plusMinutes(10));
        JsonNode record =
                opal.get("/api/incidents/" + incidentId + "/break-glass").json().get(0);
        assertThat(record.path("state").asText()).isEqualTo("approved");
        assertThat(record.path("emergencySha256").asText()).isEqualTo(expected);

        // the review is on the board's list with its due date; the incident cannot close before it
        JsonNode review = Await.until(Duration.ofSeconds(10), () -> {
            JsonNode tasks = admin.get("/engine-rest/task?processInstanceId=" + processInstanceId
                            + "&taskDefinitionKey=reviewBreakGlass")
                    .json();
            return tasks.isArray() && !tasks.isEmpty() ? tasks.get(0) : null;
        });
        assertThat(review.path("due").asText()).isNotBlank();
        assertThat(ExceptionReviewIT.filterTaskIds(ApiClient.as(port, "bea", "bea-pw"), "Overdue break-glass reviews"))
                .as("not overdue yet")
                .doesNotContain(review.path("id").asText());
        assertThatThrownBy(() -> incidents.close(incidentId, "iris", "done"))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("review");
        ApiClient.Response reviewed = ApiClient.as(port, "bea", "bea-pw")
                .post(
                        "/engine-rest/task/" + review.path("id").asText() + "/complete",
                        Map.of(
                                "variables",
                                Map.of(
                                        "whyNormalPathFailed", Map.of("value", "the endpoint had no automated renewal"),
                                        "emergencyProfileHeld", Map.of("value", "yes"),
                                        "operatingChanges", Map.of("value", "move the shop to ACME"))));
        assertThat(reviewed.status()).as(reviewed.body()).isEqualTo(204);
        assertThat(incidents.close(incidentId, "iris", "reviewed").state().value())
                .isEqualTo("closed");
        assertThat(admin.get("/api/incidents/" + incidentId).body()).contains("break-glass-reviewed", "bea");
    }

    @Test
    void theEmergencyProfileIsRefusedOnTheInventoryAndOnReplace() {
        String name = "bg-inv-" + System.nanoTime();
        Map<String, Object> endpoint = endpoint(name);
        endpoint.put("profile", "emergency");
        ApiClient.Response created = opal.post("/api/inventory/endpoints", endpoint);
        assertThat(created.status()).as(created.body()).isEqualTo(400);
        assertThat(created.json().path("field").asText()).isEqualTo("profile");
        endpoint.put("profile", "standard");
        assertThat(opal.post("/api/inventory/endpoints", endpoint).status()).isEqualTo(201);
        endpoint.put("profile", "emergency");
        ApiClient.Response updated = opal.put("/api/inventory/endpoints/" + name, endpoint);
        assertThat(updated.status()).as(updated.body()).isEqualTo(400);
        assertThat(updated.json().path("field").asText()).isEqualTo("profile");
        ApiClient.Response replaced =
                opal.post("/api/inventory/endpoints/" + name + "/replace", Map.of("profile", "emergency"));
        assertThat(replaced.status()).as(replaced.body()).isEqualTo(400);
        assertThat(replaced.json().path("field").asText()).isEqualTo("profile");
    }

    private String approvalTask(String processInstanceId) throws InterruptedException {
        JsonNode task = Await.until(Duration.ofSeconds(10), () -> {
            JsonNode tasks = admin.get("/engine-rest/task?processInstanceId=" + processInstanceId
                            + "&taskDefinitionKey=approveBreakGlass")
                    .json();
            return tasks.isArray() && !tasks.isEmpty() ? tasks.get(0) : null;
        });
        return task.path("id").asText();
    }

    private Map<String, Object> endpoint(String name) {
        return TestEndpoints.loopback(
                name, nginx.port("shop"), certDir.resolve("fullchain.pem"), certDir.resolve("key.pem"), "test-nginx");
    }

    private static Map<String, Object> decision(String decision, String comment) {
        Map<String, Object> variables = new HashMap<>();
        variables.put("breakGlassDecision", Map.of("value", decision));
        variables.put("decisionComment", Map.of("value", comment));
        return Map.of("variables", variables);
    }
}
