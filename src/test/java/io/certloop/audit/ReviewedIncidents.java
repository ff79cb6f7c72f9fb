package io.certloop.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.certloop.support.ApiClient;
import io.certloop.support.Await;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The incident the audit tests follow: an operator opens it on an endpoint where nothing listens (port 9 of
 * loopback), so the expiry runbook finds no certificate problem and asks an incident commander to review it; the
 * commander's completion closes it.
 */
final class ReviewedIncidents {

    private ReviewedIncidents() {}

    /** A new inventory endpoint on which nothing listens. */
    static String endpoint(ApiClient admin, String prefix) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> request = new HashMap<>();
        request.put("name", name);
        request.put("host", "127.0.0.1");
        request.put("port", 9);
        request.put("tier", 2);
        request.put("environment", "production");
        request.put("replacementPath", "manual");
        request.put("profile", "standard");
        request.put("serviceOwner", Map.of("team", "web", "email", "web@example.test"));
        ApiClient.Response created = admin.post("/api/inventory/endpoints", request);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return name;
    }

    /** Opens the incident as the operator; its id. */
    static String open(ApiClient operator, String endpoint, String reason) {
        ApiClient.Response opened =
                operator.post("/api/incidents", Map.of("endpoint", endpoint, "category", "expiry", "reason", reason));
        assertThat(opened.status()).as(opened.body()).isEqualTo(201);
        return opened.json().path("id").asText();
    }

    /** The review task, once the runbook waits at it. */
    static JsonNode reviewTask(ApiClient commander, String id) throws InterruptedException {
        return Await.until(Duration.ofSeconds(60), () -> {
            JsonNode tasks = commander
                    .get("/engine-rest/task?processInstanceBusinessKey=" + id
                            + "&taskDefinitionKey=reviewNotCertificateIncident")
                    .json();
            return tasks.isArray() && !tasks.isEmpty() ? tasks.get(0) : null;
        });
    }

    /** The commander completes the review over the engine's REST API (as Tasklist does); waits until closed. */
    static void completeReview(ApiClient commander, ApiClient admin, String id, JsonNode task, String notes)
            throws InterruptedException {
        ApiClient.Response completed = commander.post(
                "/engine-rest/task/" + task.path("id").asText() + "/complete",
                Map.of(
                        "variables",
                        Map.of(
                                "notCertificateCause",
                                Map.of("value", "service-down-other-cause"),
                                "reviewNotes",
                                Map.of("value", notes))));
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
    }
}
