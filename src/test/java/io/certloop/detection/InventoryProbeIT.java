package io.certloop.detection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.certloop.probe.FindingCodes;
import io.certloop.support.ApiClient;
import io.certloop.support.PostgresIntegrationTest;
import io.certloop.support.TestCertificates;
import io.certloop.support.TestCertificates.Issued;
import io.certloop.support.TlsTestServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The whole server on PostgreSQL: probing inventory endpoints over HTTP, history, the detection loop and its metrics. */
class InventoryProbeIT extends PostgresIntegrationTest {

    private static final Issued ROOT =
            TestCertificates.rootCa("Inventory Probe Root").selfSigned();
    private static final Issued CA =
            TestCertificates.intermediate("Inventory Probe CA").signedBy(ROOT);

    @Autowired
    private DetectionLoop detection;

    private ApiClient operator;
    private ApiClient auditor;
    private TlsTestServer server;

    @BeforeEach
    void users() {
        admin.ensureUser("pia", "pia-pw", "operators");
        admin.ensureUser("abe", "abe-pw", "auditors");
        operator = ApiClient.as(port, "pia", "pia-pw");
        auditor = ApiClient.as(port, "abe", "abe-pw");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static Map<String, Object> endpoint(String name, String host, int port, String expectedSha256) {
        Map<String, Object> request = new HashMap<>();
        request.put("name", name);
        request.put("host", host);
        request.put("port", port);
        request.put("sni", "svc.test");
        request.put("expectedNames", List.of("svc.test"));
        request.put("tier", 1);
        request.put("environment", "production");
        request.put("replacementPath", "internal-ca");
        request.put("profile", "standard");
        if (expectedSha256 != null) {
            request.put("expectedSha256", expectedSha256);
        }
        return request;
    }

    private long create(Map<String, Object> endpoint) {
        ApiClient.Response created = operator.post("/api/inventory/endpoints", endpoint);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().path("id").asLong();
    }

    @Test
    void anInventoryEndpointIsProbedWithItsExpectationsAndTheResultIsKept() {
        Issued deployed = TestCertificates.leaf("svc.test")
                .expiringIn(Duration.ofDays(60))
                .signedBy(CA);
        Issued renewed = TestCertificates.leaf("svc.test").signedBy(CA);
        server = TlsTestServer.start(deployed);
        long id = create(endpoint("probe-it-renewed", "127.0.0.1", server.port(), renewed.sha256()));

        ApiClient.Response probed = operator.post("/api/inventory/endpoints/" + id + "/probe", Map.of());

        assertThat(probed.status()).as(probed.body()).isEqualTo(200);
        JsonNode report = probed.json();
        assertThat(report.path("leaf").path("sha256").asText()).isEqualTo(deployed.sha256());
        assertThat(report.path("chain")).hasSize(2);
        assertThat(report.path("findings").findValuesAsText("code"))
                .containsExactly(FindingCodes.UNTRUSTED_ROOT, FindingCodes.FINGERPRINT_MISMATCH);

        JsonNode history =
                auditor.get("/api/inventory/endpoints/" + id + "/probes").json();
        assertThat(history).hasSize(1);
        assertThat(history.get(0).path("leafSha256").asText()).isEqualTo(deployed.sha256());
        assertThat(history.get(0).path("report").path("leaf").path("sha256").asText())
                .isEqualTo(deployed.sha256());
        assertThat(auditor.post("/api/inventory/endpoints/" + id + "/probe", Map.of())
                        .status())
                .isEqualTo(403);
    }

    @Test
    void theDetectionLoopProbesTheInventoryAndExposesMetrics() {
        Issued leaf =
                TestCertificates.leaf("svc.test").expiringIn(Duration.ofDays(3)).signedBy(CA);
        server = TlsTestServer.start(leaf);
        create(endpoint("probe-it-loop", "127.0.0.1", server.port(), leaf.sha256()));

        DetectionLoop.CycleResult cycle = detection.runOnce();

        assertThat(cycle.endpoints()).isPositive();
        assertThat(server.handshakes()).isGreaterThanOrEqualTo(1);
        String metrics = admin.get("/actuator/prometheus").body();
        assertThat(metrics)
                .contains(
                        "certloop_endpoint_certificate_not_after_timestamp_seconds{certloop_endpoint=\"probe-it-loop\"} "
                                + (double) leaf.certificate()
                                        .getNotAfter()
                                        .toInstant()
                                        .getEpochSecond());
        assertThat(metrics).contains("certloop_endpoint_probe_success{certloop_endpoint=\"probe-it-loop\"} 1.0");
        assertThat(metrics)
                .containsPattern(
                        "certloop_endpoint_last_probe_timestamp_seconds\\{certloop_endpoint=\"probe-it-loop\"} 1\\.[0-9]+E9");
        assertThat(metrics).containsPattern("certloop_findings_open\\{code=\"EXPIRING_SOON\"} [1-9]");
        assertThat(metrics)
                .containsPattern("certloop_probe_duration_seconds_bucket\\{outcome=\"reachable\",le=\"\\+Inf\"} [1-9]");
    }

    @Test
    void anInventoryEndpointAtTheMetadataAddressIsStillRefused() {
        long id = create(endpoint("probe-it-metadata", "169.254.169.254", 443, null));

        ApiClient.Response refused = operator.post("/api/inventory/endpoints/" + id + "/probe", Map.of());

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().path("reason").asText()).contains("metadata");
    }

    @Test
    void adHocProbesNeedAUserAndAnAllowedTarget() {
        assertThat(anonymous
                        .post("/api/probes", Map.of("host", "127.0.0.1", "port", 443))
                        .status())
                .isEqualTo(401);
        ApiClient.Response refused = auditor.post("/api/probes", Map.of("host", "192.0.2.10", "port", 443));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().path("reason").asText()).contains("allowlist");
    }
}
