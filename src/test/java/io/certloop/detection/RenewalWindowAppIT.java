package io.certloop.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.certloop.CertLoopApplication;
import io.certloop.support.ApiClient;
import io.certloop.support.Await;
import io.certloop.support.NginxServer;
import io.certloop.support.PebbleServer;
import io.certloop.support.PostgresTestDatabase;
import io.certloop.support.RenewalInfoDirectory;
import io.certloop.support.TestCertificates;
import io.certloop.support.TestEndpoints;
import io.certloop.support.TlsPeek;
import io.certloop.system.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * ACME Renewal Information end to end, on PostgreSQL: nginx serves a certificate CertLoop issued through pebble (real
 * ACME); pebble's directory is extended by {@link RenewalInfoDirectory} with the renewal information Debian's pebble
 * lacks. A window in the future changes nothing; the CA moving the window into the past (a mass revocation
 * announced) makes the detection loop open an expiry incident whose runbook reissues through ACME, deploys, reloads
 * nginx and verifies the new certificate live. A directory without renewalInfo is never asked for it.
 */
class RenewalWindowAppIT {

    @TempDir
    static Path dir;

    private static PebbleServer pebble;
    private static RenewalInfoDirectory ca;
    private static NginxServer nginx;
    private static ConfigurableApplicationContext app;
    private static ApiClient admin;
    private static Path certs;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(NginxServer.available(), "Debian nginx is required (bin/test installs it)");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/pebble")), "Debian pebble is required (bin/test installs it)");
        pebble = PebbleServer.startAlwaysValid();
        ca = RenewalInfoDirectory.startBefore(pebble, dir);
        Path pebbleRoot = Files.writeString(dir.resolve("pebble-root.pem"), pebble.issuingRootPem());

        certs = Files.createDirectories(dir.resolve("certs"));
        TestCertificates.Issued first = TestCertificates.leaf("localhost")
                .sans("localhost")
                .signedBy(TestCertificates.rootCa("Before ACME").selfSigned());
        first.writeFullchainPem(certs.resolve("fullchain.pem"));
        first.writeKeyPem(certs.resolve("key.pem"));
        nginx = NginxServer.builder(dir.resolve("nginx"))
                .site("web", certs.resolve("fullchain.pem"), certs.resolve("key.pem"))
                .start();

        int port = PebbleServer.freePort();
        String password = "ari-" + System.nanoTime();
        app = new SpringApplicationBuilder(CertLoopApplication.class)
                .run(
                        "--spring.profiles.active=postgres",
                        "--spring.datasource.url=" + PostgresTestDatabase.another(),
                        "--spring.datasource.username=" + PostgresTestDatabase.USER,
                        "--spring.datasource.password=" + PostgresTestDatabase.PASSWORD,
                        "--server.port=" + port,
                        "--certloop.data-dir=" + dir.resolve("data"),
                        "--certloop.admin.password=" + password,
                        "--certloop.deployment.allowed-directories=" + certs,
                        "--certloop.deployment.reload-actions.test-nginx=" + nginx.reloadCommand(),
                        "--certloop.probe.allowlist=127.0.0.0/8",
                        "--certloop.probe.trust.extra-roots=" + pebbleRoot,
                        // the test runs the cycles itself
                        "--certloop.probe.detection.enabled=false",
                        "--certloop.issuance.profiles.standard.allowed-domains=localhost",
                        "--certloop.issuance.acme.directory-url=" + ca.directoryUrl(),
                        "--certloop.issuance.acme.trusted-ca-file=" + ca.trustFile(),
                        "--certloop.issuance.acme.poll-interval=200ms",
                        // the directory answers Retry-After: 1 (s); the test wants the next cycle to ask again
                        "--certloop.issuance.acme.renewal-info.min-interval=0s",
                        "--certloop.remediation.verify-within=PT5S");
        admin = ApiClient.as(port, "admin", password);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (nginx != null) {
            nginx.close();
        }
        if (ca != null) {
            ca.close();
        }
        if (pebble != null) {
            pebble.close();
        }
    }

    @Test
    void aWindowMovedIntoThePastReplacesTheCertificateLiveAndAFutureOneDoesNothing() throws Exception {
        String name = "ari-web";
        Map<String, Object> endpoint = TestEndpoints.loopback(
                name, nginx.port("web"), certs.resolve("fullchain.pem"), certs.resolve("key.pem"), "test-nginx");
        endpoint.put("replacementPath", "acme");
        ApiClient.Response created = admin.post("/api/inventory/endpoints", endpoint);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        ApiClient.Response replaced = admin.post("/api/inventory/endpoints/" + name + "/replace", Map.of());
        assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
        assertThat(replaced.json().path("succeeded").asBoolean())
                .as(replaced.body())
                .isTrue();
        X509Certificate issued = liveLeafFromDeployedFiles();
        String issuedSha = replaced.json().path("issued").path("sha256").asText();
        assertThat(TestCertificates.sha256(issued)).isEqualTo(issuedSha);
        DetectionLoop detection = app.getBean(DetectionLoop.class);

        // the CA's window is two months away: asked, stored, shown; nothing opens
        detection.runOnce();
        assertThat(ca.renewalInfoRequests()).containsExactly(RenewalInfoDirectory.uniqueId(issued));
        JsonNode window = admin.get("/api/inventory/endpoints/" + name + "/renewal-window")
                .json();
        assertThat(Instant.parse(window.path("start").asText()))
                .isAfter(Instant.now().plus(Duration.ofDays(59)));
        assertThat(Instant.parse(window.path("renewAt").asText()))
                .isBetween(
                        Instant.parse(window.path("start").asText()),
                        Instant.parse(window.path("end").asText()));
        assertThat(admin.get("/api/incidents?endpoint=" + name).json()).isEmpty();
        assertThat(openFindings(name)).doesNotContain("RENEWAL_SUGGESTED");

        // the CA announces a mass revocation: the window of this certificate moves into the past
        Instant now = Instant.now();
        ca.window(
                issued,
                new RenewalInfoDirectory.Window(
                        now.minus(Duration.ofDays(2)),
                        now.minus(Duration.ofHours(1)),
                        "https://ca.example.test/incidents/mass-revocation",
                        Duration.ofSeconds(1)));
        Thread.sleep(1100); // the last answer's Retry-After
        detection.runOnce();
        assertThat(ca.renewalInfoRequests()).hasSize(2);

        JsonNode incident = Await.until(Duration.ofSeconds(90), () -> {
            JsonNode list = admin.get("/api/incidents?endpoint=" + name).json();
            if (list.isEmpty()) {
                return null;
            }
            JsonNode current = admin.get(
                            "/api/incidents/" + list.get(0).path("id").asText())
                    .json();
            return "resolved".equals(current.path("state").asText()) ? current : null;
        });
        assertThat(incident.path("category").asText()).isEqualTo("expiry");
        assertThat(incident.path("subcategory").asText()).isEqualTo("expiring");
        assertThat(incident.toString())
                .contains("RENEWAL_SUGGESTED", "mass-revocation", "windowEnd", "overdue")
                .contains("certificate-issued", "certificate-deployed", "deployment-verified");

        String expected = admin.get("/api/inventory/endpoints/" + name)
                .json()
                .path("expectedSha256")
                .asText();
        assertThat(expected).matches("[0-9a-f]{64}").isNotEqualTo(issuedSha);
        assertThat(TlsPeek.awaitLeaf("127.0.0.1", nginx.port("web"), expected, Duration.ofSeconds(5))
                        .leafSha256())
                .as("nginx presents the replacement to the test's own TLS client")
                .isEqualTo(expected);
        X509Certificate replacement = liveLeafFromDeployedFiles();
        assertThat(TestCertificates.sha256(replacement)).isEqualTo(expected);

        // the replacement's own window is months away: the finding clears, nothing new opens
        detection.runOnce();
        assertThat(ca.renewalInfoRequests()).last().isEqualTo(RenewalInfoDirectory.uniqueId(replacement));
        assertThat(openFindings(name)).doesNotContain("RENEWAL_SUGGESTED");
        assertThat(admin.get("/api/incidents?endpoint=" + name).json()).hasSize(1);

        // a CA whose directory names no renewalInfo is not asked for it
        ca.offer(false);
        Thread.sleep(1100);
        int asked = ca.renewalInfoRequests().size();
        detection.runOnce();
        detection.runOnce();
        assertThat(ca.renewalInfoRequests()).hasSize(asked);
        assertThat(admin.get("/api/inventory/endpoints/" + name + "/renewal-window")
                        .status())
                .isEqualTo(404);
    }

    private static List<String> openFindings(String name) {
        JsonNode latest = admin.get("/api/inventory/endpoints/" + name + "/probes?limit=1")
                .json()
                .get(0);
        List<String> codes = new java.util.ArrayList<>();
        latest.path("findingCodes").forEach(code -> codes.add(code.asText()));
        return codes;
    }

    private static X509Certificate liveLeafFromDeployedFiles() throws Exception {
        return Pem.parseCertificates(Files.readString(certs.resolve("fullchain.pem")))
                .get(0);
    }
}
