package io.certloop.runbook;

import io.certloop.CertLoopApplication;
import io.certloop.support.AlertmanagerWebhook;
import io.certloop.support.ApiClient;
import io.certloop.support.NginxServer;
import io.certloop.support.TestCertificates;
import io.certloop.support.TestEndpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Alert-to-verified time of the automated expiry path against a real nginx: for each of N
 * incidents, from the Alertmanager webhook call to the incident being resolved by a passing live
 * probe. Prints median, p95 and mean. Run with {@code bench/incident [N]}.
 *
 * <p>{@code bench/incident N burst}: one Alertmanager notification with N alerts, one per listener of
 * the same nginx (one reload action); prints how many incidents were verified, how many ended with a
 * person (escalation), the wall time from the notification to the last verification, and how many
 * times nginx was reloaded.
 */
public final class IncidentBench {

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        boolean burst = args.length > 1 && "burst".equals(args[1]);
        Path dir = Files.createTempDirectory("certloop-incident-bench");
        TestCertificates.Issued root =
                TestCertificates.rootCa("Bench Legacy Root").selfSigned();
        NginxServer.Builder builder = NginxServer.builder(dir.resolve("nginx"));
        for (int i = 0; i < n; i++) {
            Path site = Files.createDirectories(dir.resolve("site-" + i));
            TestCertificates.Issued leaf = TestCertificates.leaf("localhost")
                    .sans("localhost")
                    .expiringIn(Duration.ofDays(1))
                    .signedBy(root);
            leaf.writeFullchainPem(site.resolve("fullchain.pem"));
            leaf.writeKeyPem(site.resolve("key.pem"));
            builder.site("s" + i, site.resolve("fullchain.pem"), site.resolve("key.pem"));
        }
        try (NginxServer nginx = builder.start();
                ConfigurableApplicationContext app = new SpringApplicationBuilder(CertLoopApplication.class)
                        .run(
                                "--server.port=0",
                                "--certloop.data-dir=" + dir.resolve("data"),
                                "--certloop.deployment.allowed-directories=" + dir,
                                "--certloop.admin.password=bench",
                                "--certloop.demo.enabled=false",
                                "--certloop.probe.detection.enabled=false",
                                "--certloop.probe.allowlist=127.0.0.0/8",
                                "--certloop.deployment.reload-actions.bench-nginx=" + nginx.reloadCommand(),
                                "--logging.level.root=WARN")) {
            int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
            ApiClient api = ApiClient.as(port, "admin", "bench");
            for (int i = 0; i < n; i++) {
                Map<String, Object> endpoint = TestEndpoints.loopback(
                        "bench-" + i,
                        nginx.port("s" + i),
                        dir.resolve("site-" + i + "/fullchain.pem"),
                        dir.resolve("site-" + i + "/key.pem"),
                        "bench-nginx");
                ApiClient.Response created = api.post("/api/inventory/endpoints", endpoint);
                if (created.status() != 201) {
                    throw new IllegalStateException(created.toString());
                }
            }
            if (burst) {
                burst(api, n, nginx); // then close nginx and the server below, not System.exit here
            } else {
                sequential(api, n);
            }
        }
        System.exit(0);
    }

    private static void sequential(ApiClient api, int n) throws InterruptedException {
        // one warm-up incident (JIT, connection pools), not measured
        measure(api, "bench-0");
        List<Long> millis = new ArrayList<>();
        for (int i = 1; i < n; i++) {
            millis.add(measure(api, "bench-" + i));
        }
        millis.sort(Long::compare);
        long median = millis.get(millis.size() / 2);
        long p95 = millis.get((int) Math.ceil(millis.size() * 0.95) - 1);
        double mean = millis.stream().mapToLong(Long::longValue).average().orElse(0);
        System.out.printf(
                "incidents: %d (after 1 warm-up), alert-to-verified median %d ms, p95 %d ms, mean %.0f ms, max %d ms%n",
                millis.size(), median, p95, mean, millis.get(millis.size() - 1));
    }

    private static void burst(ApiClient api, int n, NginxServer nginx) throws InterruptedException {
        String[] alerts = new String[n];
        for (int i = 0; i < n; i++) {
            alerts[i] = AlertmanagerWebhook.alert(
                    "firing",
                    "SSLCertExpiringSoon",
                    "127.0.0.1:" + nginx.port("s" + i),
                    "fp-bench-" + i,
                    Map.of("certloop_endpoint", "bench-" + i));
        }
        int sighupsBefore = sighups(nginx);
        long start = System.nanoTime();
        ApiClient.Response accepted =
                api.post("/api/alerts/alertmanager", "application/json", AlertmanagerWebhook.payload("firing", alerts));
        if (accepted.status() != 202) {
            throw new IllegalStateException(accepted.toString());
        }
        List<String> open = new ArrayList<>();
        accepted.json().path("incidents").forEach(id -> open.add(id.asText()));
        String ids = String.join(",", open);
        long lastVerified = start;
        int verified = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (!open.isEmpty() && System.nanoTime() < deadline) {
            for (var it = open.iterator(); it.hasNext(); ) {
                if ("resolved"
                        .equals(api.get("/api/incidents/" + it.next())
                                .json()
                                .path("state")
                                .asText())) {
                    it.remove();
                    verified++;
                    lastVerified = System.nanoTime();
                }
            }
            int escalated = api.get("/engine-rest/task/count?taskDefinitionKey=escalateFailedReplacement"
                            + "&processInstanceBusinessKeyIn=" + ids)
                    .json()
                    .path("count")
                    .asInt();
            if (escalated + verified == n) {
                break;
            }
            Thread.sleep(100);
        }
        int escalated = api.get("/engine-rest/task/count?taskDefinitionKey=escalateFailedReplacement"
                        + "&processInstanceBusinessKeyIn=" + ids)
                .json()
                .path("count")
                .asInt();
        double seconds = (lastVerified - start) / 1e9;
        System.out.printf(
                "burst: %d alerts in one notification, %d incidents verified in %.1f s (%.1f per second),"
                        + " %d escalated to a person, nginx reloaded %d times%n",
                n, verified, seconds, verified / seconds, escalated, sighups(nginx) - sighupsBefore);
    }

    private static int sighups(NginxServer nginx) {
        return nginx.errorLogText().split("signal 1 \\(SIGHUP\\) received", -1).length - 1;
    }

    private static long measure(ApiClient api, String endpoint) throws InterruptedException {
        long start = System.nanoTime();
        ApiClient.Response accepted =
                api.post("/api/alerts/alertmanager", "application/json", AlertmanagerWebhook.firingFor(endpoint));
        if (accepted.status() != 202) {
            throw new IllegalStateException(accepted.toString());
        }
        String incident = accepted.json().path("incidents").get(0).asText();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if ("resolved"
                    .equals(api.get("/api/incidents/" + incident)
                            .json()
                            .path("state")
                            .asText())) {
                return Duration.ofNanos(System.nanoTime() - start).toMillis();
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("incident " + incident + " not verified within 60 s");
    }

    private IncidentBench() {}
}
