package io.certloop.runbook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.certloop.support.ApiClient;
import io.certloop.support.Await;
import io.certloop.support.PostgresIntegrationTest;
import io.certloop.support.TestCertificates;
import io.certloop.support.TestEndpoints;
import io.certloop.support.TlsTestServer;
import io.certloop.support.WebappClient;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The attack of issue 10, repeated over HTTP: an operator completes the investigation of a renewed-not-deployed
 * incident on an endpoint where nothing listens, naming another, healthy endpoint that presents the expected
 * certificate. The incident stays open; once the incident's own endpoint presents it, the same completion passes.
 */
class GateAttackIT extends PostgresIntegrationTest {

    private static final String OPERATOR = "gate-operator";
    private static final String OPERATOR_PASSWORD = "gate-operator-pw";
    private static final String BG_APPROVER = "gate-bg-approver-";
    private static final String BG_APPROVER_PASSWORD = "gate-bg-approver-pw";

    private TestCertificates.Issued certificate;
    private TlsTestServer healthy;
    private TlsTestServer revived;
    private Path files;

    @BeforeEach
    void endpoints() throws Exception {
        admin.ensureUser(OPERATOR, OPERATOR_PASSWORD, "operators");
        TestCertificates.Issued ca = TestCertificates.rootCa("Gate Root").selfSigned();
        certificate = TestCertificates.leaf("localhost")
                .sans("localhost")
                .expiringIn(Duration.ofDays(60))
                .signedBy(ca);
        healthy = TlsTestServer.start(certificate.chainWithRoot(), certificate.privateKey());
        files = Files.createDirectories(deployDir().resolve("gate-" + System.nanoTime()));
    }

    @AfterEach
    void stop() {
        healthy.close();
        if (revived != null) {
            revived.close();
        }
    }

    @Test
    void namingAHealthyEndpointDoesNotCloseTheIncidentOfADeadOne() throws Exception {
        ApiClient operator = ApiClient.as(port, OPERATOR, OPERATOR_PASSWORD);
        String healthyName = "gate-healthy-" + System.nanoTime();
        String deadName = "gate-dead-" + System.nanoTime();
        int deadPort = freePort();
        assertThat(operator.post("/api/inventory/endpoints", endpoint(healthyName, healthy.port()))
                        .status())
                .isEqualTo(201);
        assertThat(operator.post("/api/inventory/endpoints", endpoint(deadName, deadPort))
                        .status())
                .isEqualTo(201);

        ApiClient.Response opened = operator.post(
                "/api/incidents",
                Map.of(
                        "endpoint",
                        deadName,
                        "category",
                        "renewed-not-deployed",
                        "reason",
                        "the renewed certificate is not live"));
        assertThat(opened.status()).as(opened.body()).isEqualTo(201);
        String incidentId = opened.json().path("id").asText();
        JsonNode task = Await.until(Duration.ofSeconds(60), () -> {
            JsonNode found = operator.get("/engine-rest/task?processInstanceBusinessKey=" + incidentId
                            + "&taskDefinitionKey=investigateDeployment")
                    .json();
            return found.isArray() && !found.isEmpty() ? found.get(0) : null;
        });
        String taskId = task.path("id").asText();
        String processInstanceId = task.path("processInstanceId").asText();

        // the attack: complete the task passing endpoint = the healthy endpoint
        Map<String, Object> attack = Map.of(
                "variables",
                Map.of(
                        "endpoint", Map.of("value", healthyName),
                        "investigationNotes", Map.of("value", "fixed")));
        ApiClient.Response completed = operator.post("/engine-rest/task/" + taskId + "/complete", attack);
        assertThat(completed.status()).as(completed.body()).isEqualTo(400);
        assertThat(completed.body()).contains("does not declare endpoint");
        ApiClient.Response submitted = operator.post("/engine-rest/task/" + taskId + "/submit-form", attack);
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(400);

        // the same through Tasklist: the webapps' own engine API, with session and CSRF token
        WebappClient tasklist = new WebappClient(port);
        assertThat(tasklist.login("tasklist", OPERATOR, OPERATOR_PASSWORD)).isEqualTo(200);
        ApiClient.Response viaTasklist =
                tasklist.post("/camunda/api/engine/engine/default/task/" + taskId + "/submit-form", attack);
        assertThat(viaTasklist.status()).as(viaTasklist.body()).isEqualTo(400);

        // nor can the operator set the variable itself, or move the token past the gate
        assertThat(operator.put(
                                "/engine-rest/process-instance/" + processInstanceId + "/variables/endpoint",
                                Map.of("value", healthyName))
                        .status())
                .isEqualTo(403);
        assertThat(operator.put("/engine-rest/task/" + taskId + "/variables/endpoint", Map.of("value", healthyName))
                        .status())
                .isEqualTo(403);
        assertThat(operator.post(
                                "/engine-rest/process-instance/" + processInstanceId + "/modification",
                                Map.of(
                                        "skipCustomListeners",
                                        true,
                                        "instructions",
                                        java.util.List.of(
                                                Map.of("type", "startBeforeActivity", "activityId", "recordResolution"),
                                                Map.of("type", "cancel", "activityId", "investigateDeployment"))))
                        .status())
                .isEqualTo(403);

        // even a variable an administrator set is not what the gate reads: the incident record names the endpoint
        assertThat(admin.put(
                                "/engine-rest/process-instance/" + processInstanceId + "/variables/endpoint",
                                Map.of("value", healthyName))
                        .status())
                .isEqualTo(204);
        ApiClient.Response honest = operator.post(
                "/engine-rest/task/" + taskId + "/complete",
                Map.of("variables", Map.of("investigationNotes", Map.of("value", "fixed"))));
        assertThat(honest.status()).as(honest.body()).isEqualTo(400);
        assertThat(honest.body()).contains("does not present the expected certificate");

        assertThat(operator.get("/engine-rest/task/" + taskId).status()).isEqualTo(200);
        JsonNode incident = operator.get("/api/incidents/" + incidentId).json();
        assertThat(incident.path("state").asText()).isEqualTo("open");
        assertThat(incident.toString()).doesNotContain("live endpoint verified");

        // control: once the incident's own endpoint presents the certificate, the same completion closes it
        revived = TlsTestServer.builder()
                .chain(certificate.chainWithRoot(), certificate.privateKey())
                .port(deadPort)
                .start();
        ApiClient.Response fixed = operator.post(
                "/engine-rest/task/" + taskId + "/complete",
                Map.of(
                        "variables",
                        Map.of("investigationNotes", Map.of("value", "the service was pointed at the new files"))));
        assertThat(fixed.status()).as(fixed.body()).isEqualTo(204);
        JsonNode closed = Await.until(Duration.ofSeconds(30), () -> {
            JsonNode current = operator.get("/api/incidents/" + incidentId).json();
            return "closed".equals(current.path("state").asText()) ? current : null;
        });
        assertThat(closed.toString()).contains("investigation-verified", deadName);
    }

    /**
     * The same attack on break-glass: an approver completes {@code approveBreakGlass} naming another endpoint. The
     * completion is refused and the task stays open; even variables an administrator sets are not what the steps
     * read: the emergency certificate is issued for and deployed to the endpoint of the incident record.
     */
    @Test
    void anApproverNamingAnotherEndpointIsRefusedAndBreakGlassDeploysToTheRecordsEndpoint() throws Exception {
        admin.ensureUser(BG_APPROVER + "1", BG_APPROVER_PASSWORD, "approvers");
        admin.ensureUser(BG_APPROVER + "2", BG_APPROVER_PASSWORD, "approvers");
        ApiClient operator = ApiClient.as(port, OPERATOR, OPERATOR_PASSWORD);
        String healthyName = "gate-bg-healthy-" + System.nanoTime();
        String deadName = "gate-bg-dead-" + System.nanoTime();
        assertThat(operator.post("/api/inventory/endpoints", endpoint(healthyName, healthy.port()))
                        .status())
                .isEqualTo(201);
        assertThat(operator.post("/api/inventory/endpoints", endpoint(deadName, freePort()))
                        .status())
                .isEqualTo(201);
        ApiClient.Response opened = operator.post(
                "/api/incidents",
                Map.of(
                        "endpoint",
                        deadName,
                        "category",
                        "expiry",
                        "reason",
                        "the dead endpoint's certificate expired"));
        assertThat(opened.status()).as(opened.body()).isEqualTo(201);
        String incidentId = opened.json().path("id").asText();
        ApiClient.Response requested =
                operator.post("/api/incidents/" + incidentId + "/break-glass", Map.of("reason", "the CA path is down"));
        assertThat(requested.status()).as(requested.body()).isEqualTo(202);
        String processInstanceId = requested.json().path("processInstanceId").asText();
        int needed = requested.json().path("approvalsNeeded").asInt();

        ApiClient approver = ApiClient.as(port, BG_APPROVER + "1", BG_APPROVER_PASSWORD);
        String taskId = breakGlassApproval(processInstanceId);
        Map<String, Object> attack = Map.of(
                "variables",
                Map.of(
                        "breakGlassDecision", Map.of("value", "approve"),
                        "decisionComment", Map.of("value", "go"),
                        "endpoint", Map.of("value", healthyName)));
        ApiClient.Response completed = approver.post("/engine-rest/task/" + taskId + "/complete", attack);
        assertThat(completed.status()).as(completed.body()).isEqualTo(400);
        assertThat(completed.body()).contains("does not declare endpoint");
        assertThat(approver.post("/engine-rest/task/" + taskId + "/submit-form", attack)
                        .status())
                .isEqualTo(400);
        assertThat(approver.get("/engine-rest/task/" + taskId).status())
                .as("the approval stays open")
                .isEqualTo(200);
        assertThat(operator.get("/api/incidents/" + incidentId + "/break-glass")
                        .json()
                        .get(0)
                        .path("state")
                        .asText())
                .isEqualTo("pending");

        // variables only an administrator may set are still not what the steps read
        assertThat(admin.put(
                                "/engine-rest/process-instance/" + processInstanceId + "/variables/endpoint",
                                Map.of("value", healthyName))
                        .status())
                .isEqualTo(204);
        assertThat(admin.put(
                                "/engine-rest/process-instance/" + processInstanceId + "/variables/certificateId",
                                Map.of("value", "forged-certificate"))
                        .status())
                .isEqualTo(204);
        for (int i = 1; i <= needed; i++) {
            ApiClient next = ApiClient.as(port, BG_APPROVER + i, BG_APPROVER_PASSWORD);
            ApiClient.Response approved = next.post(
                    "/engine-rest/task/" + breakGlassApproval(processInstanceId) + "/complete",
                    Map.of(
                            "variables",
                            Map.of(
                                    "breakGlassDecision", Map.of("value", "approve"),
                                    "decisionComment", Map.of("value", "outage confirmed"))));
            assertThat(approved.status()).as(approved.body()).isEqualTo(204);
        }
        Await.until(Duration.ofSeconds(60), () -> {
            JsonNode deployed = admin.get("/engine-rest/history/activity-instance?processInstanceId="
                            + processInstanceId + "&activityId=deployEmergencyCertificate&finished=true")
                    .json();
            return deployed.isArray() && !deployed.isEmpty() ? deployed : null;
        });
        String timeline = operator.get("/api/incidents/" + incidentId).body();
        assertThat(timeline)
                .as("the emergency certificate went to the incident's endpoint")
                .contains(deadName + "-fullchain.pem")
                .doesNotContain(healthyName + "-fullchain.pem")
                .doesNotContain("forged-certificate");
    }

    private String breakGlassApproval(String processInstanceId) throws InterruptedException {
        JsonNode task = Await.until(Duration.ofSeconds(10), () -> {
            JsonNode tasks = admin.get("/engine-rest/task?processInstanceId=" + processInstanceId
                            + "&taskDefinitionKey=approveBreakGlass")
                    .json();
            return tasks.isArray() && !tasks.isEmpty() ? tasks.get(0) : null;
        });
        return task.path("id").asText();
    }

    private Map<String, Object> endpoint(String name, int endpointPort) {
        Map<String, Object> endpoint = TestEndpoints.loopback(
                name, endpointPort, files.resolve(name + "-fullchain.pem"), files.resolve(name + "-key.pem"), "noop");
        endpoint.put("expectedSha256", certificate.sha256());
        return endpoint;
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
