package io.certloop.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.certloop.support.ApiClient;
import io.certloop.support.Await;
import io.certloop.support.PostgresIntegrationTest;
import io.certloop.support.TestCertificates;
import io.certloop.support.TestEndpoints;
import io.certloop.support.TlsTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Text longer than its column: what a machine sent (an alert's annotations, a reload's output) is cut to fit and
 * the work goes on; what a person types is refused with 400 naming the field. Never a 500, never a failed job.
 */
class OverlongFieldsIT extends PostgresIntegrationTest {

    private static final String LONG =
            "An exceptionally verbose alert annotation. ".repeat(120).substring(0, 5_000);

    @Autowired
    private JdbcTemplate jdbc;

    private ApiClient operator;

    @BeforeEach
    void users() {
        admin.ensureUser("overlong-olga", "overlong-olga-pw", "operators", "incident-commanders");
        operator = ApiClient.as(port, "overlong-olga", "overlong-olga-pw");
    }

    @Test
    void anAlertWithAFiveThousandCharacterSummaryOpensAnIncidentWithItsReasonCut() {
        String name = "overlong-alert-" + System.nanoTime();
        assertThat(operator.post("/api/inventory/endpoints", endpoint(name, 1)).status())
                .isEqualTo(201);

        ApiClient.Response accepted = operator.post(
                "/api/alerts/alertmanager",
                notification(List.of(
                        alert(name, "fp-" + name, "t".repeat(5_000), Map.of("summary", LONG, "description", LONG)))));

        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        String id = accepted.json().path("incidents").get(0).asText();
        JsonNode incident = admin.get("/api/incidents/" + id).json();
        String reason = incident.path("reason").asText();
        assertThat(reason)
                .startsWith("Alert SSLCertExpiringSoon firing for " + name + ": An exceptionally verbose")
                .endsWith(Text.CUT_MARK)
                .hasSize(2000);
        assertThat(incident.path("timeline").get(0).path("type").asText()).isEqualTo("opened");
        assertThat(incident.path("timeline").get(0).toString())
                .as("the timeline keeps the alert's evidence (cut to what the entry holds)")
                .contains("An exceptionally verbose alert annotation.");
    }

    @Test
    void aNotificationWithMoreAlertsThanAllowedIsRefusedAndWritesNothing() {
        String name = "overlong-many-" + System.nanoTime();
        assertThat(operator.post("/api/inventory/endpoints", endpoint(name, 1)).status())
                .isEqualTo(201);
        List<Map<String, Object>> alerts = new ArrayList<>();
        IntStream.range(0, 501).forEach(i -> alerts.add(alert(name, "fp-" + i, "web", Map.of("summary", "s"))));

        ApiClient.Response refused = operator.post("/api/alerts/alertmanager", notification(alerts));

        assertProblem(refused, 400, "alerts");
        assertThat(refused.json().path("detail").asText()).contains("at most 500");
        assertThat(admin.get("/api/incidents?endpoint=" + name).json()).isEmpty();
        alerts.remove(500);
        assertThat(operator.post("/api/alerts/alertmanager", notification(alerts))
                        .status())
                .as("500 alerts are fine")
                .isEqualTo(202);
    }

    @Test
    void overLongTextAPersonTypesIsRefusedNamingTheField() {
        String name = "overlong-typed-" + System.nanoTime();
        assertThat(operator.post("/api/inventory/endpoints", endpoint(name, 1)).status())
                .isEqualTo(201);
        long incidents = count("incident");
        long exceptions = count("policy_exception");

        assertProblem(
                operator.post(
                        "/api/incidents", Map.of("endpoint", name, "category", "expiry", "reason", "r".repeat(2001))),
                400,
                "reason");
        Map<String, Object> exception = new LinkedHashMap<>();
        exception.put("endpoint", name);
        exception.put("findingCode", "EXPIRING_SOON");
        exception.put("reason", "r".repeat(4001));
        exception.put("compensatingControls", "c");
        exception.put("expiresAt", Instant.now().plus(Duration.ofDays(3)).toString());
        assertProblem(operator.post("/api/exceptions", exception), 400, "reason");
        exception.put("reason", "r");
        exception.put("compensatingControls", "c".repeat(4001));
        assertProblem(operator.post("/api/exceptions", exception), 400, "compensatingControls");

        ApiClient.Response opened = operator.post(
                "/api/incidents", Map.of("endpoint", name, "category", "expiry", "reason", "r".repeat(2000)));
        assertThat(opened.status()).as("2000 characters fit").isEqualTo(201);
        String id = opened.json().path("id").asText();
        assertProblem(
                operator.post("/api/incidents/" + id + "/break-glass", Map.of("reason", "b".repeat(4001))),
                400,
                "reason");
        assertProblem(
                operator.post("/api/incidents/" + id + "/resolve", Map.of("reason", "x".repeat(2001))), 400, "reason");
        assertThat(count("incident")).isEqualTo(incidents + 1);
        assertThat(count("policy_exception")).isEqualTo(exceptions);
        assertThat(count("break_glass WHERE incident_id = '" + id + "'")).isZero();

        Map<String, Object> tooManyAddresses = endpoint(name + "-a", 1);
        tooManyAddresses.put(
                "addresses", IntStream.range(0, 33).mapToObj(i -> "10.0.0." + i).toList());
        assertProblem(operator.post("/api/inventory/endpoints", tooManyAddresses), 400, "addresses");
        Map<String, Object> tooManyNames = endpoint(name + "-n", 1);
        tooManyNames.put(
                "expectedNames",
                IntStream.range(0, 101).mapToObj(i -> "n" + i + ".example.test").toList());
        assertProblem(operator.post("/api/inventory/endpoints", tooManyNames), 400, "expectedNames");
        Map<String, Object> longPath = endpoint(name + "-p", 1);
        longPath.put(
                "deployment",
                Map.of("type", "files", "fullchainPath", "/srv/" + "p".repeat(1000), "keyPath", "/srv/key.pem"));
        assertProblem(operator.post("/api/inventory/endpoints", longPath), 400, "deployment.fullchainPath");
        assertThat(admin.get("/api/inventory/endpoints/" + name + "-a").status())
                .isEqualTo(404);
    }

    @Test
    void aReloadThatPrintsMoreThanTheTimelineHoldsIsCutAndTheRunbookGoesOn() throws Exception {
        String name = "overlong-reload-" + System.nanoTime();
        Path dir = Files.createDirectories(
                deployDir().resolve("overlong-" + System.nanoTime()).resolve("tls"));
        TestCertificates.Issued expiring = TestCertificates.leaf("localhost")
                .sans("localhost")
                .expiringIn(Duration.ofDays(1))
                .signedBy(TestCertificates.rootCa("Overlong Root").selfSigned());
        try (TlsTestServer server = TlsTestServer.start(expiring)) {
            // the reload action prints 100,000 NUL bytes: 16 KiB are kept, and each is six characters of JSON
            assertThat(operator.post(
                                    "/api/inventory/endpoints",
                                    TestEndpoints.loopback(
                                            name,
                                            server.port(),
                                            dir.resolve("fullchain.pem"),
                                            dir.resolve("key.pem"),
                                            "noisy"))
                            .status())
                    .isEqualTo(201);
            ApiClient.Response opened = operator.post(
                    "/api/incidents",
                    Map.of("endpoint", name, "category", "expiry", "reason", "expires tomorrow; noisy reload"));
            assertThat(opened.status()).as(opened.body()).isEqualTo(201);
            String id = opened.json().path("id").asText();

            JsonNode deployed = Await.until(Duration.ofSeconds(90), () -> {
                for (JsonNode entry : admin.get("/api/incidents/" + id).json().path("timeline")) {
                    if ("certificate-deployed".equals(entry.path("type").asText())) {
                        return entry;
                    }
                }
                return null;
            });

            assertThat(deployed.path("detail").path("truncated").asBoolean())
                    .as("the entry says it is cut")
                    .isTrue();
            assertThat(deployed.path("detail").path("text").asText()).contains("reloadOutput", "\\u0000");
            assertThat(jdbc.queryForObject(
                            "SELECT MAX(LENGTH(detail)) FROM incident_timeline WHERE incident_id = ?",
                            Integer.class,
                            id))
                    .isLessThanOrEqualTo(StoredDetail.LIMIT);
            String instance = admin.get("/api/incidents/" + id)
                    .json()
                    .path("processInstanceId")
                    .asText();
            assertThat(admin.get("/engine-rest/job?processInstanceId=" + instance + "&withException=true")
                            .json())
                    .as("no job of the runbook failed")
                    .isEmpty();
        }
    }

    private long count(String table) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Long.class);
    }

    private static void assertProblem(ApiClient.Response response, int status, String field) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().path("field").asText()).as(response.body()).isEqualTo(field);
    }

    private static Map<String, Object> endpoint(String name, int port) {
        Map<String, Object> endpoint = new LinkedHashMap<>();
        endpoint.put("name", name);
        endpoint.put("host", "127.0.0.1");
        endpoint.put("port", port);
        endpoint.put("sni", "overlong.test");
        endpoint.put("tier", 3);
        endpoint.put("environment", "non-production");
        endpoint.put("serviceOwner", Map.of("team", "web", "email", "web@example.test"));
        endpoint.put("replacementPath", "manual");
        return endpoint;
    }

    private static Map<String, Object> alert(
            String endpoint, String fingerprint, String team, Map<String, String> annotations) {
        Map<String, Object> alert = new LinkedHashMap<>();
        alert.put("status", "firing");
        alert.put(
                "labels",
                Map.of(
                        "alertname", "SSLCertExpiringSoon",
                        "certloop_endpoint", endpoint,
                        "team", team));
        alert.put("annotations", annotations);
        alert.put("startsAt", "2026-03-01T09:58:30Z");
        alert.put("endsAt", "0001-01-01T00:00:00Z");
        alert.put("generatorURL", "http://prometheus:9090/graph");
        alert.put("fingerprint", fingerprint);
        return alert;
    }

    private static Map<String, Object> notification(List<Map<String, Object>> alerts) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("version", "4");
        payload.put("groupKey", "{}:{alertname=\"SSLCertExpiringSoon\"}");
        payload.put("status", "firing");
        payload.put("receiver", "certloop");
        payload.put("alerts", alerts);
        payload.put("commonAnnotations", Map.of("summary", LONG));
        return payload;
    }
}
