package io.certloop.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.certloop.support.ApiClient;
import io.certloop.support.PostgresIntegrationTest;
import java.util.ArrayList;
import java.util.List;
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
        String endpoint = ReviewedIncidents.endpoint(admin, "evidence");
        String id = ReviewedIncidents.open(operator, endpoint, "users report certificate errors");
        JsonNode task = ReviewedIncidents.reviewTask(commander, id);
        ReviewedIncidents.completeReview(commander, admin, id, task, "load balancer was down");

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

        // the bulk export for the day: this incident's row names the same people
        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        String tomorrow =
                java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(1).toString();
        ApiClient.Response csv = auditor.get("/api/audit/incidents?from=" + today + "&to=" + tomorrow + "&format=csv");
        assertThat(csv.status()).as(csv.body()).isEqualTo(200);
        List<List<String>> records = IncidentExportIT.parseCsv(csv.body());
        List<String> header = records.get(0);
        List<String> row =
                records.stream().filter(r -> r.get(0).equals(id)).findFirst().orElseThrow();
        assertThat(row.get(header.indexOf("openedBy"))).isEqualTo("olivia");
        assertThat(row.get(header.indexOf("reviewers"))).isEqualTo("iris");
        assertThat(row.get(header.indexOf("state"))).isEqualTo("closed");
        assertThat(row.get(header.indexOf("processInstanceId")))
                .isEqualTo(evidence.path("incident").path("processInstanceId").asText());

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
}
