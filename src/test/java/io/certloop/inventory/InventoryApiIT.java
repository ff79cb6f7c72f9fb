package io.certloop.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.certloop.support.ApiClient;
import io.certloop.support.PostgresIntegrationTest;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The inventory API on the real PostgreSQL, through HTTP, as operators and scripts use it. */
class InventoryApiIT extends PostgresIntegrationTest {

    private ApiClient operator;
    private ApiClient auditor;

    @BeforeEach
    void users() {
        admin.ensureUser("olivia", "olivia-pw", "operators");
        admin.ensureUser("audrey", "audrey-pw", "auditors");
        admin.ensureUser("mallory", "mallory-pw", "operators");
        operator = ApiClient.as(port, "olivia", "olivia-pw");
        auditor = ApiClient.as(port, "audrey", "audrey-pw");
    }

    @Test
    void unauthenticatedCallsAreRefusedWith401() {
        assertThat(anonymous.get("/api/inventory/endpoints").status()).isEqualTo(401);
        assertThat(anonymous
                        .post("/api/inventory/endpoints", endpoint("anon-web"))
                        .status())
                .isEqualTo(401);
        assertThat(anonymous.get("/engine-rest/process-definition").status()).isEqualTo(401);
        assertThat(anonymous.get("/actuator/prometheus").status()).isEqualTo(401);
        assertThat(ApiClient.as(port, "mallory", "not-her-password")
                        .get("/api/inventory/endpoints")
                        .status())
                .isEqualTo(401);
    }

    @Test
    void healthIsOpenAndPrometheusNeedsAUser() {
        ApiClient.Response health = anonymous.get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("status").asText()).isEqualTo("UP");
        ApiClient.Response metrics = auditor.get("/actuator/prometheus");
        assertThat(metrics.status()).as(metrics.body()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_memory_used_bytes");
    }

    @Test
    void theEngineDeploysTheProcessesFolder() {
        JsonNode definitions = admin.get("/engine-rest/process-definition?key=triage-unknown-target")
                .json();
        assertThat(definitions).hasSize(1);
        assertThat(definitions.get(0).path("historyTimeToLive").asInt()).isPositive();
        assertThat(admin.get("/engine-rest/deployment").json().findValuesAsText("source"))
                .isNotNull();
    }

    @Test
    void anOperatorCreatesAnEndpointThatEveryUserCanRead() {
        ApiClient.Response created = operator.post("/api/inventory/endpoints", endpoint("web-frontend"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode body = created.json();
        assertThat(body.path("id").asLong()).isPositive();
        assertThat(body.path("expectedNames")).extracting(JsonNode::asText).containsExactly("www.example.test");
        assertThat(body.path("deployment").path("type").asText()).isEqualTo("files");
        assertThat(body.path("certificateOwner").isNull()).isTrue();

        JsonNode listed = auditor.get("/api/inventory/endpoints?limit=1000").json();
        assertThat(listed.findValuesAsText("name")).contains("web-frontend");
        JsonNode byName = auditor.get("/api/inventory/endpoints/web-frontend").json();
        assertThat(byName.path("id").asLong()).isEqualTo(body.path("id").asLong());
        assertThat(byName.path("serviceOwner").path("email").asText()).isEqualTo("web-team@example.test");
    }

    @Test
    void writesNeedTheOperatorsGroup() {
        ApiClient.Response refused = auditor.post("/api/inventory/endpoints", endpoint("auditor-web"));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().path("detail").asText()).contains("operators");
        assertThat(admin.get("/api/inventory/endpoints/auditor-web").status()).isEqualTo(404);
        assertThat(admin.post("/api/inventory/endpoints", endpoint("admin-web")).status())
                .isEqualTo(201);
    }

    @Test
    void updateAndDeleteWork() {
        long id = operator.post("/api/inventory/endpoints", endpoint("to-change"))
                .json()
                .path("id")
                .asLong();
        Map<String, Object> changed = endpoint("to-change");
        changed.put("tier", 0);
        changed.put("certificateOwner", Map.of("team", "pki", "email", "pki@example.test"));
        ApiClient.Response updated = operator.put("/api/inventory/endpoints/" + id, changed);
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        assertThat(updated.json().path("tier").asInt()).isZero();
        assertThat(updated.json().path("certificateOwner").path("team").asText())
                .isEqualTo("pki");
        assertThat(operator.delete("/api/inventory/endpoints/" + id).status()).isEqualTo(204);
        assertThat(operator.get("/api/inventory/endpoints/" + id).status()).isEqualTo(404);
    }

    @Test
    void badInputAnswers400NamingTheField() {
        assertRejected(with("bad-port", "port", 70000), "port");
        assertRejected(with("bad-tier", "tier", 7), "tier");
        assertRejected(with("bad-env", "environment", "staging"), "environment");
        assertRejected(with("bad-path", "replacementPath", "carrier-pigeon"), "replacementPath");
        Map<String, Object> badEmail = endpoint("bad-email");
        badEmail.put("serviceOwner", Map.of("team", "web", "email", "not-an-email"));
        assertRejected(badEmail, "serviceOwner.email");
        Map<String, Object> badReload = endpoint("bad-reload");
        badReload.put(
                "deployment",
                Map.of(
                        "type",
                        "files",
                        "fullchainPath",
                        deployDir().resolve("x.pem").toString(),
                        "keyPath",
                        deployDir().resolve("x.key").toString(),
                        "reloadAction",
                        "rm -rf /"));
        assertRejected(badReload, "deployment.reloadAction");
        Map<String, Object> noKey = endpoint("no-key");
        noKey.put(
                "deployment",
                Map.of(
                        "type",
                        "files",
                        "fullchainPath",
                        deployDir().resolve("x.pem").toString()));
        assertRejected(noKey, "deployment.keyPath");
        assertRejected(with("port-text", "port", "https"), "port");
        assertRejected(with("typo", "teir", 1), "teir");

        operator.post("/api/inventory/endpoints", endpoint("taken"));
        assertRejected(endpoint("taken"), "name");
        assertThat(admin.get("/api/inventory/endpoints?limit=1000").json().findValuesAsText("name"))
                .doesNotContain("bad-port", "bad-tier", "bad-env", "bad-email", "bad-reload", "no-key");
    }

    @Test
    void anImportWithOneBadEntryWritesNothing() {
        String yaml = """
                endpoints:
                  - name: imported-api
                    host: api.example.test
                    port: 8443
                    tier: 1
                    environment: production
                    replacementPath: internal-ca
                  - name: imported-broken
                    host: broken.example.test
                    port: 0
                    tier: 2
                    environment: non-production
                """;
        ApiClient.Response refused = operator.post("/api/inventory/import", "application/yaml", yaml);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("errors").findValuesAsText("field")).containsExactly("endpoints[1].port");
        assertThat(admin.get("/api/inventory/endpoints/imported-api").status()).isEqualTo(404);

        ApiClient.Response imported =
                operator.post("/api/inventory/import", "application/yaml", yaml.replace("port: 0", "port: 443"));
        assertThat(imported.status()).as(imported.body()).isEqualTo(200);
        assertThat(imported.json().path("created").asInt()).isEqualTo(2);
        assertThat(admin.get("/api/inventory/endpoints/imported-broken")
                        .json()
                        .path("port")
                        .asInt())
                .isEqualTo(443);

        ApiClient.Response again =
                operator.post("/api/inventory/import", "application/yaml", yaml.replace("port: 0", "port: 443"));
        assertThat(again.json().path("unchanged").asInt()).isEqualTo(2);
        assertThat(auditor.post("/api/inventory/import", "application/yaml", yaml)
                        .status())
                .isEqualTo(403);
    }

    private void assertRejected(Map<String, Object> request, String field) {
        ApiClient.Response response = operator.post("/api/inventory/endpoints", request);
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().path("errors").findValuesAsText("field")).contains(field);
        assertThat(response.json().path("detail").asText()).contains(field);
    }

    private static Map<String, Object> with(String name, String field, Object value) {
        Map<String, Object> request = endpoint(name);
        request.put(field, value);
        return request;
    }

    static Map<String, Object> endpoint(String name) {
        Map<String, Object> request = new HashMap<>();
        request.put("name", name);
        request.put("host", "www.example.test");
        request.put("port", 443);
        request.put("tier", 1);
        request.put("environment", "production");
        request.put("serviceOwner", Map.of("team", "web", "email", "web-team@example.test"));
        request.put("replacementPath", "internal-ca");
        request.put("profile", "standard");
        request.put(
                "deployment",
                Map.of(
                        "type",
                        "files",
                        "certificatePath",
                        deployDir().resolve("web/cert.pem").toString(),
                        "fullchainPath",
                        deployDir().resolve("web/fullchain.pem").toString(),
                        "keyPath",
                        deployDir().resolve("web/key.pem").toString(),
                        "reloadAction",
                        "noop"));
        return request;
    }
}
