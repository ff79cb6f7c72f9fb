package io.certloop.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.certloop.support.ApiClient;
import io.certloop.support.Await;
import io.certloop.support.NginxServer;
import io.certloop.support.PostgresIntegrationTest;
import io.certloop.support.TestCertificates;
import io.certloop.support.TestEndpoints;
import io.certloop.support.TlsPeek;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ACME CA goes down while two expiry runbooks and a mis-issuance runbook need it: pebble refuses connections,
 * the runbooks' failures open one {@code ca-outage} incident for the issuer {@code acme}, all wait on it (linked on
 * the timelines, no polling of their own; the mis-issuance runbook through the reusable {@code await-issuer}
 * process); pebble answers again, the outage's health check resolves it and resumes them, and nginx presents the
 * new certificates from pebble to the test's own TLS client.
 */
class CaOutageEndToEndIT extends PostgresIntegrationTest {

    private NginxServer nginx;
    private Path certDir;
    private TestCertificates.Issued expiring;

    @BeforeEach
    void startNginx() throws Exception {
        assumeTrue(NginxServer.available(), "Debian nginx is required (bin/test installs it)");
        assumeTrue(pebble() != null, "Debian pebble is required (bin/test installs it)");
        certDir = Files.createDirectories(deployDir().resolve("ca-outage-" + System.nanoTime()));
        TestCertificates.Issued ca = TestCertificates.rootCa("Legacy Root").selfSigned();
        expiring = TestCertificates.leaf("localhost")
                .sans("localhost")
                .expiringIn(Duration.ofDays(1))
                .signedBy(ca);
        for (String site : List.of("shop", "blog", "drift")) {
            expiring.writeFullchainPem(certDir.resolve(site + "-fullchain.pem"));
            expiring.writeKeyPem(certDir.resolve(site + "-key.pem"));
        }
        nginx = NginxServer.builder(NGINX_PREFIX)
                .site("shop", certDir.resolve("shop-fullchain.pem"), certDir.resolve("shop-key.pem"))
                .site("blog", certDir.resolve("blog-fullchain.pem"), certDir.resolve("blog-key.pem"))
                .site("drift", certDir.resolve("drift-fullchain.pem"), certDir.resolve("drift-key.pem"))
                .start();
        admin.ensureUser("otto-outage", "otto-outage-pw", "operators");
    }

    @AfterEach
    void stopNginx() {
        pebbleDoor().accept();
        if (nginx != null) {
            nginx.close();
        }
    }

    @Test
    void aRefusingAcmeCaOpensOneOutageThatResolvesWhenItIsBackAndTheWaitingRunbooksComplete() throws Exception {
        ApiClient operator = ApiClient.as(port, "otto-outage", "otto-outage-pw");
        long suffix = System.nanoTime();
        Map<String, String> endpoints = Map.of("shop", "shop-" + suffix, "blog", "blog-" + suffix);
        for (var site : endpoints.entrySet()) {
            Map<String, Object> request = TestEndpoints.loopback(
                    site.getValue(),
                    nginx.port(site.getKey()),
                    certDir.resolve(site.getKey() + "-fullchain.pem"),
                    certDir.resolve(site.getKey() + "-key.pem"),
                    "test-nginx");
            request.put("replacementPath", "acme");
            assertThat(operator.post("/api/inventory/endpoints", request).status())
                    .isEqualTo(201);
        }

        String drift = "drift-" + suffix;
        Map<String, Object> driftRequest = TestEndpoints.loopback(
                drift,
                nginx.port("drift"),
                certDir.resolve("drift-fullchain.pem"),
                certDir.resolve("drift-key.pem"),
                "test-nginx");
        driftRequest.put("replacementPath", "acme");
        assertThat(operator.post("/api/inventory/endpoints", driftRequest).status())
                .isEqualTo(201);

        pebbleDoor().refuse(); // the ACME CA is down: connections refused
        List<String> expiryIncidents = new ArrayList<>();
        for (String endpoint : endpoints.values()) {
            ApiClient.Response opened = operator.post(
                    "/api/incidents", Map.of("endpoint", endpoint, "category", "expiry", "reason", "expires tomorrow"));
            assertThat(opened.status()).as(opened.body()).isEqualTo(201);
            expiryIncidents.add(opened.json().path("id").asText());
        }

        ApiClient.Response misIssued = operator.post(
                "/api/incidents",
                Map.of(
                        "endpoint",
                        drift,
                        "category",
                        "mis-issuance",
                        "subcategory",
                        "against-policy",
                        "reason",
                        "names drifted"));
        assertThat(misIssued.status()).as(misIssued.body()).isEqualTo(201);
        String misIncident = misIssued.json().path("id").asText();
        List<String> waitingIncidents = new ArrayList<>(expiryIncidents);
        waitingIncidents.add(misIncident);

        // every runbook fails on the issuer until one outage is open, then waits on it
        Set<String> outages = new HashSet<>();
        for (String incident : waitingIncidents) {
            JsonNode waiting = Await.until(Duration.ofSeconds(90), () -> entry(incident, "waiting-on-ca-outage"));
            outages.add(waiting.path("detail").path("outageIncident").asText());
            assertThat(waiting.path("detail").path("issuer").asText()).isEqualTo("acme");
            assertThat(timelineTypes(incident)).contains("ca-failure").doesNotContain("deployment-verified");
        }
        assertThat(outages)
                .as("one ca-outage incident for the issuer, however many runbooks wait")
                .hasSize(1);
        String outage = outages.iterator().next();
        JsonNode outageIncident = admin.get("/api/incidents/" + outage).json();
        assertThat(outageIncident.path("category").asText()).isEqualTo("ca-outage");
        assertThat(outageIncident.path("subcategory").asText()).isEqualTo("public-ca-down");
        assertThat(outageIncident.path("state").asText()).isEqualTo("open");
        assertThat(outageIncident.path("processInstanceId").asText())
                .as("an open incident has its runbook running")
                .isNotBlank();
        assertThat(admin.get("/engine-rest/process-instance/count?businessKey=" + outage
                                + "&processDefinitionKey=ca-outage")
                        .json()
                        .path("count")
                        .asInt())
                .isEqualTo(1);
        Set<String> linked = new HashSet<>();
        Await.until(Duration.ofSeconds(30), () -> {
            linked.clear();
            entries(outage, "runbook-waiting")
                    .forEach(e -> linked.add(e.path("detail").path("incident").asText()));
            return linked.containsAll(waitingIncidents) ? linked : null;
        });
        long openOutages = StreamSupport.stream(
                        admin.get("/api/incidents?state=open").json().spliterator(), false)
                .filter(i -> "ca-outage".equals(i.path("category").asText()))
                .filter(i -> endpoints.containsValue(i.path("endpoint").asText())
                        || drift.equals(i.path("endpoint").asText()))
                .count();
        assertThat(openOutages).isEqualTo(1);

        // the waiting runbooks hold no job of their own: they wait for the message
        for (String incident : expiryIncidents) {
            JsonNode instances = admin.get("/engine-rest/process-instance?businessKey=" + incident)
                    .json();
            String instanceId = instances.get(0).path("id").asText();
            JsonNode activities = admin.get("/engine-rest/process-instance/" + instanceId + "/activity-instances")
                    .json();
            assertThat(activities.toString()).contains("waitForIssuer");
        }
        JsonNode called = admin.get("/engine-rest/process-instance?businessKey=" + misIncident
                        + "&processDefinitionKey=await-issuer")
                .json();
        assertThat(called)
                .as("the mis-issuance runbook waits through await-issuer")
                .hasSize(1);
        assertThat(admin.get("/engine-rest/process-instance/"
                                + called.get(0).path("id").asText() + "/activity-instances")
                        .json()
                        .toString())
                .contains("waitForIssuer");

        pebbleDoor().accept(); // the CA answers again

        JsonNode resolved = Await.until(Duration.ofSeconds(60), () -> {
            JsonNode current = admin.get("/api/incidents/" + outage).json();
            return "resolved".equals(current.path("state").asText()) ? current : null;
        });
        assertThat(resolved.toString()).contains("issuer-recovered", "runbooks-resumed");

        for (var site : endpoints.entrySet()) {
            String incident = expiryIncidents.get(new ArrayList<>(endpoints.values()).indexOf(site.getValue()));
            Await.until(Duration.ofSeconds(90), () -> {
                JsonNode current = admin.get("/api/incidents/" + incident).json();
                return "resolved".equals(current.path("state").asText()) ? current : null;
            });
            assertThat(timelineTypes(incident))
                    .contains("waiting-on-ca-outage", "runbooks-resumed", "certificate-issued", "deployment-verified");
            String expected = admin.get("/api/inventory/endpoints/" + site.getValue())
                    .json()
                    .path("expectedSha256")
                    .asText();
            assertThat(expected).matches("[0-9a-f]{64}").isNotEqualTo(expiring.sha256());
            assertThat(TlsPeek.awaitLeaf("127.0.0.1", nginx.port(site.getKey()), expected, Duration.ofSeconds(5))
                            .leafSha256())
                    .as("nginx presents the certificate pebble issued after the outage")
                    .isEqualTo(expected);
        }
        misIssuanceResumed(misIncident, drift);
    }

    /** The mis-issuance runbook resumed too: it reissued through pebble, deployed and verified live. */
    private void misIssuanceResumed(String incident, String endpoint) throws Exception {
        Await.until(Duration.ofSeconds(90), () -> {
            JsonNode current = admin.get("/api/incidents/" + incident).json();
            return "resolved".equals(current.path("state").asText()) ? current : null;
        });
        assertThat(timelineTypes(incident))
                .contains("waiting-on-ca-outage", "runbooks-resumed", "certificate-issued", "deployment-verified");
        String expected = admin.get("/api/inventory/endpoints/" + endpoint)
                .json()
                .path("expectedSha256")
                .asText();
        assertThat(TlsPeek.awaitLeaf("127.0.0.1", nginx.port("drift"), expected, Duration.ofSeconds(5))
                        .leafSha256())
                .isEqualTo(expected)
                .isNotEqualTo(expiring.sha256());
    }

    private List<String> timelineTypes(String incident) {
        List<String> types = new ArrayList<>();
        admin.get("/api/incidents/" + incident)
                .json()
                .path("timeline")
                .forEach(e -> types.add(e.path("type").asText()));
        return types;
    }

    private List<JsonNode> entries(String incident, String type) {
        List<JsonNode> found = new ArrayList<>();
        admin.get("/api/incidents/" + incident).json().path("timeline").forEach(e -> {
            if (type.equals(e.path("type").asText())) {
                found.add(e);
            }
        });
        return found;
    }

    private JsonNode entry(String incident, String type) {
        List<JsonNode> found = entries(incident, type);
        return found.isEmpty() ? null : found.get(0);
    }
}
