package io.certloop.incident;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.certloop.support.ApiClient;
import io.certloop.support.Await;
import io.certloop.support.PostgresIntegrationTest;
import io.certloop.support.PostgresTestDatabase;
import io.certloop.support.TestEndpoints;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A commander's resolve or close that collides with a step of the runbook committing at the same moment: the
 * engine refuses the second writer (optimistic locking). The API answers 409 with a problem detail that says to
 * try again, nothing is half-done (the incident is still open with its runbook running), and the retry works.
 * The collision is made deterministic on the real PostgreSQL: the test holds the runbook's execution rows, lets
 * the resolve block on them, then commits a change of their revision as a job would.
 */
class ResolveCollisionIT extends PostgresIntegrationTest {

    private ApiClient operator;
    private ApiClient commander;

    @BeforeEach
    void users() throws Exception {
        admin.ensureUser("olaf-collision", "olaf-collision-pw", "operators");
        admin.ensureUser("ines-collision", "ines-collision-pw", "incident-commanders");
        operator = ApiClient.as(port, "olaf-collision", "olaf-collision-pw");
        commander = ApiClient.as(port, "ines-collision", "ines-collision-pw");
    }

    @Test
    void aResolveCollidingWithARunningStepIsA409ToRetryAndChangesNothing() throws Exception {
        assertCollisionIsAConflict("resolve", "resolved");
    }

    @Test
    void aCloseCollidingWithARunningStepIsA409ToRetryAndChangesNothing() throws Exception {
        assertCollisionIsAConflict("close", "closed");
    }

    private void assertCollisionIsAConflict(String action, String stateAfterRetry) throws Exception {
        String id = open();
        JsonNode task = Await.until(Duration.ofSeconds(30), () -> {
            JsonNode tasks = admin.get(
                            "/engine-rest/task?processInstanceBusinessKey=" + id + "&taskDefinitionKey=handleCaOutage")
                    .json();
            return tasks.isArray() && !tasks.isEmpty() ? tasks.get(0) : null;
        });
        String processInstanceId = task.path("processInstanceId").asText();

        ApiClient.Response refused;
        try (Connection job = DriverManager.getConnection(
                PostgresTestDatabase.url(), PostgresTestDatabase.USER, PostgresTestDatabase.PASSWORD)) {
            job.setAutoCommit(false);
            try (PreparedStatement lock = job.prepareStatement(
                    "SELECT id_ FROM act_ru_execution WHERE proc_inst_id_ = ? FOR NO KEY UPDATE")) {
                lock.setString(1, processInstanceId);
                lock.executeQuery().close();
            }
            CompletableFuture<ApiClient.Response> request = CompletableFuture.supplyAsync(() ->
                    commander.post("/api/incidents/" + id + "/" + action, Map.of("reason", "fixed by the vendor")));
            // the engine's write of the runbook waits on the rows this "job" holds
            Await.until(Duration.ofSeconds(20), () -> blockedOnExecutions(job) ? Boolean.TRUE : null);
            try (PreparedStatement step =
                    job.prepareStatement("UPDATE act_ru_execution SET rev_ = rev_ + 1 WHERE proc_inst_id_ = ?")) {
                step.setString(1, processInstanceId);
                step.executeUpdate();
            }
            job.commit();
            refused = request.get(30, TimeUnit.SECONDS);
        }

        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.contentType()).contains("application/problem+json");
        assertThat(refused.json().path("detail").asText()).contains("try again");
        JsonNode incident = admin.get("/api/incidents/" + id).json();
        assertThat(incident.path("state").asText()).as("nothing half-done").isEqualTo("open");
        assertThat(incident.toString()).doesNotContain("fixed by the vendor");
        assertThat(admin.get("/engine-rest/process-instance?businessKey=" + id).json())
                .as("the open incident's runbook still runs")
                .hasSize(1);

        ApiClient.Response retried =
                commander.post("/api/incidents/" + id + "/" + action, Map.of("reason", "fixed by the vendor"));
        assertThat(retried.status()).as(retried.body()).isEqualTo(200);
        assertThat(retried.json().path("state").asText()).isEqualTo(stateAfterRetry);
    }

    /** Some other session (the resolve) waits for a lock this test's "job" holds. */
    private static boolean blockedOnExecutions(Connection connection) {
        try (PreparedStatement query = connection.prepareStatement(
                        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                                + " AND datname = current_database() AND pid <> pg_backend_pid()");
                ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getInt(1) > 0;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private String open() {
        String name = "collision-" + System.nanoTime();
        assertThat(operator.post(
                                "/api/inventory/endpoints",
                                TestEndpoints.nothingListening(name, deployDir().resolve(name)))
                        .status())
                .isEqualTo(201);
        ApiClient.Response response = operator.post(
                "/api/incidents",
                Map.of("endpoint", name, "category", "ca-outage", "reason", "the vendor's CA is down"));
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json().path("id").asText();
    }
}
