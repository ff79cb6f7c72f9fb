package io.certloop.intake;

import static io.certloop.support.AlertmanagerWebhook.alert;
import static io.certloop.support.AlertmanagerWebhook.payload;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.certloop.incident.IncidentOpened;
import io.certloop.support.ApiClient;
import io.certloop.support.PostgresIntegrationTest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.context.event.ApplicationEventMulticaster;

/**
 * Alertmanager → incidents over HTTP on the real PostgreSQL, and the incidents API. The payloads
 * are what Alertmanager 0.27 posts to a webhook receiver, byte for byte in shape.
 */
class AlertIntakeIT extends PostgresIntegrationTest {

    @Autowired
    private ApplicationEventMulticaster multicaster;

    private final List<Object> events = new CopyOnWriteArrayList<>();
    private final ApplicationListener<ApplicationEvent> recorder = event -> {
        if (event instanceof PayloadApplicationEvent<?> payload) {
            events.add(payload.getPayload());
        }
    };

    private ApiClient alertmanager;
    private ApiClient operator;
    private ApiClient auditor;
    private String suffix;

    @BeforeEach
    void setUp() {
        multicaster.addApplicationListener(recorder);
        admin.ensureUser("alertmanager-svc", "alertmanager-pw", "operators");
        admin.ensureUser("otto", "otto-pw", "operators");
        admin.ensureUser("ada", "ada-pw", "auditors");
        alertmanager = ApiClient.as(port, "alertmanager-svc", "alertmanager-pw");
        operator = ApiClient.as(port, "otto", "otto-pw");
        auditor = ApiClient.as(port, "ada", "ada-pw");
        suffix = UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void tearDown() {
        multicaster.removeApplicationListener(recorder);
    }

    @Test
    void aFiringExpiryAlertOpensOneIncidentAndItsRepeatIsAddedToIt() {
        String host = "shop-" + suffix + ".example.test";
        createEndpoint("shop-" + suffix, host, 1, "production");

        ApiClient.Response first = alertmanager.post(
                "/api/alerts/alertmanager",
                "application/json",
                payload("firing", alert("firing", "SSLCertExpired", "https://" + host + "/", "fp-" + suffix)));

        assertThat(first.status()).as(first.body()).isEqualTo(202);
        JsonNode ids = first.json().path("incidents");
        assertThat(ids).hasSize(1);
        String id = ids.get(0).asText();
        assertThat(id).matches("INC-\\d{4}-\\d{6}");
        assertThat(first.json().path("deduplicated")).isEmpty();
        assertThat(events)
                .filteredOn(IncidentOpened.class::isInstance)
                .map(IncidentOpened.class::cast)
                .singleElement()
                .satisfies(opened -> {
                    assertThat(opened.incidentId()).isEqualTo(id);
                    assertThat(opened.endpointName()).isEqualTo("shop-" + suffix);
                    assertThat(opened.subcategory()).isEqualTo("expired-production");
                    assertThat(opened.severity().level()).isEqualTo("SEV1");
                });

        JsonNode incident = auditor.get("/api/incidents/" + id).json();
        assertThat(incident.path("category").asText()).isEqualTo("expiry");
        assertThat(incident.path("subcategory").asText()).isEqualTo("expired-production");
        assertThat(incident.path("state").asText()).isEqualTo("open");
        assertThat(incident.path("tier").asInt()).isEqualTo(1);
        assertThat(incident.path("severity").path("level").asText()).isEqualTo("SEV1");
        assertThat(incident.path("severity").path("responseSla").asText()).isEqualTo("PT15M");
        assertThat(incident.path("severity").path("updateCadence").asText()).isEqualTo("PT30M");
        assertThat(incident.path("severity").path("pageIncidentCommander").asBoolean())
                .isTrue();
        assertThat(incident.path("severity").path("notifyExecutivesWithin").asText())
                .isEqualTo("PT1H");
        assertThat(incident.path("timeline").get(0).path("type").asText()).isEqualTo("opened");
        assertThat(incident.path("timeline").get(0).path("actor").asText()).isEqualTo("alertmanager-svc");
        assertThat(incident.path("timeline")
                        .get(0)
                        .path("detail")
                        .path("evidence")
                        .path("fingerprint")
                        .asText())
                .isEqualTo("fp-" + suffix);

        ApiClient.Response repeat = alertmanager.post(
                "/api/alerts/alertmanager",
                "application/json",
                payload("firing", alert("firing", "SSLCertExpired", "https://" + host + "/", "fp-" + suffix)));
        assertThat(repeat.status()).as(repeat.body()).isEqualTo(202);
        assertThat(repeat.json().path("incidents").get(0).asText()).isEqualTo(id);
        assertThat(repeat.json().path("deduplicated").get(0).asText()).isEqualTo(id);
        assertThat(events).filteredOn(IncidentOpened.class::isInstance).hasSize(1);

        ApiClient.Response resolved = alertmanager.post(
                "/api/alerts/alertmanager",
                "application/json",
                payload("resolved", alert("resolved", "SSLCertExpired", "https://" + host + "/", "fp-" + suffix)));
        assertThat(resolved.status()).as(resolved.body()).isEqualTo(202);
        assertThat(resolved.json().path("resolvedRecordedOn").get(0).asText()).isEqualTo(id);

        JsonNode after = auditor.get("/api/incidents/" + id).json();
        // the runbook started for the incident writes its own steps in between
        assertThat(after.path("timeline").findValuesAsText("type"))
                .containsSubsequence("opened", "repeated", "alert-resolved");
        assertThat(after.path("state").asText())
                .as("only verification resolves an incident")
                .isEqualTo("open");
        JsonNode open =
                auditor.get("/api/incidents?state=open&endpoint=shop-" + suffix).json();
        assertThat(open.findValuesAsText("id")).containsExactly(id);
    }

    @Test
    void anExpiringSoonAlertOnAHostAndPortLabelOpensAPreEmptiveIncident() {
        String host = "api-" + suffix + ".example.test";
        createEndpoint("api-" + suffix, host, 3, "hot-spare", 8443);

        ApiClient.Response response = alertmanager.post(
                "/api/alerts/alertmanager",
                "application/json",
                payload(
                        "firing",
                        alert("firing", "BlackboxSslCertificateWillExpireSoon", host + ":8443", "fp2-" + suffix)));

        assertThat(response.status()).as(response.body()).isEqualTo(202);
        JsonNode incident = auditor.get("/api/incidents/"
                        + response.json().path("incidents").get(0).asText())
                .json();
        assertThat(incident.path("endpoint").asText()).isEqualTo("api-" + suffix);
        assertThat(incident.path("subcategory").asText()).isEqualTo("expiring");
        assertThat(incident.path("environment").asText()).isEqualTo("hot-spare");
    }

    @Test
    void anAlertForATargetOutsideTheInventoryGoesToTriageAndOpensNoIncident() {
        String host = "stranger-" + suffix + ".example.test";

        ApiClient.Response response = alertmanager.post(
                "/api/alerts/alertmanager",
                "application/json",
                payload("firing", alert("firing", "SSLCertExpiringSoon", "https://" + host, "fp3-" + suffix)));

        assertThat(response.status()).as(response.body()).isEqualTo(202);
        assertThat(response.json().path("incidents")).isEmpty();
        assertThat(response.json().path("triage").get(0).path("target").asText())
                .isEqualTo(host + ":443");
        assertThat(events).filteredOn(IncidentOpened.class::isInstance).isEmpty();
        assertThat(events)
                .filteredOn(UnknownTargetAlerted.class::isInstance)
                .map(UnknownTargetAlerted.class::cast)
                .singleElement()
                .satisfies(triage -> {
                    assertThat(triage.target()).isEqualTo(host + ":443");
                    assertThat(triage.alertname()).isEqualTo("SSLCertExpiringSoon");
                    assertThat(triage.alertSummary()).contains("SSL certificate expires in 10 days");
                });
        assertThat(auditor.get("/api/incidents?state=open&limit=1000").json().findValuesAsText("endpoint"))
                .doesNotContain(host);
    }

    @Test
    void malformedPayloadsAreRefusedNamingTheField() {
        String bad = payload("firing", alert("firing", "SSLCertExpired", "https://x.example.test", "fp"));
        assertProblem(
                alertmanager.post(
                        "/api/alerts/alertmanager",
                        "application/json",
                        bad.replace("\"version\": \"4\"", "\"version\": \"3\"")),
                "version");
        assertProblem(
                alertmanager.post(
                        "/api/alerts/alertmanager",
                        "application/json",
                        payload("firing", alert("burning", "SSLCertExpired", "https://x.example.test", "fp"))),
                "alerts[0].status");
        assertProblem(
                alertmanager.post(
                        "/api/alerts/alertmanager",
                        "application/json",
                        bad.replace(
                                "\"instance\": \"https://x.example.test\"", "\"instance\": \"x.example.test:99999\"")),
                "alerts[0].labels.instance");
        assertProblem(
                alertmanager.post(
                        "/api/alerts/alertmanager",
                        "application/json",
                        bad.replace(
                                "\"instance\": \"https://x.example.test\"",
                                "\"certloop_category\": \"sunburn\", \"instance\": \"x.example.test\"")),
                "alerts[0].labels.certloop_category");
        assertProblem(
                alertmanager.post(
                        "/api/alerts/alertmanager",
                        "application/json",
                        bad.replace("\"startsAt\": \"2026-03-01T09:58:30.123456789Z\"", "\"startsAt\": \"yesterday\"")),
                "alerts[0].startsAt");
        assertProblem(
                alertmanager.post(
                        "/api/alerts/alertmanager", "application/json", "{\"version\": \"4\", \"status\": \"firing\"}"),
                "alerts");
        assertProblem(alertmanager.post("/api/alerts/alertmanager", "application/json", "not json"), "body");
    }

    @Test
    void theWebhookNeedsTheOperatorsGroup() {
        String body = payload("firing", alert("firing", "SSLCertExpired", "https://x.example.test", "fp"));
        assertThat(anonymous
                        .post("/api/alerts/alertmanager", "application/json", body)
                        .status())
                .isEqualTo(401);
        assertThat(auditor.post("/api/alerts/alertmanager", "application/json", body)
                        .status())
                .isEqualTo(403);
    }

    @Test
    void anOperatorOpensAnIncidentByHandAndARepeatIsDeduplicated() {
        createEndpoint("billing-" + suffix, "billing-" + suffix + ".example.test", 2, "non-production");

        ApiClient.Response created = operator.post(
                "/api/incidents",
                Map.of(
                        "endpoint",
                        "billing-" + suffix,
                        "category",
                        "trust-mismatch",
                        "subcategory",
                        "intermediate-not-sent",
                        "reason",
                        "Android clients fail"));

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().path("id").asText();
        assertThat(created.json().path("deduplicated").asBoolean()).isFalse();
        assertThat(created.json().path("severity").path("level").asText()).isEqualTo("SEV4");

        ApiClient.Response again = operator.post(
                "/api/incidents",
                Map.of("endpoint", "billing-" + suffix, "category", "trust-mismatch", "reason", "still failing"));
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.json().path("id").asText()).isEqualTo(id);
        assertThat(again.json().path("deduplicated").asBoolean()).isTrue();

        ApiClient.Response expiry = operator.post(
                "/api/incidents",
                Map.of("endpoint", "billing-" + suffix, "category", "expiry", "reason", "expired this morning"));
        assertThat(expiry.status()).as("another category is another incident").isEqualTo(201);
        assertThat(expiry.json().path("subcategory").asText()).isEqualTo("expired-non-production");

        JsonNode detail = auditor.get("/api/incidents/" + id).json();
        assertThat(detail.path("timeline"))
                .filteredOn(entry -> entry.path("type").asText().matches("opened|repeated"))
                .extracting(entry -> entry.path("actor").asText())
                .containsExactly("otto", "otto");
        assertThat(auditor.get("/api/incidents/INC-1999-999999").status()).isEqualTo(404);
    }

    @Test
    void aHandMadeIncidentIsValidatedFieldByField() {
        createEndpoint("ledger-" + suffix, "ledger-" + suffix + ".example.test", 1, "production");
        assertProblem(
                operator.post(
                        "/api/incidents", Map.of("endpoint", "nowhere-" + suffix, "category", "expiry", "reason", "r")),
                "endpoint");
        assertProblem(
                operator.post(
                        "/api/incidents", Map.of("endpoint", "ledger-" + suffix, "category", "sunburn", "reason", "r")),
                "category");
        assertProblem(
                operator.post(
                        "/api/incidents",
                        Map.of(
                                "endpoint",
                                "ledger-" + suffix,
                                "category",
                                "expiry",
                                "subcategory",
                                "root-missing",
                                "reason",
                                "r")),
                "subcategory");
        assertProblem(
                operator.post("/api/incidents", Map.of("endpoint", "ledger-" + suffix, "category", "expiry")),
                "reason");
        assertProblem(operator.get("/api/incidents?state=sleeping"), "state");
        assertThat(auditor.post(
                                "/api/incidents",
                                Map.of("endpoint", "ledger-" + suffix, "category", "expiry", "reason", "r"))
                        .status())
                .isEqualTo(403);
        assertThat(auditor.get("/api/incidents?endpoint=ledger-" + suffix).json())
                .isEmpty();
    }

    @Test
    void notificationsAreReadableByEveryUser() {
        ApiClient.Response list = auditor.get("/api/notifications?incidentId=INC-1999-000000");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().isArray()).isTrue();
        assertThat(anonymous.get("/api/notifications").status()).isEqualTo(401);
    }

    private static void assertProblem(ApiClient.Response response, String field) {
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().path("errors").findValuesAsText("field"))
                .as(response.body())
                .contains(field);
    }

    private void createEndpoint(String name, String host, int tier, String environment) {
        createEndpoint(name, host, tier, environment, 443);
    }

    private void createEndpoint(String name, String host, int tier, String environment, int port) {
        Map<String, Object> request = new HashMap<>();
        request.put("name", name);
        request.put("host", host);
        request.put("port", port);
        request.put("tier", tier);
        request.put("environment", environment);
        request.put("serviceOwner", Map.of("team", "web", "email", "web-team@example.test"));
        request.put("replacementPath", "internal-ca");
        request.put("profile", "standard");
        request.put(
                "deployment",
                Map.of(
                        "type",
                        "files",
                        "certificatePath",
                        deployDir().resolve("x/cert.pem").toString(),
                        "fullchainPath",
                        deployDir().resolve("x/fullchain.pem").toString(),
                        "keyPath",
                        deployDir().resolve("x/key.pem").toString(),
                        "reloadAction",
                        "noop"));
        ApiClient.Response created = admin.post("/api/inventory/endpoints", request);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
    }
}
