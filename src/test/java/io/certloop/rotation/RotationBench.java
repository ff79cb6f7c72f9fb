package io.certloop.rotation;

import com.fasterxml.jackson.databind.JsonNode;
import io.certloop.CertLoopApplication;
import io.certloop.support.ApiClient;
import io.certloop.support.NginxServer;
import io.certloop.support.PostgresTestDatabase;
import io.certloop.support.TestCertificates;
import io.certloop.support.TestEndpoints;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One mass rotation over N listeners of one Debian nginx (each with its own certificate and key files, one reload
 * action), all in the inventory on the internal CA, on a fresh PostgreSQL database. An approver other than the
 * requester approves it (N is over the approval threshold); then it runs: a canary of 2, waves of WAVE_SIZE in
 * parallel, every endpoint verified by a fresh probe. Prints endpoints verified per second (from the approval to the
 * last verification), wall time, the slowest endpoint, nginx reloads and the peak heap of the JVM (server and this
 * small client share it). Run with {@code bench/rotation [N] [WAVE_SIZE]}.
 */
public final class RotationBench {

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int waveSize = args.length > 1 ? Integer.parseInt(args[1]) : 250;
        Path dir = Files.createTempDirectory("certloop-rotation-bench");
        TestCertificates.Issued root =
                TestCertificates.rootCa("Bench Distrusted Root").selfSigned();
        NginxServer.Builder builder = NginxServer.builder(dir.resolve("nginx"));
        for (int i = 0; i < n; i++) {
            Path site = Files.createDirectories(dir.resolve("sites/site-" + i));
            TestCertificates.Issued leaf = TestCertificates.leaf("localhost")
                    .sans("localhost")
                    .expiringIn(Duration.ofDays(200))
                    .signedBy(root);
            leaf.writeFullchainPem(site.resolve("fullchain.pem"));
            leaf.writeKeyPem(site.resolve("key.pem"));
            builder.site("s" + i, site.resolve("fullchain.pem"), site.resolve("key.pem"));
        }
        int serverPort = io.certloop.support.PebbleServer.freePort();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        AtomicLong peakHeap = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        List<String> extra = new ArrayList<>(List.of(
                "--spring.profiles.active=postgres",
                "--spring.datasource.url=" + benchDatabase(),
                "--spring.datasource.username=" + PostgresTestDatabase.USER,
                "--spring.datasource.password=" + PostgresTestDatabase.PASSWORD,
                // a port known before the start: the certificates of the internal CA name its OCSP responder and CRL
                // there (certloop.pki.base-url), so each verifying probe checks revocation as in production
                "--server.port=" + serverPort,
                "--certloop.pki.base-url=http://localhost:" + serverPort,
                "--certloop.data-dir=" + dir.resolve("data"),
                "--certloop.deployment.allowed-directories=" + dir.resolve("sites"),
                "--certloop.admin.password=bench",
                "--certloop.probe.detection.enabled=false",
                "--certloop.probe.allowlist=127.0.0.0/8",
                "--logging.level.root=WARN"));
        // the reload action signals nginx's master (NginxServer#hangUpCommand), as nginx.org's systemd unit reloads;
        // --bench.reload=nginx-s for `nginx -s reload`, which loads every certificate and key once more first
        boolean hangUp = true;
        for (String arg : args) {
            if (arg.startsWith("--bench.reload=")) {
                hangUp = !arg.equals("--bench.reload=nginx-s");
            } else if (arg.startsWith("--")) {
                extra.add(arg); // e.g. --camunda.bpm.job-execution.max-pool-size=16
            }
        }
        try (NginxServer nginx = builder.start()) {
            extra.add("--certloop.deployment.reload-actions.bench-nginx="
                    + (hangUp ? nginx.hangUpCommand() : nginx.reloadCommand()));
            try (ConfigurableApplicationContext app =
                    new SpringApplicationBuilder(CertLoopApplication.class).run(extra.toArray(String[]::new))) {
                int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
                ApiClient api = ApiClient.as(port, "admin", "bench");
                api.ensureUser("bench-operator", "bench-operator-pw", "operators");
                api.ensureUser("bench-approver", "bench-approver-pw", "approvers");
                ApiClient operator = ApiClient.as(port, "bench-operator", "bench-operator-pw");
                ApiClient approver = ApiClient.as(port, "bench-approver", "bench-approver-pw");
                List<String> names = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    names.add("bench-" + i);
                    ApiClient.Response created = api.post(
                            "/api/inventory/endpoints",
                            TestEndpoints.loopback(
                                    names.get(i),
                                    nginx.port("s" + i),
                                    dir.resolve("sites/site-" + i + "/fullchain.pem"),
                                    dir.resolve("sites/site-" + i + "/key.pem"),
                                    "bench-nginx"));
                    if (created.status() != 201) {
                        throw new IllegalStateException(created.toString());
                    }
                }
                sampler.start();
                int sighupsBefore = sighups(nginx);
                ApiClient.Response accepted = operator.post(
                        "/api/rotations",
                        Map.of(
                                "selector",
                                Map.of("endpoints", names),
                                "reason",
                                "bench: the legacy root is distrusted",
                                "waveSize",
                                waveSize));
                if (accepted.status() != 202) {
                    throw new IllegalStateException(accepted.toString());
                }
                String id = accepted.json().path("id").asText();
                long start = System.nanoTime();
                if ("awaiting-approval".equals(accepted.json().path("state").asText())) {
                    String task = awaitTask(api, id);
                    ApiClient.Response approved = approver.post(
                            "/engine-rest/task/" + task + "/complete",
                            Map.of(
                                    "variables",
                                    Map.of(
                                            "rotationDecision", Map.of("value", "approve"),
                                            "decisionComment", Map.of("value", "bench"))));
                    if (approved.status() != 204) {
                        throw new IllegalStateException("approval: " + approved);
                    }
                    start = System.nanoTime();
                }
                JsonNode progress;
                long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
                while (true) {
                    Thread.sleep(1000);
                    progress = api.get("/api/rotations/" + id).json();
                    String state = progress.path("state").asText();
                    if (!state.equals("running") || System.nanoTime() > deadline) {
                        break;
                    }
                }
                double wall = (System.nanoTime() - start) / 1e9;
                Instant lastVerified = Instant.EPOCH;
                Instant firstStarted = null;
                String slowest = null;
                Duration slowestTook = Duration.ZERO;
                int verified = 0;
                for (JsonNode endpoint : progress.path("endpoints")) {
                    if (!endpoint.path("state").asText().equals("verified")) {
                        continue;
                    }
                    verified++;
                    Instant started = Instant.parse(endpoint.path("startedAt").asText());
                    Instant finished = Instant.parse(endpoint.path("finishedAt").asText());
                    if (finished.isAfter(lastVerified)) {
                        lastVerified = finished;
                    }
                    if (firstStarted == null || started.isBefore(firstStarted)) {
                        firstStarted = started;
                    }
                    Duration took = Duration.between(started, finished);
                    if (took.compareTo(slowestTook) > 0) {
                        slowestTook = took;
                        slowest = endpoint.path("endpoint").asText();
                    }
                }
                double rotating = firstStarted == null
                        ? 0
                        : Duration.between(firstStarted, lastVerified).toMillis() / 1000.0;
                System.out.printf(
                        "rotation %s: state %s, %d of %d endpoints verified, %d failed; wall %.1f s from approval,"
                                + " %.1f s from the first endpoint started to the last verified: %.1f endpoints"
                                + " verified per second; slowest endpoint %s (%d ms); nginx reloaded %d times;"
                                + " peak heap used %d MiB (max %d MiB)%n",
                        id,
                        progress.path("state").asText(),
                        verified,
                        n,
                        progress.path("counts").path("failed").asInt(),
                        wall,
                        rotating,
                        verified / Math.max(rotating, 0.001),
                        slowest,
                        slowestTook.toMillis(),
                        sighups(nginx) - sighupsBefore,
                        peakHeap.get() / (1024 * 1024),
                        memory.getHeapMemoryUsage().getMax() / (1024 * 1024));
            }
        }
        System.exit(0);
    }

    /**
     * A fresh database of its own, named so that test JVMs (which drop leftover {@code certloop_it_*} databases) leave
     * it alone while the bench prepares its listeners.
     */
    private static String benchDatabase() throws java.sql.SQLException {
        String base = PostgresTestDatabase.BASE_URL;
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(
                        base, PostgresTestDatabase.USER, PostgresTestDatabase.PASSWORD);
                java.sql.Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS certloop_bench_rotation");
            statement.execute("CREATE DATABASE certloop_bench_rotation");
        }
        return base.substring(0, base.lastIndexOf('/') + 1) + "certloop_bench_rotation";
    }

    private static String awaitTask(ApiClient api, String rotationId) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            JsonNode tasks = api.get("/engine-rest/task?processInstanceBusinessKey=" + rotationId
                            + "&taskDefinitionKey=approveRotation")
                    .json();
            if (tasks.size() > 0) {
                return tasks.get(0).path("id").asText();
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no approval task for " + rotationId);
    }

    private static int sighups(NginxServer nginx) {
        return nginx.errorLogText().split("signal 1 \\(SIGHUP\\) received", -1).length - 1;
    }

    private RotationBench() {}
}
