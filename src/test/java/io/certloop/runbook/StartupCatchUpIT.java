package io.certloop.runbook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.certloop.support.ApiClient;
import io.certloop.support.Await;
import io.certloop.support.PostgresIntegrationTest;
import io.certloop.support.TestEndpoints;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Two nodes starting at the same moment both run the start-up catch-up (open incidents without a runbook get one):
 * the incident's row lock lets only the first start it; the second sees it running. Here the two nodes are two
 * threads of this server on the real PostgreSQL.
 */
class StartupCatchUpIT extends PostgresIntegrationTest {

    @Autowired
    RunbookLauncher launcher;

    @Autowired
    RuntimeService runtime;

    @Test
    void twoNodesCatchingUpTogetherStartAMissingRunbookOnce() throws Exception {
        admin.ensureUser("oskar-catchup", "oskar-catchup-pw", "operators");
        ApiClient operator = ApiClient.as(port, "oskar-catchup", "oskar-catchup-pw");
        String name = "catch-up-" + System.nanoTime();
        assertThat(operator.post(
                                "/api/inventory/endpoints",
                                TestEndpoints.nothingListening(name, deployDir().resolve(name)))
                        .status())
                .isEqualTo(201);
        ApiClient.Response opened =
                operator.post("/api/incidents", Map.of("endpoint", name, "category", "ca-outage", "reason", "by hand"));
        assertThat(opened.status()).as(opened.body()).isEqualTo(201);
        String id = opened.json().path("id").asText();
        // let the runbook reach its person's task first: no step of it runs while it is deleted
        Await.until(Duration.ofSeconds(30), () -> waitsForAPerson(id) ? Boolean.TRUE : null);
        String processInstanceId = instances(id).get(0).path("id").asText();
        // the runbook is gone (an administrator deleted it, a node crashed before the fix of the past)
        runtime.deleteProcessInstance(processInstanceId, "test: an orphan", true, true);
        assertThat(instances(id)).isEmpty();

        CyclicBarrier together = new CyclicBarrier(2);
        List<CompletableFuture<Void>> nodes = new ArrayList<>();
        for (int node = 0; node < 2; node++) {
            nodes.add(CompletableFuture.runAsync(() -> {
                try {
                    together.await(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                launcher.startMissingRunbooks();
            }));
        }
        for (CompletableFuture<Void> node : nodes) {
            node.get(60, TimeUnit.SECONDS);
        }

        assertThat(instances(id))
                .as("one runbook, however many nodes caught up")
                .hasSize(1);
        JsonNode incident = Await.until(
                Duration.ofSeconds(10), () -> admin.get("/api/incidents/" + id).json());
        long restarts = 0;
        for (JsonNode entry : incident.path("timeline")) {
            if ("runbook-restarted".equals(entry.path("type").asText())) {
                restarts++;
            }
        }
        assertThat(restarts).isEqualTo(1);
        assertThat(incident.path("processInstanceId").asText())
                .isEqualTo(instances(id).get(0).path("id").asText());
    }

    private boolean waitsForAPerson(String id) {
        String tasks = "/engine-rest/task?taskDefinitionKey=handleCaOutage&processInstanceBusinessKey=" + id;
        return !admin.get(tasks).json().isEmpty();
    }

    private JsonNode instancesJson(String id) {
        return admin.get("/engine-rest/process-instance?businessKey=" + id).json();
    }

    private List<JsonNode> instances(String id) {
        List<JsonNode> list = new ArrayList<>();
        instancesJson(id).forEach(list::add);
        return list;
    }
}
