package io.certloop.incident;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.certloop.support.ApiClient;
import io.certloop.support.Await;
import io.certloop.support.PostgresIntegrationTest;
import io.certloop.support.TestEndpoints;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * No orphans: an incident of every category has a running runbook, and an incident commander ends any
 * incident through the API: resolve (the runbook goes on to its review) or close (the runbook ends),
 * both recorded under the commander's name.
 */
class CommanderResolutionIT extends PostgresIntegrationTest {

    private ApiClient operator;
    private ApiClient commander;

    @BeforeEach
    void users() throws Exception {
        admin.ensureUser("olga", "olga-pw", "operators");
        admin.ensureUser("ingrid", "ingrid-pw", "incident-commanders");
        operator = ApiClient.as(port, "olga", "olga-pw");
        commander = ApiClient.as(port, "ingrid", "ingrid-pw");
    }

    @Test
    void everyCategoryOpensWithARunningRunbookAndNoOpenIncidentIsWithoutOne() throws Exception {
        String endpoint = endpoint();
        List<String> opened = new ArrayList<>();
        for (String category : Taxonomy.categories()) {
            ApiClient.Response response = operator.post(
                    "/api/incidents",
                    Map.of(
                            "endpoint",
                            endpoint,
                            "category",
                            category,
                            "reason",
                            "opened by hand to check the " + category + " runbook"));
            assertThat(response.status()).as(response.body()).isEqualTo(201);
            opened.add(response.json().path("id").asText());
        }
        for (String id : opened) {
            JsonNode incident = admin.get("/api/incidents/" + id).json();
            assertThat(incident.toString()).doesNotContain("no-runbook");
            assertThat(incident.path("processInstanceId").asText()).as(id).isNotBlank();
        }
        // the whole estate of this server, not only what this test opened
        for (JsonNode incident :
                admin.get("/api/incidents?state=open&limit=1000").json()) {
            String id = incident.path("id").asText();
            JsonNode instances =
                    admin.get("/engine-rest/process-instance?businessKey=" + id).json();
            List<String> running = new ArrayList<>();
            instances.forEach(instance -> running.add(instance.path("id").asText()));
            // its runbook is running (a break-glass beside it carries the same business key)
            assertThat(running)
                    .as("open incident " + id + " (" + incident.path("category").asText() + ") has a running runbook")
                    .contains(admin.get("/api/incidents/" + id)
                            .json()
                            .path("processInstanceId")
                            .asText());
        }
    }

    @Test
    void aCommanderResolvesAnIncidentTheRunbookAsksForTheReviewAndTheCommanderIsRecorded() throws Exception {
        String id = open(endpoint(), "mis-issuance");
        awaitTask(id, "handleMisIssuance");

        ApiClient.Response resolved = commander.post(
                "/api/incidents/" + id + "/resolve",
                Map.of("reason", "the certificate was never deployed: the alert was a test"));
        assertThat(resolved.status()).as(resolved.body()).isEqualTo(200);
        assertThat(resolved.json().path("state").asText()).isEqualTo("resolved");

        JsonNode review = awaitTask(id, "reviewResolvedIncident");
        assertThat(review.path("candidateGroups").toString()).doesNotContain("operators");
        JsonNode timeline = admin.get("/api/incidents/" + id).json().path("timeline");
        assertThat(entries(timeline, "resolved"))
                .anyMatch(e -> e.path("actor").asText().equals("ingrid")
                        && e.path("detail").path("reason").asText().contains("never deployed"));
        assertThat(commander
                        .get("/engine-rest/task?processInstanceBusinessKey=" + id
                                + "&taskDefinitionKey=handleMisIssuance")
                        .json())
                .as("the handling task was withdrawn")
                .isEmpty();

        ApiClient.Response again = commander.post("/api/incidents/" + id + "/resolve", Map.of("reason", "twice"));
        assertThat(again.status()).isEqualTo(409);

        ApiClient.Response done = commander.post(
                "/engine-rest/task/" + review.path("id").asText() + "/complete",
                Map.of(
                        "variables",
                        Map.of(
                                "rootCause",
                                Map.of("value", "a test alert reached production routing"),
                                "detectionGap",
                                Map.of("value", "none"),
                                "operatingModelChange",
                                Map.of("value", "label test alerts"))));
        assertThat(done.status()).as(done.body()).isEqualTo(204);
        JsonNode closed = Await.until(Duration.ofSeconds(30), () -> {
            JsonNode incident = admin.get("/api/incidents/" + id).json();
            return "closed".equals(incident.path("state").asText()) ? incident : null;
        });
        assertThat(closed.toString()).contains("post-incident-review", "label test alerts");
        awaitProcessEnded(id);
    }

    @Test
    void aCommanderClosesAnIncidentAndItsRunbookEndsWithoutAnAdministrator() throws Exception {
        String id = open(endpoint(), "ca-outage");
        awaitTask(id, "handleCaOutage");

        ApiClient.Response closed = commander.post(
                "/api/incidents/" + id + "/close", Map.of("reason", "duplicate of the issuer's incident"));
        assertThat(closed.status()).as(closed.body()).isEqualTo(200);
        assertThat(closed.json().path("state").asText()).isEqualTo("closed");
        awaitProcessEnded(id);
        JsonNode incident = admin.get("/api/incidents/" + id).json();
        assertThat(entries(incident.path("timeline"), "closed"))
                .anyMatch(e -> e.path("actor").asText().equals("ingrid"));
        assertThat(admin.get("/engine-rest/history/activity-instance?processInstanceId="
                                + incident.path("processInstanceId").asText() + "&activityId=endedByCommanderClosure")
                        .json())
                .as("ended through the runbook's own message path")
                .hasSize(1);
        assertThat(admin.get("/api/notifications?incidentId=" + id).body()).contains("Closed by ingrid");
        assertThat(commander
                        .post("/api/incidents/" + id + "/close", Map.of("reason", "again"))
                        .status())
                .isEqualTo(409);
    }

    @Test
    void onlyIncidentCommandersEndIncidentsAndTheReasonIsRequired() throws Exception {
        String id = open(endpoint(), "mis-issuance");
        assertThat(operator.post("/api/incidents/" + id + "/close", Map.of("reason", "not mine"))
                        .status())
                .isEqualTo(403);
        ApiClient.Response noReason = commander.post("/api/incidents/" + id + "/resolve", Map.of("reason", " "));
        assertThat(noReason.status()).isEqualTo(400);
        assertThat(noReason.body()).contains("reason");
        assertThat(commander
                        .post("/api/incidents/INC-1999-999999/close", Map.of("reason", "x"))
                        .status())
                .isEqualTo(404);
        assertThat(admin.get("/api/incidents/" + id).json().path("state").asText())
                .isEqualTo("open");
    }

    private String open(String endpoint, String category) {
        ApiClient.Response response = operator.post(
                "/api/incidents", Map.of("endpoint", endpoint, "category", category, "reason", "opened by hand"));
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json().path("id").asText();
    }

    private JsonNode awaitTask(String incidentId, String taskKey) throws Exception {
        return Await.until(Duration.ofSeconds(30), () -> {
            JsonNode tasks = admin.get("/engine-rest/task?processInstanceBusinessKey=" + incidentId
                            + "&taskDefinitionKey=" + taskKey)
                    .json();
            return tasks.isArray() && !tasks.isEmpty() ? tasks.get(0) : null;
        });
    }

    private void awaitProcessEnded(String incidentId) throws Exception {
        Await.until(
                Duration.ofSeconds(30),
                () -> admin.get("/engine-rest/process-instance?businessKey=" + incidentId)
                                .json()
                                .isEmpty()
                        ? Boolean.TRUE
                        : null);
    }

    private static List<JsonNode> entries(JsonNode timeline, String type) {
        List<JsonNode> found = new ArrayList<>();
        timeline.forEach(entry -> {
            if (type.equals(entry.path("type").asText())) {
                found.add(entry);
            }
        });
        return found;
    }

    /** An endpoint nothing listens on: these runbooks only need its owners. */
    private String endpoint() {
        String name = "commanded-" + System.nanoTime();
        Path dir = deployDir().resolve(name);
        Map<String, Object> endpoint =
                TestEndpoints.loopback(name, 9, dir.resolve("fullchain.pem"), dir.resolve("key.pem"), "noop");
        assertThat(operator.post("/api/inventory/endpoints", endpoint).status()).isEqualTo(201);
        return name;
    }
}
