package io.certloop.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.certloop.support.AlertmanagerWebhook;
import io.certloop.support.ApiClient;
import io.certloop.support.Await;
import io.certloop.support.NginxServer;
import io.certloop.support.PebbleServer;
import io.certloop.support.PostgresTestDatabase;
import io.certloop.support.TestCertificates;
import io.certloop.support.TestEndpoints;
import io.certloop.support.TlsPeek;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety on PostgreSQL: the server is killed with SIGKILL while the runbook is reloading
 * nginx, a new server starts on the same database, and the incident still completes with exactly
 * one issued certificate, the one nginx presents.
 */
class CrashRecoveryAppIT {

    @TempDir
    Path dir;

    private final List<Process> servers = new ArrayList<>();
    private NginxServer nginx;

    @AfterEach
    void stop() {
        servers.forEach(Process::destroyForcibly);
        if (nginx != null) {
            nginx.close();
        }
    }

    @Test
    void aServerKilledMidRunbookIsReplacedAndTheIncidentCompletesWithOneCertificate() throws Exception {
        assumeTrue(NginxServer.available(), "Debian nginx is required (bin/test installs it)");
        TestCertificates.Issued expiring = nginxPresentingAnExpiringCertificate("Crash Root");
        Path certs = dir.resolve("certs");

        // the reload action announces itself, then takes its time: the window in which we kill the server
        Path marker = dir.resolve("reload-started");
        Path slowReload = dir.resolve("slow-reload.sh");
        Files.writeString(slowReload, "#!/bin/sh\ntouch " + marker + "\nsleep 4\nexec " + nginx.reloadCommand() + "\n");
        Files.setPosixFilePermissions(slowReload, PosixFilePermissions.fromString("rwx------"));

        int port = PebbleServer.freePort();
        String database = PostgresTestDatabase.url();
        List<String> command = onPostgres(
                port,
                "crash-admin",
                "--certloop.deployment.reload-actions.slow-nginx=" + slowReload,
                // reloads bounded to 5 s: the job lock (raised to the slowest step, a mass rotation's wave step 30 s +
                // 2 x 5 s + 1 s + verify 10 s, + 10 s) lets the second server take the dead one's jobs over in a minute
                "--certloop.deployment.reload-timeout=5s",
                "--certloop.deployment.answer-timeout=1s",
                "--camunda.bpm.job-execution.lock-time-in-millis=5000");

        Process first = start(command, "first");
        ApiClient admin = ApiClient.as(port, "admin", "crash-admin");
        awaitUp(port);
        Map<String, Object> endpoint = TestEndpoints.loopback(
                "crash-web", nginx.port("web"), certs.resolve("fullchain.pem"), certs.resolve("key.pem"), "slow-nginx");
        assertThat(admin.post("/api/inventory/endpoints", endpoint).status()).isEqualTo(201);
        ApiClient.Response opened = admin.post(
                "/api/incidents",
                Map.of(
                        "endpoint",
                        "crash-web",
                        "category",
                        "expiry",
                        "subcategory",
                        "expiring",
                        "reason",
                        "certificate expires tomorrow"));
        assertThat(opened.status()).as(opened.body()).isEqualTo(201);
        String incidentId = opened.json().path("id").asText();

        Await.until(Duration.ofSeconds(60), () -> Files.exists(marker) ? Boolean.TRUE : null);
        first.destroyForcibly(); // SIGKILL: no shutdown hooks, the deploy job stays locked
        first.waitFor();

        start(command, "second");
        awaitUp(port);
        JsonNode resolved = Await.until(Duration.ofSeconds(120), () -> {
            JsonNode incident = admin.get("/api/incidents/" + incidentId).json();
            return "resolved".equals(incident.path("state").asText()) ? incident : null;
        });
        assertThat(resolved.toString()).contains("deployment-verified");

        List<String> issued = issuedFingerprints(database, "crash-web");
        assertThat(issued).as("exactly one certificate issued for the incident").hasSize(1);
        String expected = admin.get("/api/inventory/endpoints/crash-web")
                .json()
                .path("expectedSha256")
                .asText();
        assertThat(expected).isEqualTo(issued.get(0));
        assertThat(TlsPeek.awaitLeaf("127.0.0.1", nginx.port("web"), expected, Duration.ofSeconds(5))
                        .leafSha256())
                .isEqualTo(expected);
    }

    /**
     * The embedded default (H2 file database): an alert answered 202 and the server killed 0.3 s later. With
     * H2's default WRITE_DELAY (500 ms) the incident was gone after the restart; the 202 must mean it is on disk.
     */
    @Test
    void onTheEmbeddedDefaultAnAlertAnswered202SurvivesASigkillRightAfterAndTheIncidentCompletes() throws Exception {
        assumeTrue(NginxServer.available(), "Debian nginx is required (bin/test installs it)");
        TestCertificates.Issued expiring = nginxPresentingAnExpiringCertificate("Crash H2 Root");
        Path certs = dir.resolve("certs");

        int port = PebbleServer.freePort();
        // no profile: the embedded default, H2 under the data directory, as bin/run starts it
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classpath(),
                "io.certloop.CertLoopApplication",
                "--server.port=" + port,
                "--certloop.data-dir=" + dir.resolve("data"),
                "--certloop.deployment.allowed-directories=" + certs,
                "--certloop.admin.password=crash-admin",
                "--certloop.demo.enabled=false",
                "--certloop.deployment.reload-actions.test-nginx=" + nginx.reloadCommand(),
                "--certloop.probe.allowlist=127.0.0.0/8",
                "--certloop.probe.detection.enabled=false",
                // reloads bounded to 5 s: the job lock (raised to the slowest step, 2 x 5 s + 1 s + 10 s) lets the
                // second server take the dead one's jobs over within half a minute
                "--certloop.deployment.reload-timeout=5s",
                "--certloop.deployment.answer-timeout=1s",
                "--camunda.bpm.job-execution.lock-time-in-millis=5000");

        Process first = start(command, "first");
        ApiClient admin = ApiClient.as(port, "admin", "crash-admin");
        awaitUp(port);
        Map<String, Object> endpoint = TestEndpoints.loopback(
                "crash-h2", nginx.port("web"), certs.resolve("fullchain.pem"), certs.resolve("key.pem"), "test-nginx");
        assertThat(admin.post("/api/inventory/endpoints", endpoint).status()).isEqualTo(201);
        ApiClient.Response accepted =
                admin.post("/api/alerts/alertmanager", "application/json", AlertmanagerWebhook.firingFor("crash-h2"));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        String incidentId = accepted.json().path("incidents").get(0).asText();
        Thread.sleep(300);
        first.destroyForcibly(); // SIGKILL 0.3 s after the 202
        first.waitFor();

        start(command, "second");
        awaitUp(port);
        ApiClient.Response after = admin.get("/api/incidents/" + incidentId);
        assertThat(after.status())
                .as("the incident answered 202 before the kill is there after the restart: %s", after.body())
                .isEqualTo(200);
        JsonNode resolved = Await.until(Duration.ofSeconds(120), () -> {
            JsonNode incident = admin.get("/api/incidents/" + incidentId).json();
            return "resolved".equals(incident.path("state").asText()) ? incident : null;
        });
        List<String> issued = new ArrayList<>();
        resolved.path("timeline").forEach(entry -> {
            if ("certificate-issued".equals(entry.path("type").asText())) {
                issued.add(entry.path("detail").toString());
            }
        });
        assertThat(issued).as("one certificate issued for the incident").hasSize(1);
        String expected = admin.get("/api/inventory/endpoints/crash-h2")
                .json()
                .path("expectedSha256")
                .asText();
        assertThat(expected).matches("[0-9a-f]{64}").isNotEqualTo(expiring.sha256());
        assertThat(TlsPeek.awaitLeaf("127.0.0.1", nginx.port("web"), expected, Duration.ofSeconds(5))
                        .leafSha256())
                .isEqualTo(expected);
    }

    /**
     * Jobs never run twice at once (issue 10, item 9): the configured job lock (3 s) is shorter than the reload (8 s),
     * which under the old rule let the job executor take the deploy job again mid-reload and reload a second time.
     * The server raises the lock to the slowest step its configuration allows, and the reload runs exactly once.
     */
    @Test
    void aReloadThatOutlastsTheConfiguredJobLockRunsOnceBecauseTheLockIsRaisedToTheSlowestStep() throws Exception {
        assumeTrue(NginxServer.available(), "Debian nginx is required (bin/test installs it)");
        nginxPresentingAnExpiringCertificate("Lock Root");
        Path certs = dir.resolve("certs");
        // every run of the reload action leaves a line, then it takes longer than the configured job lock
        Path reloads = dir.resolve("reloads.log");
        Path slowReload = dir.resolve("slow-reload.sh");
        Files.writeString(
                slowReload, "#!/bin/sh\necho reload >> " + reloads + "\nsleep 8\nexec " + nginx.reloadCommand() + "\n");
        Files.setPosixFilePermissions(slowReload, PosixFilePermissions.fromString("rwx------"));

        int port = PebbleServer.freePort();
        String name = "lock-web-" + System.nanoTime();
        // a database of its own: the other PostgreSQL test's server has another data directory (other sealing keys)
        List<String> command = onPostgres(
                PostgresTestDatabase.another(),
                port,
                "crash-admin",
                "--certloop.deployment.reload-actions.slow-nginx=" + slowReload,
                "--certloop.deployment.reload-timeout=12s",
                "--certloop.deployment.answer-timeout=1s",
                "--camunda.bpm.job-execution.lock-time-in-millis=3000");
        start(command, "first");
        ApiClient admin = ApiClient.as(port, "admin", "crash-admin");
        awaitUp(port);
        assertThat(Files.readString(dir.resolve("first.log")))
                .as("the start-up log says the lock was raised and why")
                // the slowest step is a wave of a mass rotation: wave-step 30 s + a deploy (2 x 12 s + 1 s) + verify 10
                // s
                .contains("lock-time-in-millis=3000 is shorter than the slowest step", "raised to 75000");

        Map<String, Object> endpoint = TestEndpoints.loopback(
                name, nginx.port("web"), certs.resolve("fullchain.pem"), certs.resolve("key.pem"), "slow-nginx");
        assertThat(admin.post("/api/inventory/endpoints", endpoint).status()).isEqualTo(201);
        ApiClient.Response opened = admin.post(
                "/api/incidents",
                Map.of(
                        "endpoint",
                        name,
                        "category",
                        "expiry",
                        "subcategory",
                        "expiring",
                        "reason",
                        "certificate expires tomorrow"));
        assertThat(opened.status()).as(opened.body()).isEqualTo(201);
        String incidentId = opened.json().path("id").asText();
        JsonNode resolved = Await.until(Duration.ofSeconds(120), () -> {
            JsonNode incident = admin.get("/api/incidents/" + incidentId).json();
            return "resolved".equals(incident.path("state").asText()) ? incident : null;
        });
        assertThat(resolved.toString()).contains("deployment-verified");
        Thread.sleep(5_000); // a job taken over mid-reload would have reloaded again by now
        assertThat(Files.readAllLines(reloads))
                .as("the reload action ran exactly once")
                .hasSize(1);
    }

    /** The server as a process of its own on the test PostgreSQL, detection off, with these extra arguments. */
    private List<String> onPostgres(int port, String adminPassword, String... arguments) {
        return onPostgres(PostgresTestDatabase.url(), port, adminPassword, arguments);
    }

    private List<String> onPostgres(String database, int port, String adminPassword, String... arguments) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classpath(),
                "io.certloop.CertLoopApplication",
                "--spring.profiles.active=postgres",
                "--spring.datasource.url=" + database,
                "--spring.datasource.username=" + PostgresTestDatabase.USER,
                "--spring.datasource.password=" + PostgresTestDatabase.PASSWORD,
                "--server.port=" + port,
                "--certloop.data-dir=" + dir.resolve("data"),
                "--certloop.deployment.allowed-directories=" + dir.resolve("certs"),
                "--certloop.admin.password=" + adminPassword,
                "--certloop.probe.allowlist=127.0.0.0/8",
                "--certloop.probe.detection.enabled=false"));
        command.addAll(List.of(arguments));
        return command;
    }

    /** nginx (site {@code web}) presenting a certificate that expires tomorrow, from files under {@code certs}. */
    private TestCertificates.Issued nginxPresentingAnExpiringCertificate(String rootName) throws Exception {
        TestCertificates.Issued ca = TestCertificates.rootCa(rootName).selfSigned();
        TestCertificates.Issued expiring = TestCertificates.leaf("localhost")
                .sans("localhost")
                .expiringIn(Duration.ofDays(1))
                .signedBy(ca);
        Path certs = Files.createDirectories(dir.resolve("certs"));
        expiring.writeFullchainPem(certs.resolve("fullchain.pem"));
        expiring.writeKeyPem(certs.resolve("key.pem"));
        nginx = NginxServer.builder(dir.resolve("nginx"))
                .site("web", certs.resolve("fullchain.pem"), certs.resolve("key.pem"))
                .start();
        return expiring;
    }

    private Process start(List<String> command, String name) throws Exception {
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile())
                .start();
        servers.add(process);
        return process;
    }

    private void awaitUp(int port) throws Exception {
        try {
            awaitHealth(port);
        } catch (AssertionError notUp) {
            StringBuilder logs = new StringBuilder();
            for (String name : List.of("first", "second")) {
                Path log = dir.resolve(name + ".log");
                if (Files.exists(log)) {
                    String text = Files.readString(log);
                    logs.append("\n--- ")
                            .append(name)
                            .append(" ---\n")
                            .append(text.lines()
                                    .filter(l -> !l.startsWith("\t"))
                                    .limit(80)
                                    .collect(java.util.stream.Collectors.joining("\n")));
                }
            }
            throw new AssertionError("server did not come up" + logs, notUp);
        }
    }

    private void awaitHealth(int port) throws Exception {
        Await.until(Duration.ofSeconds(60), () -> {
            try {
                ApiClient.Response health = ApiClient.anonymous(port).get("/actuator/health");
                return health.status() == 200 ? Boolean.TRUE : null;
            } catch (RuntimeException notYet) {
                return null;
            }
        });
    }

    private static List<String> issuedFingerprints(String url, String endpoint) throws Exception {
        List<String> fingerprints = new ArrayList<>();
        try (Connection connection =
                        DriverManager.getConnection(url, PostgresTestDatabase.USER, PostgresTestDatabase.PASSWORD);
                PreparedStatement query =
                        connection.prepareStatement("SELECT sha256 FROM issued_certificate WHERE endpoint_name = ?")) {
            query.setString(1, endpoint);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    fingerprints.add(rows.getString(1));
                }
            }
        }
        return fingerprints;
    }

    private static String classpath() {
        String surefire = System.getProperty("surefire.test.class.path");
        String path = surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
        // an entry listed twice would deploy every process twice
        return String.join(
                java.io.File.pathSeparator,
                new java.util.LinkedHashSet<>(List.of(path.split(java.io.File.pathSeparator))));
    }
}
