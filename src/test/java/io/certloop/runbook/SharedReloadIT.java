package io.certloop.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.certloop.support.AlertmanagerWebhook;
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
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Many names on one web server, alerted at once: one Alertmanager notification with an expiry alert for
 * each of {@value #LISTENERS} listeners of one Debian nginx, each with its own certificate and key files,
 * all reloaded by the same action. Every incident must end verified by its own fresh probe, with no
 * rollback and no escalation to a person, while nginx is reloaded fewer times than there are incidents.
 */
class SharedReloadIT extends PostgresIntegrationTest {

    private static final int LISTENERS = 100;
    private static final Pattern SIGHUP = Pattern.compile("signal 1 \\(SIGHUP\\) received");

    private NginxServer nginx;

    @AfterEach
    void stopNginx() {
        if (nginx != null) {
            nginx.close();
        }
    }

    @Test
    void everyListenerOfOneNginxAlertedAtOnceIsVerifiedWithNoPersonInvolved() throws Exception {
        assumeTrue(NginxServer.available(), "Debian nginx is required (bin/test installs it)");
        String run = Long.toString(System.nanoTime(), 36);
        Path certs = Files.createDirectories(deployDir().resolve("shared-" + run));
        TestCertificates.Issued ca =
                TestCertificates.rootCa("Shared Reload Legacy Root").selfSigned();
        NginxServer.Builder builder = NginxServer.builder(NGINX_PREFIX);
        List<String> oldFingerprints = new ArrayList<>();
        for (int i = 0; i < LISTENERS; i++) {
            Path site = Files.createDirectories(certs.resolve("site-" + i));
            TestCertificates.Issued leaf = TestCertificates.leaf("localhost")
                    .sans("localhost")
                    .expiringIn(Duration.ofDays(1))
                    .signedBy(ca);
            leaf.writeFullchainPem(site.resolve("fullchain.pem"));
            leaf.writeKeyPem(site.resolve("key.pem"));
            builder.site("s" + i, site.resolve("fullchain.pem"), site.resolve("key.pem"));
            oldFingerprints.add(leaf.sha256());
        }
        nginx = builder.start();
        String reloadsBefore = nginx.errorLogText();

        List<String> names = new ArrayList<>();
        List<String> alerts = new ArrayList<>();
        for (int i = 0; i < LISTENERS; i++) {
            String name = "shared-" + run + "-" + i;
            names.add(name);
            Path site = certs.resolve("site-" + i);
            ApiClient.Response created = admin.post(
                    "/api/inventory/endpoints",
                    TestEndpoints.loopback(
                            name,
                            nginx.port("s" + i),
                            site.resolve("fullchain.pem"),
                            site.resolve("key.pem"),
                            "test-nginx"));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            alerts.add(AlertmanagerWebhook.alert(
                    "firing",
                    "SSLCertExpiringSoon",
                    "127.0.0.1:" + nginx.port("s" + i),
                    "fp-" + name,
                    Map.of("certloop_endpoint", name)));
        }

        long start = System.nanoTime();
        ApiClient.Response accepted = admin.post(
                "/api/alerts/alertmanager",
                "application/json",
                AlertmanagerWebhook.payload("firing", alerts.toArray(String[]::new)));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        List<String> incidents = new ArrayList<>();
        accepted.json().path("incidents").forEach(id -> incidents.add(id.asText()));
        assertThat(incidents).hasSize(LISTENERS).doesNotHaveDuplicates();

        List<String> unresolved = new ArrayList<>(incidents);
        String escalated = "/engine-rest/task/count?taskDefinitionKey=escalateFailedReplacement"
                + "&processInstanceBusinessKeyIn=" + String.join(",", incidents);
        Await.until(Duration.ofSeconds(240), () -> {
            unresolved.removeIf(id -> !"open"
                    .equals(admin.get("/api/incidents/" + id)
                            .json()
                            .path("state")
                            .asText()));
            // a failed replacement ends at a person's task: fail at once rather than wait for the others
            assertThat(admin.get(escalated).json().path("count").asInt())
                    .as("incidents escalated to a person")
                    .isZero();
            return unresolved.isEmpty() ? Boolean.TRUE : null;
        });
        double seconds = (System.nanoTime() - start) / 1e9;

        int redeployed = 0;
        for (String id : incidents) {
            JsonNode incident = admin.get("/api/incidents/" + id).json();
            assertThat(incident.path("state").asText()).as(id).isEqualTo("resolved");
            List<String> types = new ArrayList<>();
            incident.path("timeline")
                    .forEach(entry -> types.add(entry.path("type").asText()));
            assertThat(types)
                    .as("%s: verified without rollback", id)
                    .contains("deployment-verified", "deployment-released")
                    .doesNotContain("deployment-rolled-back");
            if (types.stream().filter("certificate-deployed"::equals).count() > 1) {
                redeployed++;
            }
        }
        for (int i = 0; i < LISTENERS; i++) {
            String expected = admin.get("/api/inventory/endpoints/" + names.get(i))
                    .json()
                    .path("expectedSha256")
                    .asText();
            assertThat(expected).isNotEqualTo(oldFingerprints.get(i));
            assertThat(TlsPeek.awaitLeaf("127.0.0.1", nginx.port("s" + i), expected, Duration.ofSeconds(5))
                            .leafSha256())
                    .as("listener %d presents its own new certificate", i)
                    .isEqualTo(expected);
        }
        int reloads = count(SIGHUP, nginx.errorLogText().substring(reloadsBefore.length()));
        System.out.printf(
                "shared reload: %d incidents verified in %.1f s (%.1f per second), nginx reloaded %d times,"
                        + " %d incidents redeployed once%n",
                LISTENERS, seconds, LISTENERS / seconds, reloads, redeployed);
        assertThat(reloads)
                .as("one reload serves many deployments")
                .isPositive()
                .isLessThan(LISTENERS);
    }

    private static int count(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        int n = 0;
        while (matcher.find()) {
            n++;
        }
        return n;
    }
}
