package io.certloop.runbook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.certloop.support.ApiClient;
import io.certloop.support.Await;
import io.certloop.support.PostgresIntegrationTest;
import io.certloop.support.TestCertificates;
import io.certloop.support.TestEndpoints;
import io.certloop.support.TestFiles;
import io.certloop.support.TlsTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The inventory refuses out-of-bounds names and paths, but an endpoint may have been stored before the rules (or
 * before the configuration narrowed them): the issuer and the deployer judge again, and the expiry runbook hands
 * the refusal to a person instead of issuing or writing. The stored endpoint is changed underneath with SQL, as an
 * older release or a narrower configuration would have left it.
 */
class OutOfBoundsRunbookIT extends PostgresIntegrationTest {

    @Autowired
    private JdbcTemplate jdbc;

    private TlsTestServer server;
    private Path files;
    private ApiClient operator;
    private ApiClient commander;

    @BeforeEach
    void expiringService() throws Exception {
        TestCertificates.Issued ca = TestCertificates.rootCa("Bounds Root").selfSigned();
        server = TlsTestServer.start(TestCertificates.leaf("localhost")
                .sans("localhost")
                .expiringIn(Duration.ofDays(1))
                .signedBy(ca));
        files = Files.createDirectories(deployDir().resolve("bounds-runbook-" + System.nanoTime()));
        admin.ensureUser("bounds-otto", "bounds-otto-pw", "operators");
        admin.ensureUser("bounds-ida", "bounds-ida-pw", "incident-commanders");
        operator = ApiClient.as(port, "bounds-otto", "bounds-otto-pw");
        commander = ApiClient.as(port, "bounds-ida", "bounds-ida-pw");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private String endpoint() {
        String name = "bounds-rb-" + System.nanoTime();
        Map<String, Object> request = TestEndpoints.loopback(
                name, server.port(), files.resolve("fullchain.pem"), files.resolve("key.pem"), "noop");
        ApiClient.Response created = operator.post("/api/inventory/endpoints", request);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return name;
    }

    private String openExpiryIncident(String name) {
        return operator.openExpiryIncident(name);
    }

    private JsonNode awaitTask(String incidentId, String taskKey) throws InterruptedException {
        return Await.until(Duration.ofSeconds(60), () -> {
            JsonNode tasks = commander
                    .get("/engine-rest/task?processInstanceBusinessKey=" + incidentId + "&taskDefinitionKey=" + taskKey)
                    .json();
            return tasks.isArray() && !tasks.isEmpty() ? tasks.get(0) : null;
        });
    }

    private int certificatesIssuedFor(String name) {
        return jdbc.queryForObject(
                "SELECT COUNT(*) FROM issued_certificate WHERE endpoint_name = ?", Integer.class, name);
    }

    @Test
    void issuanceForANameOutsideTheProfileIsRefusedAndAnIncidentCommanderDecides() throws Exception {
        String name = endpoint();
        jdbc.update(
                "UPDATE inventory_endpoint SET expected_names = ? WHERE name = ?",
                "[\"localhost\",\"www.bank.example\"]",
                name);

        String incidentId = openExpiryIncident(name);

        JsonNode task = awaitTask(incidentId, "handleCaFailure");
        assertThat(task.path("name").asText()).isEqualTo("CA failure: retry, go manual or break the glass");
        assertThat(certificatesIssuedFor(name)).as("no certificate issued").isZero();
        assertThat(TestFiles.names(files)).as("nothing deployed").isEmpty();
        String timeline = admin.get("/api/incidents/" + incidentId).body();
        assertThat(timeline)
                .contains("ca-failure", "may not issue for 'www.bank.example'")
                .doesNotContain("certificate-issued", "certificate-deployed");
        assertThat(admin.get("/api/incidents/" + incidentId)
                        .json()
                        .path("state")
                        .asText())
                .isNotEqualTo("resolved");
    }

    /** Stores a key path in the data directory underneath the inventory's checks; returns that path. */
    private Path plantKeyPathInTheDataDirectory(String name) {
        Path planted = dataDir().resolve("planted-" + System.nanoTime() + ".key");
        jdbc.update(
                "UPDATE inventory_endpoint SET deployment = ? WHERE name = ?",
                "{\"type\":\"files\",\"fullchainPath\":\"" + files.resolve("fullchain.pem") + "\",\"keyPath\":\""
                        + planted + "\",\"reloadAction\":\"noop\"}",
                name);
        return planted;
    }

    @Test
    void aReplacementToTheDataDirectoryAnswers409NamingTheFieldAndWritesNothing() {
        String name = endpoint();
        Path planted = plantKeyPathInTheDataDirectory(name);

        ApiClient.Response replaced = operator.post("/api/inventory/endpoints/" + name + "/replace", Map.of());

        assertThat(replaced.status()).as(replaced.body()).isEqualTo(409);
        assertThat(replaced.json().path("field").asText()).isEqualTo("deployment.keyPath");
        assertThat(replaced.json().path("failure").asText()).isEqualTo("DEPLOYMENT_REFUSED");
        assertThat(Files.exists(planted)).isFalse();
        assertThat(TestFiles.names(files)).isEmpty();
    }

    @Test
    void aDeploymentToTheDataDirectoryIsRefusedWritesNothingAndIsEscalatedToAPerson() throws Exception {
        String name = endpoint();
        Path planted = plantKeyPathInTheDataDirectory(name);

        String incidentId = openExpiryIncident(name);

        JsonNode escalation = awaitTask(incidentId, "escalateFailedReplacement");
        assertThat(escalation.path("name").asText()).startsWith("Escalation");
        assertThat(Files.exists(planted))
                .as("the key was never written into the data directory")
                .isFalse();
        assertThat(TestFiles.names(files))
                .as("nor any other file of the deployment")
                .isEmpty();
        assertThat(admin.get("/api/incidents/" + incidentId).body())
                .contains("deployment-refused", "target.keyPath", "CertLoop's own data directory")
                .doesNotContain("certificate-deployed");
    }
}
