package io.certloop.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.certloop.detection.DetectionLoop;
import io.certloop.support.ApiClient;
import io.certloop.support.Await;
import io.certloop.support.NginxServer;
import io.certloop.support.PostgresIntegrationTest;
import io.certloop.support.TestCertificates;
import io.certloop.support.TestEndpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Exception review over HTTP on the whole server: Debian nginx sends its leaf without the intermediate
 * (CHAIN_INCOMPLETE); an operator asks for an exception; the PKI board member who asked cannot decide it by the
 * engine REST API, another one approves; detection then opens no incident for the finding, shows it marked, and
 * opens one on the first cycle after the exception expired.
 */
class ExceptionReviewIT extends PostgresIntegrationTest {

    private static final TestCertificates.Issued ROOT =
            TestCertificates.rootCa("Legacy Appliance Root").selfSigned();
    private static final TestCertificates.Issued INTERMEDIATE =
            TestCertificates.intermediate("Legacy Appliance CA").signedBy(ROOT);

    @Autowired
    private DetectionLoop detection;

    private NginxServer nginx;
    private Path certDir;
    private ApiClient orla;
    private ApiClient bob;
    private ApiClient carol;

    @BeforeEach
    void setUp() throws Exception {
        // orla asks and also sits on the board: four eyes must hold whatever groups she holds
        admin.ensureUser("orla", "orla-pw", "operators", "pki-board");
        admin.ensureUser("bob", "bob-pw", "pki-board");
        admin.ensureUser("carol", "carol-pw", "pki-board");
        orla = ApiClient.as(port, "orla", "orla-pw");
        bob = ApiClient.as(port, "bob", "bob-pw");
        carol = ApiClient.as(port, "carol", "carol-pw");
    }

    @AfterEach
    void stopNginx() {
        if (nginx != null) {
            nginx.close();
        }
    }

    private String applianceWithoutIntermediate() throws Exception {
        assumeTrue(NginxServer.available(), "Debian nginx is required (bin/test installs it)");
        certDir = Files.createDirectories(deployDir().resolve("exception-" + System.nanoTime()));
        TestCertificates.Issued leaf =
                TestCertificates.leaf("localhost").sans("localhost").signedBy(INTERMEDIATE);
        // the appliance sends its leaf only
        Files.writeString(certDir.resolve("fullchain.pem"), TestCertificates.toPem(List.of(leaf.certificate())));
        leaf.writeKeyPem(certDir.resolve("key.pem"));
        nginx = NginxServer.builder(NGINX_PREFIX)
                .site("appliance", certDir.resolve("fullchain.pem"), certDir.resolve("key.pem"))
                .start();
        String name = "appliance-" + System.nanoTime();
        ApiClient.Response created = orla.post(
                "/api/inventory/endpoints",
                TestEndpoints.loopback(
                        name,
                        nginx.port("appliance"),
                        certDir.resolve("fullchain.pem"),
                        certDir.resolve("key.pem"),
                        "test-nginx"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return name;
    }

    private static Map<String, Object> request(String endpoint, String code, Instant expiresAt) {
        Map<String, Object> body = new HashMap<>();
        body.put("endpoint", endpoint);
        body.put("findingCode", code);
        body.put("reason", "the appliance firmware cannot send an intermediate; vendor fix due next quarter");
        body.put(
                "compensatingControls",
                "the two client systems pin the intermediate; access limited to the admin VLAN");
        body.put("expiresAt", expiresAt.toString());
        return body;
    }

    @Test
    void aBadRequestNamesTheFieldAndStoresNothing() throws Exception {
        String name = applianceWithoutIntermediate();
        Instant inAMonth = Instant.now().plus(Duration.ofDays(30));
        assertRefused(request("no-such-endpoint", "CHAIN_INCOMPLETE", inAMonth), "endpoint");
        assertRefused(request(name, "NO_SUCH_CODE", inAMonth), "findingCode");
        assertRefused(request(name, "CHAIN_INCOMPLETE", Instant.now().minusSeconds(60)), "expiresAt");
        assertRefused(request(name, "CHAIN_INCOMPLETE", Instant.now().plus(Duration.ofDays(91))), "expiresAt");
        Map<String, Object> noControls = request(name, "CHAIN_INCOMPLETE", inAMonth);
        noControls.put("compensatingControls", " ");
        assertRefused(noControls, "compensatingControls");
        assertRefused(request(name, "EXPIRED", inAMonth), "findingCode");
        assertRefused(request(name, "REVOKED", inAMonth), "findingCode");
        assertThat(orla.get("/api/exceptions?limit=1000").json().toString()).doesNotContain(name);
        assertThat(bob.post("/api/exceptions", request(name, "CHAIN_INCOMPLETE", inAMonth))
                        .status())
                .as("the board decides, operators and incident commanders ask")
                .isEqualTo(403);
    }

    private void assertRefused(Map<String, Object> body, String field) {
        ApiClient.Response refused = orla.post("/api/exceptions", body);
        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        assertThat(refused.json().path("field").asText()).as(refused.body()).isEqualTo(field);
    }

    @Test
    void anApprovedExceptionKeepsDetectionFromOpeningAnIncidentUntilItExpires() throws Exception {
        String name = applianceWithoutIntermediate();
        ApiClient.Response created = orla.post(
                "/api/exceptions",
                request(name, "CHAIN_INCOMPLETE", Instant.now().plus(Duration.ofDays(30))));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().path("id").asText();
        assertThat(id).matches("EXC-\\d{4}-\\d{6}");
        assertThat(created.json().path("state").asText()).isEqualTo("pending");

        JsonNode task = Await.until(Duration.ofSeconds(10), () -> {
            JsonNode tasks = bob.get(
                            "/engine-rest/task?processInstanceBusinessKey=" + id + "&taskDefinitionKey=reviewException")
                    .json();
            return tasks.isArray() && !tasks.isEmpty() ? tasks.get(0) : null;
        });
        String taskId = task.path("id").asText();
        assertThat(filterTaskIds(bob, "Exceptions to review"))
                .as("the board's Tasklist filter shows it")
                .contains(taskId);
        ApiClient.Response form = bob.get("/engine-rest/task/" + taskId + "/deployed-form");
        assertThat(form.status()).as(form.body()).isEqualTo(200);
        assertThat(form.json().path("id").asText()).isEqualTo("review-exception");

        // the requester, a board member herself, can neither claim nor complete it over the engine REST API
        ApiClient.Response claim = orla.post("/engine-rest/task/" + taskId + "/claim", Map.of("userId", "orla"));
        assertThat(claim.status()).as(claim.body()).isEqualTo(403);
        assertThat(claim.body()).contains("four eyes");
        ApiClient.Response own =
                orla.post("/engine-rest/task/" + taskId + "/complete", decision("approve", "mine", null));
        assertThat(own.status()).as(own.body()).isEqualTo(403);
        assertThat(own.body()).contains("four eyes", "orla requested this");
        assertThat(bob.get("/engine-rest/task/" + taskId).status())
                .as("the task stays open")
                .isEqualTo(200);
        assertThat(orla.get("/api/exceptions/" + id).json().path("state").asText())
                .isEqualTo("pending");

        ApiClient.Response unclear =
                bob.post("/engine-rest/task/" + taskId + "/complete", decision("maybe", "hmm", null));
        assertThat(unclear.status()).as(unclear.body()).isEqualTo(400);
        assertThat(unclear.body()).contains("exceptionDecision");

        // another board member approves, shortening it so the test sees it expire
        Instant shortened = Instant.now().plusSeconds(12);
        ApiClient.Response approved = bob.post(
                "/engine-rest/task/" + taskId + "/complete",
                decision("approve", "pinning verified on both clients", shortened.toString()));
        assertThat(approved.status()).as(approved.body()).isEqualTo(204);
        JsonNode active = orla.get("/api/exceptions/" + id).json();
        assertThat(active.path("state").asText()).isEqualTo("active");
        assertThat(active.path("decidedBy").asText()).isEqualTo("bob");
        assertThat(active.path("history").findValuesAsText("type")).contains("requested", "approved");
        assertThat(active.path("history").findValuesAsText("actor")).contains("orla", "bob");

        // detection: the finding shows, marked, and opens no incident
        detection.runOnce();
        JsonNode probe = orla.post("/api/inventory/endpoints/" + name + "/probe", Map.of())
                .json();
        JsonNode finding = finding(probe, "CHAIN_INCOMPLETE");
        assertThat(finding.path("suppressedBy").asText()).as(probe.toString()).isEqualTo(id);
        assertThat(openIncidents(name)).isEmpty();
        assertThat(admin.get("/actuator/prometheus").body()).contains("certloop_exceptions_active");
        assertThat(orla.get("/api/exceptions?state=active").json().findValuesAsText("id"))
                .contains(id);

        // the timer ends it; the next cycle opens the incident
        Await.until(
                Duration.ofSeconds(60),
                () -> "expired"
                                .equals(orla.get("/api/exceptions/" + id)
                                        .json()
                                        .path("state")
                                        .asText())
                        ? true
                        : null);
        detection.runOnce();
        JsonNode incidents = Await.until(Duration.ofSeconds(10), () -> {
            JsonNode open = openIncidents(name);
            return open.isEmpty() ? null : open;
        });
        assertThat(incidents.get(0).path("category").asText()).isEqualTo("trust-mismatch");
        String outbox = admin.get("/api/notifications?incidentId=" + id).body();
        assertThat(outbox).contains("exception-approved", "exception-expired", "bob@example.test", "web@example.test");
        assertThat(orla.get("/api/exceptions/" + id).json().path("history").findValuesAsText("type"))
                .contains("expired");
    }

    @Test
    void theBoardRevokesAnActiveExceptionAndOnlyTheBoardMay() throws Exception {
        String name = applianceWithoutIntermediate();
        String id = requestTenDays(name);
        assertThat(bob.post("/api/exceptions/" + id + "/revoke", Map.of("reason", "too early"))
                        .status())
                .as("only an active exception can be revoked")
                .isEqualTo(409);
        approveAsCarol(id);
        ApiClient operatorOnly = ApiClient.as(port, "rexy", "rexy-pw");
        admin.ensureUser("rexy", "rexy-pw", "operators");
        assertThat(operatorOnly
                        .post("/api/exceptions/" + id + "/revoke", Map.of("reason", "x"))
                        .status())
                .isEqualTo(403);

        ApiClient.Response revoked =
                bob.post("/api/exceptions/" + id + "/revoke", Map.of("reason", "the vendor shipped the fix"));
        assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);
        assertThat(revoked.json().path("state").asText()).isEqualTo("revoked");
        awaitReviewEnded(id);
        assertThat(admin.get("/api/notifications?incidentId=" + id).body()).contains("exception-revoked");

        // a renewal shows the previous decisions
        String renewal = requestTenDays(name);
        assertThat(orla.get("/api/exceptions/" + renewal)
                        .json()
                        .path("previous")
                        .findValuesAsText("id"))
                .contains(id);
    }

    /** The task ids a Tasklist filter (created at start) shows this user. */
    static List<String> filterTaskIds(ApiClient user, String filterName) {
        JsonNode filters = user.get("/engine-rest/filter?resourceType=Task").json();
        for (JsonNode filter : filters) {
            if (filterName.equals(filter.path("name").asText())) {
                return user.get("/engine-rest/filter/" + filter.path("id").asText() + "/list?maxResults=500")
                        .json()
                        .findValuesAsText("id");
            }
        }
        throw new AssertionError("no Tasklist filter named " + filterName + " in " + filters);
    }

    /**
     * The board revokes an exception the moment it is approved, five times over: the review steps that run right
     * after an approval (its notification, an immediate reminder: ten days is inside the reminder window) never
     * swallow the revocation; each review ends, and owners and board hear of each revocation.
     */
    @Test
    void aRevocationRightAfterTheApprovalIsNeverLost() throws Exception {
        String name = applianceWithoutIntermediate();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = requestTenDays(name);
            approveAsCarol(id);
            ApiClient.Response revoked = bob.post("/api/exceptions/" + id + "/revoke", Map.of("reason", "at once"));
            assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);
            ids.add(id);
        }
        for (String id : ids) {
            awaitReviewEnded(id);
            assertThat(admin.get("/api/notifications?incidentId=" + id).body())
                    .as(id)
                    .contains("exception-revoked")
                    .doesNotContain("exception-expired");
            assertThat(orla.get("/api/exceptions/" + id).json().path("state").asText())
                    .isEqualTo("revoked");
        }
    }

    /** Orla asks for a ten-day exception for WEAK_KEY on the endpoint; its id. */
    private String requestTenDays(String endpoint) {
        return orla.post(
                        "/api/exceptions",
                        request(endpoint, "WEAK_KEY", Instant.now().plus(Duration.ofDays(10))))
                .json()
                .path("id")
                .asText();
    }

    /** The review process of this exception has ended (within 30 s). */
    private void awaitReviewEnded(String id) throws InterruptedException {
        Await.until(
                Duration.ofSeconds(30),
                () -> admin.get("/engine-rest/history/process-instance?processInstanceBusinessKey=" + id
                                                + "&finished=true")
                                        .json()
                                        .size()
                                == 1
                        ? true
                        : null);
    }

    private void approveAsCarol(String id) throws InterruptedException {
        JsonNode task = Await.until(Duration.ofSeconds(10), () -> {
            JsonNode tasks = carol.get("/engine-rest/task?processInstanceBusinessKey=" + id)
                    .json();
            return tasks.isArray() && !tasks.isEmpty() ? tasks.get(0) : null;
        });
        assertThat(carol.post(
                                "/engine-rest/task/" + task.path("id").asText() + "/complete",
                                decision("approve", "fine for ten days", null))
                        .status())
                .isEqualTo(204);
    }

    private JsonNode openIncidents(String endpoint) {
        return admin.get("/api/incidents?state=open&endpoint=" + endpoint).json();
    }

    private static JsonNode finding(JsonNode probe, String code) {
        for (JsonNode finding : probe.path("findings")) {
            if (code.equals(finding.path("code").asText())) {
                return finding;
            }
        }
        throw new AssertionError("no " + code + " in " + probe);
    }

    private static Map<String, Object> decision(String decision, String comment, String approvedExpiresAt) {
        Map<String, Object> variables = new HashMap<>();
        variables.put("exceptionDecision", Map.of("value", decision));
        variables.put("decisionComment", Map.of("value", comment));
        if (approvedExpiresAt != null) {
            variables.put("approvedExpiresAt", Map.of("value", approvedExpiresAt));
        }
        return Map.of("variables", variables);
    }
}
