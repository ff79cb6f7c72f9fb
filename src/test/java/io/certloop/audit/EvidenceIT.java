package io.certloop.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.certloop.support.ApiClient;
import io.certloop.support.Await;
import io.certloop.support.PostgresIntegrationTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An incident a person acted on, end to end on PostgreSQL: an operator opens it over the API, the
 * expiry runbook finds no certificate problem (nothing listens) and asks an incident commander,
 * who completes the review in the engine's REST API (as Tasklist does). The timeline names both
 * people and keeps the submitted form values; an auditor and the PKI board download the evidence.
 */
class EvidenceIT extends PostgresIntegrationTest {

    private ApiClient auditor;
    private ApiClient board;
    private ApiClient operator;
    private ApiClient commander;

    @BeforeEach
    void users() {
        admin.ensureUser("audrey", "audrey-pw", "auditors");
        admin.ensureUser("olivia", "olivia-pw", "operators");
        admin.ensureUser("iris", "iris-pw", "incident-commanders");
        admin.ensureUser("paul", "paul-pw", "pki-board");
        auditor = admin.withUser("audrey", "audrey-pw");
        operator = admin.withUser("olivia", "olivia-pw");
        commander = admin.withUser("iris", "iris-pw");
        board = admin.withUser("paul", "paul-pw");
    }

    @Test
    void theTimelineNamesThePeopleAndTheEvidenceIsOneVerifiedDocument() throws Exception {
        String endpoint = endpoint();
        ApiClient.Response opened = operator.post(
                "/api/incidents",
                Map.of("endpoint", endpoint, "category", "expiry", "reason", "users report certificate errors"));
        assertThat(opened.status()).as(opened.body()).isEqualTo(201);
        String id = opened.json().path("id").asText();

        JsonNode task = Await.until(Duration.ofSeconds(60), () -> {
            JsonNode tasks = commander
                    .get("/engine-rest/task?processInstanceBusinessKey=" + id
                            + "&taskDefinitionKey=reviewNotCertificateIncident")
                    .json();
            return tasks.isArray() && !tasks.isEmpty() ? tasks.get(0) : null;
        });
        ApiClient.Response completed = commander.post(
                "/engine-rest/task/" + task.path("id").asText() + "/complete",
                Map.of(
                        "variables",
                        Map.of(
                                "notCertificateCause",
                                Map.of("value", "service-down-other-cause"),
                                "reviewNotes",
                                Map.of("value", "load balancer was down"))));
        assertThat(completed.status()).as(completed.body()).isEqualTo(204);
        Await.until(
                Duration.ofSeconds(30),
                () -> "closed"
                                .equals(admin.get("/api/incidents/" + id)
                                        .json()
                                        .path("state")
                                        .asText())
                        ? true
                        : null);

        ApiClient.Response response = auditor.get("/api/incidents/" + id + "/evidence");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode evidence = response.json();
        assertThat(evidence.path("incident").path("id").asText()).isEqualTo(id);
        assertThat(evidence.path("verification").path("valid").asBoolean())
                .as(evidence.path("verification").toString())
                .isTrue();

        JsonNode timeline = evidence.path("timeline");
        assertThat(entry(timeline, "opened").path("actor").asText()).isEqualTo("olivia");
        JsonNode review = entry(timeline, "task-completed");
        assertThat(review.path("actor").asText()).isEqualTo("iris");
        assertThat(review.path("detail").path("task").asText()).isEqualTo("reviewNotCertificateIncident");
        assertThat(review.path("detail")
                        .path("form")
                        .path("notCertificateCause")
                        .asText())
                .isEqualTo("service-down-other-cause");
        assertThat(review.path("detail").path("form").path("reviewNotes").asText())
                .isEqualTo("load balancer was down");
        assertThat(review.path("detail").path("form").has("incidentId"))
                .as("display-only fields are not submissions")
                .isFalse();
        assertThat(entry(timeline, "process-attached").path("actor").asText())
                .as("CertLoop's own steps")
                .isEqualTo("certloop");
        for (JsonNode e : timeline) {
            assertThat(e.path("hash").asText()).matches("[0-9a-f]{64}");
        }

        List<String> completedBy = new ArrayList<>();
        evidence.path("activityHistory").forEach(a -> {
            if ("reviewNotCertificateIncident".equals(a.path("activityId").asText())) {
                completedBy.add(a.path("completedBy").asText());
            }
        });
        assertThat(completedBy).containsExactly("iris");
        assertThat(evidence.path("severityDecision").path("inputs").path("tier").asInt())
                .isEqualTo(2);
        assertThat(evidence.has("probeEvidence")).isTrue();
        assertThat(evidence.path("certificatesIssued").isArray()).isTrue();
        assertThat(evidence.path("notifications").isArray()).isTrue();
        assertThat(evidence.toString()).doesNotContain("PRIVATE KEY");

        ApiClient.Response page = board.get("/api/incidents/" + id + "/evidence.html");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.body())
                .contains(id, "iris", "olivia", "load balancer was down", "verified")
                .doesNotContain("<script", "src=", "<link", "http://", "https://");

        assertThat(operator.get("/api/incidents/" + id + "/evidence").status()).isEqualTo(403);
        assertThat(commander.get("/api/incidents/" + id + "/evidence.html").status())
                .isEqualTo(403);
        assertThat(board.get("/api/audit/verify").status())
                .as("the board reads evidence, not the audit API")
                .isEqualTo(403);
        assertThat(auditor.get("/api/incidents/INC-1999-999999/evidence").status())
                .isEqualTo(404);
    }

    private static JsonNode entry(JsonNode timeline, String type) {
        for (JsonNode e : timeline) {
            if (type.equals(e.path("type").asText())) {
                return e;
            }
        }
        throw new AssertionError("no " + type + " entry in " + timeline);
    }

    private String endpoint() {
        String name = "evidence-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> request = new HashMap<>();
        request.put("name", name);
        // nothing listens on port 9 of loopback: the live probe finds no certificate problem to fix
        request.put("host", "127.0.0.1");
        request.put("port", 9);
        request.put("tier", 2);
        request.put("environment", "production");
        request.put("replacementPath", "manual");
        request.put("profile", "standard");
        request.put("serviceOwner", Map.of("team", "web", "email", "web@example.test"));
        var created = admin.post("/api/inventory/endpoints", request);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return name;
    }
}
