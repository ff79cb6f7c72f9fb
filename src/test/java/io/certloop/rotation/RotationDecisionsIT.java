package io.certloop.rotation;

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
import org.junit.jupiter.api.Test;

/**
 * The people's side of a mass rotation over HTTP, on the real server: the approval of a rotation over the threshold
 * in Tasklist's REST API (the requester, an approver too, can neither claim nor complete it; another approver
 * approves), and an incident commander's answers to a halted wave: retry (the canary runs again), continue (the next
 * wave) and abort. The failing endpoints have no automated replacement path, so each fails at once, to its own
 * incident.
 */
class RotationDecisionsIT extends PostgresIntegrationTest {

    private final String run = Long.toString(System.nanoTime(), 36);
    private final String requester = "rot-req-" + run;
    private final String approver = "rot-appr-" + run;
    private final String commander = "rot-ic-" + run;

    @Test
    void anotherApproverApprovesAndTheCommanderRetriesThenAbortsAHaltedRotation() throws Exception {
        admin.ensureUser(requester, requester + "-pw", "operators", "approvers");
        admin.ensureUser(approver, approver + "-pw", "approvers");
        admin.ensureUser(commander, commander + "-pw", "incident-commanders");
        ApiClient asRequester = ApiClient.as(port, requester, requester + "-pw");
        ApiClient asApprover = ApiClient.as(port, approver, approver + "-pw");
        ApiClient asCommander = ApiClient.as(port, commander, commander + "-pw");
        // 51 endpoints (over the approval threshold of 50): the two of tier 3 are the canary, and they fail
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            names.add(manualEndpoint("rot-dec-" + run + "-" + i, i < 2 ? 3 : 1));
        }
        ApiClient.Response accepted = asRequester.post(
                "/api/rotations",
                Map.of("selector", Map.of("endpoints", names), "reason", "decisions: a CA is distrusted"));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        assertThat(accepted.json().path("state").asText()).isEqualTo("awaiting-approval");
        String id = accepted.json().path("id").asText();

        String approval = awaitTask(asApprover, id, "approveRotation");
        ApiClient.Response claim =
                asRequester.post("/engine-rest/task/" + approval + "/claim", Map.of("userId", requester));
        assertThat(claim.status()).as(claim.body()).isEqualTo(403);
        assertThat(claim.body()).contains("four eyes");
        ApiClient.Response own = asRequester.post(
                "/engine-rest/task/" + approval + "/complete",
                variables("rotationDecision", "approve", "decisionComment", "mine"));
        assertThat(own.status()).as(own.body()).isEqualTo(403);
        assertThat(own.body()).contains("four eyes");
        assertThat(asRequester.get("/api/rotations/" + id).json().path("state").asText())
                .isEqualTo("awaiting-approval");
        ApiClient.Response approved = asApprover.post(
                "/engine-rest/task/" + approval + "/complete",
                variables("rotationDecision", "approve", "decisionComment", "the CA is distrusted, go"));
        assertThat(approved.status()).as(approved.body()).isEqualTo(204);

        JsonNode halted = awaitState(asRequester, id, "halted");
        assertThat(halted.path("decidedBy").asText()).isEqualTo(approver);
        assertThat(halted.path("counts").path("failed").asInt())
                .as("the canary failed")
                .isEqualTo(2);
        assertThat(halted.path("counts").path("pending").asInt()).isEqualTo(49);
        for (JsonNode endpoint : halted.path("endpoints")) {
            if (endpoint.path("state").asText().equals("failed")) {
                assertThat(endpoint.path("incidentId").asText())
                        .as("a failed endpoint has its own incident")
                        .isNotBlank();
            }
        }

        decide(asCommander, id, "retry");
        JsonNode retried = Await.until(Duration.ofSeconds(60), () -> {
            JsonNode progress = asRequester.get("/api/rotations/" + id).json();
            boolean again = false;
            for (JsonNode endpoint : progress.path("endpoints")) {
                again |= endpoint.path("attempts").asInt() == 2;
            }
            return again && "halted".equals(progress.path("state").asText()) ? progress : null;
        });
        assertThat(retried.path("counts").path("failed").asInt())
                .as("the canary ran again and failed again")
                .isEqualTo(2);

        decide(asCommander, id, "abort");
        // the record says aborted at the decision; the runbook's end follows
        JsonNode aborted = Await.until(Duration.ofSeconds(60), () -> {
            JsonNode progress = asRequester.get("/api/rotations/" + id).json();
            return "aborted".equals(progress.path("state").asText())
                            && progress.path("timeline")
                                    .findValuesAsText("type")
                                    .contains("rotation-finished")
                    ? progress
                    : null;
        });
        assertThat(aborted.path("counts").path("pending").asInt())
                .as("nothing after the canary was rotated")
                .isEqualTo(49);
        List<String> types = new ArrayList<>();
        aborted.path("timeline").forEach(e -> types.add(e.path("type").asText()));
        assertThat(types)
                .containsSubsequence(
                        "rotation-requested",
                        "rotation-approved",
                        "rotation-halted",
                        "halt-decided",
                        "rotation-halted",
                        "halt-decided",
                        "rotation-finished");
    }

    @Test
    void continueGoesOnWithTheNextWaveAndTheRotationCompletes() throws Exception {
        admin.ensureUser(requester, requester + "-pw", "operators", "approvers");
        admin.ensureUser(commander, commander + "-pw", "incident-commanders");
        ApiClient asRequester = ApiClient.as(port, requester, requester + "-pw");
        ApiClient asCommander = ApiClient.as(port, commander, commander + "-pw");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            names.add(manualEndpoint("rot-cont-" + run + "-" + i, 1));
        }
        ApiClient.Response accepted = asRequester.post(
                "/api/rotations",
                Map.of(
                        "selector",
                        Map.of("endpoints", names),
                        "reason",
                        "decisions: continue",
                        "waveSize",
                        1,
                        "maxFailureRate",
                        0.5));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        String id = accepted.json().path("id").asText();

        awaitState(asRequester, id, "halted");
        decide(asCommander, id, "continue");
        JsonNode wave1 = Await.until(Duration.ofSeconds(60), () -> {
            JsonNode progress = asRequester.get("/api/rotations/" + id).json();
            return progress.path("currentWave").asInt() == 1
                            && "halted".equals(progress.path("state").asText())
                    ? progress
                    : null;
        });
        assertThat(wave1.path("counts").path("failed").asInt())
                .as("continue ran the next wave (which failed too: 1 of 1 is over 0.5)")
                .isEqualTo(3);
        decide(asCommander, id, "continue");
        JsonNode done = awaitState(asRequester, id, "completed");
        assertThat(done.path("counts").path("failed").asInt()).isEqualTo(3);
        assertThat(done.path("counts").path("pending").asInt()).isZero();
    }

    /** An inventory endpoint a person replaces (path manual): a rotation fails it at once, to its own incident. */
    private String manualEndpoint(String name, int tier) {
        Path files = deployDir().resolve("rotation-decisions-" + run);
        Map<String, Object> endpoint = TestEndpoints.nothingListening(name, files);
        endpoint.put("replacementPath", "manual");
        endpoint.put("tier", tier);
        ApiClient.Response created = admin.post("/api/inventory/endpoints", endpoint);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return name;
    }

    private void decide(ApiClient asCommander, String id, String decision) throws Exception {
        String task = awaitTask(asCommander, id, "decideHaltedRotation");
        ApiClient.Response decided = asCommander.post(
                "/engine-rest/task/" + task + "/complete",
                variables("haltDecision", decision, "decisionComment", "decided: " + decision));
        assertThat(decided.status()).as(decided.body()).isEqualTo(204);
    }

    private static Map<String, Object> variables(String name, String value, String commentName, String comment) {
        return Map.of("variables", Map.of(name, Map.of("value", value), commentName, Map.of("value", comment)));
    }

    private static String awaitTask(ApiClient client, String id, String taskKey) throws Exception {
        JsonNode task = Await.until(Duration.ofSeconds(60), () -> {
            JsonNode tasks = client.get(
                            "/engine-rest/task?processInstanceBusinessKey=" + id + "&taskDefinitionKey=" + taskKey)
                    .json();
            return tasks.isArray() && !tasks.isEmpty() ? tasks.get(0) : null;
        });
        return task.path("id").asText();
    }

    private static JsonNode awaitState(ApiClient client, String id, String state) throws Exception {
        return Await.until(Duration.ofSeconds(60), () -> {
            JsonNode progress = client.get("/api/rotations/" + id).json();
            return state.equals(progress.path("state").asText()) ? progress : null;
        });
    }
}
