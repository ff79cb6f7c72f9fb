package io.certloop.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.certloop.support.ApiClient;
import io.certloop.support.Await;
import io.certloop.support.NginxServer;
import io.certloop.support.OpensslCa;
import io.certloop.support.PostgresIntegrationTest;
import io.certloop.support.TestEndpoints;
import io.certloop.support.TlsPeek;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An outside CA made with the {@code openssl} command line ({@link OpensslCa}: root and intermediate by
 * {@code openssl req}/{@code openssl ca}, the leaves by {@code openssl ca}, the revocation by {@code openssl ca -revoke
 * -crl_reason keyCompromise}, the CRL by {@code openssl ca -gencrl} served as DER, the OCSP answers by an
 * {@code openssl ocsp} responder process) whose CRL and OCSP responder, reached over HTTP on loopback (allowed by
 * {@code certloop.probe.allowlist}), say the certificate nginx presents is revoked. A second nginx site presents
 * another openssl-made certificate for the same key. Detection raises {@code REVOKED}, the revocation runbook records
 * both answers, maps both endpoints (same certificate, same key, from their latest probes), an incident commander
 * approves the plan, its message goes to the owners and the partner contact through the outbox, and nginx presents
 * new certificates from the internal CA on both sites, verified live.
 */
class RevocationPropagationEndToEndIT extends PostgresIntegrationTest {

    @TempDir
    Path partnerCaDir;

    private NginxServer nginx;
    private OpensslCa.Publication revocation;
    private Path certDir;
    private Path sameKeyDir;
    private OpensslCa.Leaf revoked;
    private OpensslCa.Leaf sameKey;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(NginxServer.available(), "Debian nginx is required (bin/test installs it)");
        certDir = Files.createDirectories(deployDir().resolve("revoked-" + System.nanoTime()));
        OpensslCa root = OpensslCa.root(partnerCaDir.resolve("root"), "Partner Root");
        OpensslCa intermediate = root.intermediate(partnerCaDir.resolve("issuing"), "Partner Issuing CA");
        revocation = intermediate.publication();
        revoked = intermediate.leaf(certDir, "localhost", 60, revocation.crlUrl(), revocation.ocspUrl(), null);
        sameKeyDir = Files.createDirectories(deployDir().resolve("same-key-" + System.nanoTime()));
        sameKey = intermediate.leaf(sameKeyDir, "localhost", 90, revocation.crlUrl(), null, revoked);
        intermediate.revoke(revoked, "keyCompromise");
        revocation.publish();
        nginx = NginxServer.builder(NGINX_PREFIX)
                .site("revoked", revoked.fullchain(), revoked.key())
                .site("same-key", sameKey.fullchain(), sameKey.key())
                .start();
        admin.ensureUser("olga", "olga-pw", "operators");
        admin.ensureUser("ingrid", "ingrid-pw", "incident-commanders");
    }

    @AfterEach
    void stop() {
        if (nginx != null) {
            nginx.close();
        }
        if (revocation != null) {
            revocation.close();
        }
    }

    @Test
    void aRevokedCertificateNginxPresentsIsReplacedFromTheInternalCaAfterTheCommanderApproves() throws Exception {
        String name = "revoked-" + System.nanoTime();
        String twin = "same-key-" + System.nanoTime();
        ApiClient operator = ApiClient.as(port, "olga", "olga-pw");
        ApiClient commander = ApiClient.as(port, "ingrid", "ingrid-pw");
        Map<String, Object> twinEndpoint = TestEndpoints.loopback(
                twin,
                nginx.port("same-key"),
                sameKeyDir.resolve("fullchain.pem"),
                sameKeyDir.resolve("key.pem"),
                "test-nginx");
        twinEndpoint.put("partnerContacts", List.of("twin-partner@example.test"));
        assertThat(operator.post("/api/inventory/endpoints", twinEndpoint).status())
                .isEqualTo(201);
        ApiClient.Response twinProbed = operator.post("/api/inventory/endpoints/" + twin + "/probe", Map.of());
        assertThat(twinProbed.status()).as(twinProbed.body()).isEqualTo(200);
        assertThat(twinProbed.body()).doesNotContain("REVOKED");
        Map<String, Object> revokedEndpoint = TestEndpoints.loopback(
                name,
                nginx.port("revoked"),
                certDir.resolve("fullchain.pem"),
                certDir.resolve("key.pem"),
                "test-nginx");
        revokedEndpoint.put("partnerContacts", List.of("Partner-Ops@Example.test"));
        ApiClient.Response created = operator.post("/api/inventory/endpoints", revokedEndpoint);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().path("partnerContacts").get(0).asText()).isEqualTo("partner-ops@example.test");

        ApiClient.Response probed = operator.post("/api/inventory/endpoints/" + name + "/probe", Map.of());
        assertThat(probed.status()).as(probed.body()).isEqualTo(200);
        assertThat(probed.body()).contains("REVOKED");
        assertThat(revocation.requests("/crl")).isPositive();

        JsonNode approval = Await.until(Duration.ofSeconds(60), () -> {
            JsonNode tasks = commander
                    .get("/engine-rest/task?taskDefinitionKey=approveReplacementPlan"
                            + "&processDefinitionKey=revocation-propagation")
                    .json();
            for (JsonNode task : tasks) {
                JsonNode endpoint = commander
                        .get("/engine-rest/task/" + task.path("id").asText() + "/variables/endpoint")
                        .json();
                if (name.equals(endpoint.path("value").asText())) {
                    return task;
                }
            }
            return null;
        });
        JsonNode variables = commander
                .get("/engine-rest/task/" + approval.path("id").asText() + "/variables")
                .json();
        assertThat(variables.path("revocationEvidence").path("value").asText())
                .contains(
                        "REVOKED from CRL",
                        "CRL: REVOKED at " + revocation.crlUrl(),
                        "OCSP: REVOKED at " + revocation.ocspUrl(),
                        "reason keyCompromise");
        assertThat(revocation.requests("/ocsp"))
                .as("the OCSP responder is asked although the CRL already said revoked")
                .isPositive();
        assertThat(variables.path("evidencePointsTo").path("value").asText()).isEqualTo("uncoordinated-replacement");
        assertThat(variables.path("replacementOrder").path("value").asText()).isEqualTo(name + "," + twin);
        assertThat(variables.path("verifierPopulation").path("value").asText())
                .contains(name + ": same-certificate", twin + ": same-key");
        assertThat(variables.path("planRecipients").path("value").asText())
                .contains("partner-ops@example.test", "twin-partner@example.test");

        ApiClient.Response approved = commander.post(
                "/engine-rest/task/" + approval.path("id").asText() + "/complete",
                Map.of(
                        "variables",
                        Map.of(
                                "planApproved",
                                Map.of("value", "yes"),
                                "replacementOrder",
                                Map.of("value", twin + "," + name),
                                "ownerMessage",
                                Map.of("value", "The partner CA revoked the certificate; a new one is live now."))));
        assertThat(approved.status()).as(approved.body()).isEqualTo(204);

        String incidentId = approval.path("processInstanceId").isMissingNode()
                ? null
                : admin.get("/engine-rest/process-instance/"
                                + approval.path("processInstanceId").asText())
                        .json()
                        .path("businessKey")
                        .asText();
        JsonNode incident = Await.until(Duration.ofSeconds(60), () -> {
            JsonNode current = admin.get("/api/incidents/" + incidentId).json();
            return "resolved".equals(current.path("state").asText()) ? current : null;
        });
        assertThat(incident.path("category").asText()).isEqualTo("revocation-propagation");
        assertThat(incident.path("timeline").findValuesAsText("type"))
                .contains(
                        "revocation-confirmed",
                        "verifier-population-mapped",
                        "task-completed",
                        "replacement-plan-sent",
                        "endpoint-replaced");
        JsonNode confirmed = entry(incident, "revocation-confirmed").path("detail");
        assertThat(confirmed.path("crl").path("status").asText()).isEqualTo("REVOKED");
        assertThat(confirmed.path("crl").path("url").asText()).isEqualTo(revocation.crlUrl());
        assertThat(confirmed.path("crl").path("nextUpdate").asText()).isNotBlank();
        assertThat(confirmed.path("crl").path("revocationReason").asText()).isEqualTo("keyCompromise");
        assertThat(confirmed.path("ocsp").path("status").asText()).isEqualTo("REVOKED");
        assertThat(confirmed.path("ocsp").path("url").asText()).isEqualTo(revocation.ocspUrl());
        assertThat(confirmed.path("ocsp").path("thisUpdate").asText()).isNotBlank();
        assertThat(confirmed.path("ocsp").path("revokedAt").asText()).isNotBlank();
        JsonNode mapped = entry(incident, "verifier-population-mapped").path("detail");
        assertThat(mapped.path("endpoints").findValuesAsText("why")).containsExactly("same-certificate", "same-key");
        assertThat(mapped.path("spkiSha256").asText())
                .isEqualTo(io.certloop.system.Fingerprints.spkiSha256Hex(revoked.certificate()));
        JsonNode plan = null;
        for (JsonNode sent :
                admin.get("/api/notifications?incidentId=" + incidentId).json()) {
            if ("replacement-plan".equals(sent.path("kind").asText())) {
                plan = sent;
            }
        }
        assertThat(plan).as("the approved plan is in the outbox").isNotNull();
        assertThat(plan.path("recipients").toString())
                .contains(
                        "web@example.test",
                        "pki@example.test",
                        "partner-ops@example.test",
                        "twin-partner@example.test");
        assertThat(plan.path("body").asText()).contains("1. " + twin, "2. " + name, "a new one is live now");

        String expected = admin.get("/api/inventory/endpoints/" + name)
                .json()
                .path("expectedSha256")
                .asText();
        assertThat(expected).matches("[0-9a-f]{64}").isNotEqualTo(revoked.sha256());
        assertThat(TlsPeek.awaitLeaf("127.0.0.1", nginx.port("revoked"), expected, Duration.ofSeconds(5))
                        .leafSha256())
                .as("nginx presents the new certificate to the test's own TLS client")
                .isEqualTo(expected);
        String twinExpected = admin.get("/api/inventory/endpoints/" + twin)
                .json()
                .path("expectedSha256")
                .asText();
        assertThat(twinExpected).matches("[0-9a-f]{64}").isNotEqualTo(sameKey.sha256());
        assertThat(TlsPeek.awaitLeaf("127.0.0.1", nginx.port("same-key"), twinExpected, Duration.ofSeconds(5))
                        .leafSha256())
                .as("the site that presented the same key presents a new certificate too")
                .isEqualTo(twinExpected);
    }

    private static JsonNode entry(JsonNode incident, String type) {
        for (JsonNode entry : incident.path("timeline")) {
            if (type.equals(entry.path("type").asText())) {
                return entry;
            }
        }
        throw new AssertionError("no " + type + " on the timeline: " + incident.path("timeline"));
    }
}
