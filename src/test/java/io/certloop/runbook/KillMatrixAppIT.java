package io.certloop.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.certloop.support.ApiClient;
import io.certloop.support.Await;
import io.certloop.support.JdwpBreakpoint;
import io.certloop.support.NginxServer;
import io.certloop.support.PebbleServer;
import io.certloop.support.PostgresTestDatabase;
import io.certloop.support.ServerProcess;
import io.certloop.support.TcpRelay;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 15, item 7, the kill matrix: the server is killed with SIGKILL once inside each service task of the expiry
 * runbook, on PostgreSQL and on the embedded H2, started again on the same data, and every incident completes with
 * exactly one certificate issued and one deployment, the one the live endpoint presents. The figure measured is
 * restart (process started) to resolved (verified by a fresh probe and recorded).
 *
 * <p>No test hook in the server: each step is made slow from the outside and observed from the outside.
 * <ul>
 *   <li><b>probe</b> (confirmCause) and <b>verify</b> (verifyDeployment): a relay in front of nginx holds the probe's
 *   TLS connection after its ClientHello (the first, resp. second, connection that speaks).</li>
 *   <li><b>issue</b> (issueCertificate, ACME): a relay in front of pebble holds the first ACME request.</li>
 *   <li><b>deploy</b> (deployCertificate, after its files are written and the service reloaded): the relay refuses
 *   connections, so the step waits for the service to answer again (answer timeout 3 s) and is killed there.</li>
 *   <li><b>reload</b> (deployCertificate, during the reload action): the action announces itself, then takes 3 s.
 *   The run left behind by the kill and the next run must never overlap (each run logs its start and end).</li>
 *   <li><b>resolve</b> (recordResolution) on PostgreSQL: the test holds a row lock on the endpoint, so the step's
 *   update of the inventory waits.</li>
 *   <li><b>resolve</b> on H2: the step touches nothing but the database, and the embedded file database cannot be
 *   opened by another process while the server runs. So the (idle) server is started again with a JDWP agent, and
 *   the test, attached through the Java Debug Interface ({@link JdwpBreakpoint}), sets a breakpoint on the last line
 *   of {@code RecordResolutionDelegate.run}: everything the step does is done (inventory, release of the kept files,
 *   incident resolved), inside the job's transaction, which is not committed. The job executor's thread that hits it
 *   stays suspended (the stack shows the job inside Camunda's Spring transaction) and the server is killed there.
 *   The restart runs without the agent.</li>
 * </ul>
 * On PostgreSQL the test also reads the engine's job table at the moment of the kill: the one locked job is the
 * step named. The cases of one database run one after another on the same server data (each restart serves the next
 * case), so the whole matrix costs 2 x 6 restarts, and one more start for the debugger. The system property
 * {@code kill-matrix.cases} (e.g. {@code h2-resolve,pg-probe}) runs only the cases named.
 */
class KillMatrixAppIT {

    /** The expiry runbook's service tasks, in order, with the BPMN activity the kill lands in. */
    enum Step {
        PROBE("confirmCause"),
        ISSUE("issueCertificate"),
        DEPLOY("deployCertificate"),
        RELOAD("deployCertificate"),
        VERIFY("verifyDeployment"),
        RESOLVE("recordResolution");

        final String activity;

        Step(String activity) {
            this.activity = activity;
        }

        String site(String database) {
            return database + "-" + name().toLowerCase();
        }
    }

    private static final String ADMIN = "kill-admin";
    private static final Duration RESOLVED_WITHIN = Duration.ofSeconds(180);

    @TempDir
    static Path dir;

    private static NginxServer nginx;
    private static PebbleServer pebble;
    private static TcpRelay acme;
    private static final Map<String, TcpRelay> relays = new HashMap<>();
    private static final Map<String, String> figures = new LinkedHashMap<>();

    private JdwpBreakpoint debugger;

    @BeforeAll
    static void services() throws Exception {
        assumeTrue(NginxServer.available(), "Debian nginx is required (bin/test installs it)");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/pebble")), "Debian pebble is required (bin/test installs it)");
        NginxServer.Builder sites = NginxServer.builder(dir.resolve("nginx"));
        for (String database : List.of("pg", "h2")) {
            for (Step step : Step.values()) {
                String site = step.site(database);
                sites.expiringSite(
                        site,
                        dir.resolve("certs").resolve(site),
                        TestCertificates.rootCa("Kill " + site).selfSigned(),
                        Duration.ofDays(1));
            }
        }
        nginx = sites.start();
        nginx.ports().forEach((site, port) -> relays.put(site, TcpRelay.to(port)));
        pebble = PebbleServer.startAlwaysValid();
        acme = TcpRelay.to(pebble.port());
    }

    @AfterAll
    static void report() {
        relays.values().forEach(TcpRelay::close);
        if (acme != null) {
            acme.close();
        }
        if (pebble != null) {
            pebble.close();
        }
        if (nginx != null) {
            nginx.close();
        }
        StringBuilder text = new StringBuilder("kill matrix, restart to resolved:\n");
        figures.forEach((kase, figure) ->
                text.append("  ").append(kase).append(": ").append(figure).append('\n'));
        System.out.print(text);
    }

    @AfterEach
    void detach() {
        if (debugger != null) {
            debugger.close();
            debugger = null;
        }
    }

    @ParameterizedTest(name = "killed inside each step of the expiry runbook on {0}, the incident completes")
    @ValueSource(strings = {"pg", "h2"})
    void killedInsideEachStepTheIncidentCompletesWithOneCertificate(String database) throws Exception {
        List<Step> steps =
                Stream.of(Step.values()).filter(s -> selected(s, database)).toList();
        assumeFalse(steps.isEmpty(), "no case on " + database + " named in kill-matrix.cases");
        Path home = Files.createDirectories(dir.resolve(database));
        Path certs = dir.resolve("certs");
        Path trust = home.resolve("pebble-root.pem");
        Files.writeString(trust, pebble.issuingRootPem());
        String url = "pg".equals(database) ? PostgresTestDatabase.another() : null;
        String[] arguments = {
            "--certloop.deployment.reload-actions.nginx=" + nginx.reloadCommand(),
            "--certloop.deployment.reload-actions.slow=/bin/sh " + slowReload(home),
            "--certloop.deployment.reload-actions.marked=/bin/sh " + markedReload(home),
            // bounded steps, so the job lock (raised at start-up to the slowest step, a mass rotation's wave: wave
            // step 1 s + ACME 4 x 2 s + deploy 2 x 5 s + 3 s + verify 10 s, + 10 s = 42 s) lets the restarted server
            // take the dead one's job over quickly
            "--certloop.rotation.wave-step=1s",
            "--certloop.deployment.reload-timeout=5s",
            "--certloop.deployment.answer-timeout=3s",
            "--certloop.issuance.acme.request-timeout=2s",
            "--certloop.issuance.acme.directory-url=" + PebbleServer.directoryUrl(acme.port()),
            "--certloop.issuance.acme.trusted-ca-file=" + pebble.caFile(),
            "--certloop.issuance.acme.poll-interval=500ms",
            "--certloop.probe.trust.extra-roots=" + trust,
            "--camunda.bpm.job-execution.lock-time-in-millis=5000"
        };
        Path data = home.resolve("data");
        try (ServerProcess server = url != null
                ? ServerProcess.onPostgres(url, data, certs, ADMIN, arguments)
                : ServerProcess.onH2(data, certs, ADMIN, arguments)) {
            server.startAndAwait("start");
            List<String> failures = new ArrayList<>();
            for (Step step : steps) {
                try {
                    killInside(step, database, url, server, home);
                } catch (Exception | AssertionError e) {
                    failures.add(step + ": " + e + server.logs());
                    if (!server.isRunning()) {
                        server.startAndAwait(step + "-recovery");
                    }
                }
            }
            if (url == null) {
                server.kill(); // H2: the file opens for the count below only once the server is gone
            }
            for (Step step : steps) {
                assertThat(issuedCount(url, data, step.site(database)))
                        .as("%s %s: certificates issued", database, step)
                        .isEqualTo(1);
            }
            assertThat(failures).as("failed cases").isEmpty();
        }
        if (steps.contains(Step.RELOAD)) {
            assertThat(runs(home))
                    .as("the reload left running by the kill and the next run never overlap")
                    .containsExactly("start", "end", "start", "end");
        }
    }

    /** All cases, or those named in the system property {@code kill-matrix.cases} (comma-separated, e.g. h2-resolve). */
    private static boolean selected(Step step, String database) {
        String only = System.getProperty("kill-matrix.cases", "");
        return only.isBlank() || List.of(only.split(",")).contains(step.site(database));
    }

    /** One case: a fresh endpoint, its incident, the kill inside {@code step}, the restart, the checks. */
    private void killInside(Step step, String database, String url, ServerProcess server, Path home) throws Exception {
        String site = step.site(database);
        TcpRelay relay = relays.get(site);
        ApiClient admin = ApiClient.as(server.port(), "admin", ADMIN);
        Path fullchain = dir.resolve("certs").resolve(site).resolve("fullchain.pem");
        Map<String, Object> endpoint = TestEndpoints.loopback(
                site,
                relay.port(),
                fullchain,
                fullchain.resolveSibling("key.pem"),
                switch (step) {
                    case DEPLOY -> "marked";
                    case RELOAD -> "slow";
                    default -> "nginx";
                });
        if (step == Step.ISSUE) {
            endpoint.put("replacementPath", "acme");
        }
        if (step == Step.RESOLVE && url == null) {
            debugger = underDebugger(server);
        }
        ApiClient.Response created = admin.post("/api/inventory/endpoints", endpoint);
        assertThat(created.status()).as(created.body()).isEqualTo(201);

        Connection rowLock = null;
        switch (step) {
            case PROBE -> relay.holdFrom(1);
            case ISSUE -> acme.holdFrom(1);
            case VERIFY -> relay.holdFrom(2); // the first is the probe confirming the cause
            case RESOLVE -> {
                if (url != null) {
                    relay.holdFrom(2);
                }
            }
            default -> {}
        }
        String incidentId = admin.openExpiryIncident(site);
        switch (step) {
            case PROBE, VERIFY -> awaitHeld(relay);
            case ISSUE -> awaitHeld(acme);
            case DEPLOY -> {
                awaitFile(home.resolve("marked-started"));
                relay.refuse(); // the service "does not answer" after the reload: the step waits for it
                Files.createFile(home.resolve("marked-go"));
                awaitFile(home.resolve("marked-reloaded"));
                Thread.sleep(300); // inside the answer wait (3 s)
            }
            case RELOAD -> awaitFile(home.resolve("slow-started"));
            case RESOLVE -> {
                if (url != null) {
                    awaitHeld(relay);
                    rowLock = lockEndpointRow(url, site);
                    relay.release();
                    awaitBlockedOnLock(url);
                } else {
                    assertThat(debugger.awaitHit(Duration.ofSeconds(120)))
                            .as("the thread at the breakpoint: a job of the job executor, in its transaction")
                            .anyMatch(f -> f.startsWith("org.camunda.bpm.engine.impl.jobexecutor.ExecuteJobsRunnable."))
                            .anyMatch(f -> f.startsWith("org.camunda.bpm.engine.spring.SpringTransactionInterceptor."));
                }
            }
        }
        if (url != null) {
            assertThat(lockedActivities(url))
                    .as("the job running when the server is killed")
                    .containsExactly(step.activity);
        }
        server.kill();
        if (debugger != null) {
            debugger.close(); // gone with the process
            debugger = null;
        }
        relay.release();
        relay.accept();
        acme.release();
        if (rowLock != null) {
            rowLock.rollback();
            rowLock.close();
        }

        long restarted = System.nanoTime();
        server.start(step.name().toLowerCase());
        server.awaitUp();
        long up = System.nanoTime();
        JsonNode resolved = Await.until(RESOLVED_WITHIN, () -> {
            JsonNode incident = admin.get("/api/incidents/" + incidentId).json();
            return "resolved".equals(incident.path("state").asText()) ? incident : null;
        });
        long done = System.nanoTime();
        figures.put(
                database + " " + step,
                String.format("%.1f s (server up after %.1f s)", (done - restarted) / 1e9, (up - restarted) / 1e9));

        assertThat(resolved.toString()).contains("deployment-verified");
        String expected = admin.get("/api/inventory/endpoints/" + site)
                .json()
                .path("expectedSha256")
                .asText();
        assertThat(expected).matches("[0-9a-f]{64}");
        assertThat(TlsPeek.awaitLeaf("127.0.0.1", nginx.port(site), expected, Duration.ofSeconds(5))
                        .leafSha256())
                .as("nginx presents the certificate of record")
                .isEqualTo(expected);
        assertThat(manifestsFor(home.resolve("data"), fullchain))
                .as("deployments of %s", site)
                .isEqualTo(1);
    }

    /**
     * H2, resolve: the idle server is started again with a JDWP agent, and the test attaches and sets its breakpoint
     * on the last line of the resolve step's delegate (the transaction of the step's job still open there).
     */
    private static JdwpBreakpoint underDebugger(ServerProcess server) throws Exception {
        server.kill();
        int port = PebbleServer.freePort();
        server.start("resolve-debugged", List.of(JdwpBreakpoint.agent(port)));
        server.awaitUp();
        return JdwpBreakpoint.attach(
                port, RecordResolutionDelegate.class.getName(), "run", true, Duration.ofSeconds(30));
    }

    private static void awaitHeld(TcpRelay relay) throws InterruptedException {
        int before = relay.held();
        Await.until(Duration.ofSeconds(60), () -> relay.held() > before ? Boolean.TRUE : null);
    }

    private static void awaitFile(Path file) throws InterruptedException {
        Await.until(Duration.ofSeconds(60), () -> Files.exists(file) ? Boolean.TRUE : null);
    }

    /**
     * The reload action of the reload case: logs its start, announces itself, takes 3 s, reloads nginx, logs its end.
     */
    private static Path slowReload(Path home) throws Exception {
        Path log = home.resolve("slow-runs.log");
        return script(
                home.resolve("slow.sh"),
                "echo start >> " + log,
                "touch " + home.resolve("slow-started"),
                "sleep 3",
                nginx.reloadCommand(),
                "echo end >> " + log);
    }

    /**
     * The reload action of the deploy case: announces itself, waits until the test lets it go (the test makes the
     * service stop answering meanwhile), reloads nginx, and says so.
     */
    private static Path markedReload(Path home) throws Exception {
        return script(
                home.resolve("marked.sh"),
                "touch " + home.resolve("marked-started"),
                "while [ ! -e " + home.resolve("marked-go") + " ]; do sleep 0.05; done",
                nginx.reloadCommand(),
                "touch " + home.resolve("marked-reloaded"));
    }

    private static Path script(Path file, String... lines) throws Exception {
        Files.writeString(file, "#!/bin/sh\n" + String.join("\n", lines) + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    private static List<String> runs(Path home) throws Exception {
        return Files.readAllLines(home.resolve("slow-runs.log"));
    }

    /** Deployment manifests (one per deployment) that write the given file. */
    private static long manifestsFor(Path data, Path fullchain) throws Exception {
        try (Stream<Path> manifests = Files.list(data.resolve("deployments"))) {
            return manifests
                    .filter(p -> p.toString().endsWith(".json"))
                    .filter(p -> {
                        try {
                            return Files.readString(p).contains("\"" + fullchain + "\"");
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .count();
        }
    }

    /** The BPMN activities of the engine's jobs that are locked (being run) right now. */
    private static List<String> lockedActivities(String url) throws Exception {
        return strings(
                url,
                "SELECT e.act_id_ FROM act_ru_job j JOIN act_ru_execution e ON j.execution_id_ = e.id_"
                        + " WHERE j.lock_owner_ IS NOT NULL");
    }

    /** A transaction of the test holding the endpoint's inventory row against updates (not against reads). */
    private static Connection lockEndpointRow(String url, String endpoint) throws Exception {
        Connection connection =
                DriverManager.getConnection(url, PostgresTestDatabase.USER, PostgresTestDatabase.PASSWORD);
        connection.setAutoCommit(false);
        try (PreparedStatement lock =
                connection.prepareStatement("SELECT id FROM inventory_endpoint WHERE name = ? FOR NO KEY UPDATE")) {
            lock.setString(1, endpoint);
            lock.executeQuery().close();
        }
        return connection;
    }

    /** Waits until a statement of the server waits for a row lock (ours). */
    private static void awaitBlockedOnLock(String url) throws InterruptedException {
        Await.until(Duration.ofSeconds(60), () -> {
            try {
                return strings(
                                        url,
                                        "SELECT query FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                                                + " AND datname = current_database()")
                                .isEmpty()
                        ? null
                        : Boolean.TRUE;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Certificates issued for the endpoint, from the database (H2: opened after the server is gone). */
    private static int issuedCount(String url, Path data, String endpoint) throws Exception {
        String jdbc = url != null ? url : "jdbc:h2:file:" + data.resolve("certloop");
        String user = url != null ? PostgresTestDatabase.USER : "sa";
        String password = url != null ? PostgresTestDatabase.PASSWORD : "";
        try (Connection connection = DriverManager.getConnection(jdbc, user, password);
                PreparedStatement query = connection.prepareStatement(
                        "SELECT count(*) FROM issued_certificate WHERE endpoint_name = ?")) {
            query.setString(1, endpoint);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    private static List<String> strings(String url, String sql) throws Exception {
        List<String> values = new ArrayList<>();
        try (Connection connection =
                        DriverManager.getConnection(url, PostgresTestDatabase.USER, PostgresTestDatabase.PASSWORD);
                PreparedStatement query = connection.prepareStatement(sql);
                ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }
}
