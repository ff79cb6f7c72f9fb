package io.certloop.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.certloop.support.AlertmanagerWebhook;
import io.certloop.support.ApiClient;
import io.certloop.support.Await;
import io.certloop.support.NginxServer;
import io.certloop.support.PostgresTestDatabase;
import io.certloop.support.ServerProcess;
import io.certloop.support.TestCertificates;
import io.certloop.support.TestEndpoints;
import io.certloop.support.TlsPeek;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 end to end: a server JVM on PostgreSQL and an agent JVM (the same classes, profile {@code agent}) beside
 * Debian's nginx. The agent makes the key on "its host", the server issues for the CSR, the agent writes and
 * reloads, the server verifies with its own probe; the key's bytes are nowhere on the server's side. And an agent
 * user reaches nothing but its steps.
 */
class AgentDeploymentAppIT {

    static final String GROUP = "web-edge";

    @TempDir
    Path dir;

    private final List<ServerProcess> processes = new ArrayList<>();
    private NginxServer nginx;

    @AfterEach
    void stop() throws InterruptedException {
        for (ServerProcess process : processes) {
            process.kill();
        }
        if (nginx != null) {
            nginx.close();
        }
    }

    @Test
    void anExpiryOnAnAgentEndpointIsFixedWithAKeyBornOnTheHostThatTheServerNeverSees() throws Exception {
        assumeTrue(NginxServer.available(), "Debian nginx is required (bin/test installs it)");
        TestCertificates.Issued expiring = hostWithNginx("");
        String database = PostgresTestDatabase.another();
        Path serverData = dir.resolve("server/data");
        ServerProcess server = server(database, serverData).startAndAwait("server");
        int port = server.port();
        ApiClient admin = ApiClient.as(port, "admin", "agent-admin");
        admin.createUser("edge-agent", "agent-secret-1", "agents");
        agent(port, "edge-agent", "agent-secret-1");
        JsonNode agents = Await.until(Duration.ofSeconds(60), () -> {
            JsonNode list = admin.get("/api/agents").json();
            return list.size() > 0 ? list : null;
        });
        assertThat(agents.get(0).path("group").asText()).isEqualTo(GROUP);
        assertThat(agents.get(0).path("lastPollAt").asText()).isNotBlank();
        assertThat(agents.get(0).path("version").asText()).isNotBlank();

        registerAgentEndpoint(admin, "agent-web");
        ApiClient.Response opened = admin.post(
                "/api/incidents",
                Map.of(
                        "endpoint", "agent-web",
                        "category", "expiry",
                        "subcategory", "expiring",
                        "reason", "certificate expires tomorrow"));
        assertThat(opened.status()).as(opened.body()).isEqualTo(201);
        String incidentId = opened.json().path("id").asText();

        JsonNode resolved = awaitResolved(admin, incidentId);
        assertThat(resolved.toString())
                .contains("deployment-handed-to-agent", "deployment-verified", "certificate-deployed");
        String expected = presentedAndExpected(admin, "agent-web", expiring);

        server.stop();
        assertKeyNowhereOnTheServerSide(database, expected, serverData, "server");
    }

    /**
     * Issue 15's test: two server nodes on PostgreSQL and one agent; the alert arrives at node A, A is killed
     * (SIGKILL) while the agent reloads nginx, node B finishes. Exactly one incident, one certificate, one deployment;
     * nginx presents it; the key was written by the agent and is nowhere on the servers' side.
     */
    @Test
    void anAlertAtNodeAWhoseNodeDiesMidRunbookIsFinishedByNodeBThroughTheAgent() throws Exception {
        assumeTrue(NginxServer.available(), "Debian nginx is required (bin/test installs it)");
        Path marker = dir.resolve("host/reload-started");
        TestCertificates.Issued expiring = hostWithNginx("touch " + marker + "\nsleep 3\n");
        String database = PostgresTestDatabase.another();
        Path serverData = dir.resolve("server/data"); // both nodes: one master key, as in production
        String[] fastTakeOver = { // the job lock is raised to the slowest step, a rotation's wave: 1 s + 11 s + 10 s +
            // 10 s
            "--certloop.rotation.wave-step=1s",
            "--certloop.deployment.reload-timeout=5s",
            "--certloop.deployment.answer-timeout=1s",
            "--camunda.bpm.job-execution.lock-time-in-millis=5000"
        };
        ServerProcess nodeA = server(database, serverData, fastTakeOver).startAndAwait("node-a");
        int portA = nodeA.port();
        int portB = server(database, serverData, fastTakeOver)
                .startAndAwait("node-b")
                .port();
        ApiClient atA = ApiClient.as(portA, "admin", "agent-admin");
        ApiClient atB = ApiClient.as(portB, "admin", "agent-admin");
        atA.createUser("pair-agent", "agent-secret-3", "agents");
        agent(portB, "pair-agent", "agent-secret-3");
        registerAgentEndpoint(atA, "pair-web");

        ApiClient.Response accepted =
                atA.post("/api/alerts/alertmanager", "application/json", AlertmanagerWebhook.firingFor("pair-web"));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        String incidentId = accepted.json().path("incidents").get(0).asText();
        Await.until(Duration.ofSeconds(90), () -> Files.exists(marker) ? Boolean.TRUE : null);
        nodeA.kill(); // SIGKILL mid-runbook: the agent is reloading, node A's jobs stay locked

        JsonNode resolved = awaitResolved(atB, incidentId);
        String expected = presentedAndExpected(atB, "pair-web", expiring);
        assertThat(count(resolved, "deployment-handed-to-agent"))
                .as("one deployment")
                .isEqualTo(1);
        assertThat(count(resolved, "certificate-deployed"))
                .as("one deployment reported")
                .isEqualTo(1);
        assertThat(atB.get("/api/incidents?endpoint=pair-web").json().size())
                .as("one incident")
                .isEqualTo(1);
        try (Connection connection = DriverManager.getConnection(
                        database, PostgresTestDatabase.USER, PostgresTestDatabase.PASSWORD);
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(
                        "SELECT sha256 FROM issued_certificate WHERE endpoint_name = 'pair-web'")) {
            List<String> issued = new ArrayList<>();
            while (rs.next()) {
                issued.add(rs.getString(1));
            }
            assertThat(issued).as("one issued certificate").containsExactly(expected);
        }
        assertKeyNowhereOnTheServerSide(database, expected, serverData, "node-a", "node-b");
    }

    /**
     * Failures are visible: a reload that fails on the host is rolled back there and reaches the incident
     * commanders with the agent's output; a group whose agent never polls reaches the operators after
     * {@code certloop.agent.deliver-within}.
     */
    @Test
    void aReloadFailureOnTheHostIsRolledBackThereAndEscalatedAndAGroupWithoutAgentReachesAPerson() throws Exception {
        assumeTrue(NginxServer.available(), "Debian nginx is required (bin/test installs it)");
        TestCertificates.Issued expiring = hostWithNginx("echo 'nginx: [emerg] cannot load certificate' >&2\nexit 1\n");
        Path certs = dir.resolve("host/certs");
        String keyBefore = Files.readString(certs.resolve("key.pem"));
        String database = PostgresTestDatabase.another();
        int port = server(database, dir.resolve("server/data"), "--certloop.agent.deliver-within=PT10S")
                .startAndAwait("server")
                .port();
        ApiClient admin = ApiClient.as(port, "admin", "agent-admin");
        admin.createUser("fail-agent", "agent-secret-4", "agents");
        agent(port, "fail-agent", "agent-secret-4");
        registerAgentEndpoint(admin, "fail-web");
        String failing = openExpiry(admin, "fail-web");

        JsonNode escalated = Await.until(Duration.ofSeconds(90), () -> {
            JsonNode tasks = admin.get("/engine-rest/task?processInstanceBusinessKey=" + failing
                            + "&taskDefinitionKey=escalateFailedReplacement")
                    .json();
            return tasks.size() > 0 ? tasks : null;
        });
        assertThat(escalated).hasSize(1);
        JsonNode incident = admin.get("/api/incidents/" + failing).json();
        assertThat(incident.toString()).contains("agent-deployment-failed", "cannot load certificate");
        assertThat(Files.readString(certs.resolve("key.pem")))
                .as("the host's files are rolled back")
                .isEqualTo(keyBefore);
        assertThat(TlsPeek.peek("127.0.0.1", nginx.port("web")).leafSha256()).isEqualTo(expiring.sha256());

        Map<String, Object> orphan = TestEndpoints.loopback(
                "orphan-web", nginx.port("web"), certs.resolve("fullchain.pem"), certs.resolve("key.pem"), "nginx");
        orphan.put(
                "deployment",
                Map.of(
                        "type", "agent",
                        "agentGroup", "no-agent-here",
                        "fullchainPath", "/srv/orphan/fullchain.pem",
                        "keyPath", "/srv/orphan/key.pem",
                        "reloadAction", "nginx"));
        assertThat(admin.post("/api/inventory/endpoints", orphan).status()).isEqualTo(201);
        String orphaned = openExpiry(admin, "orphan-web");
        JsonNode asked = Await.until(Duration.ofSeconds(90), () -> {
            JsonNode tasks = admin.get("/engine-rest/task?processInstanceBusinessKey=" + orphaned
                            + "&taskDefinitionKey=agentNotPolling&candidateGroup=operators")
                    .json();
            return tasks.size() > 0 ? tasks : null;
        });
        assertThat(asked).hasSize(1);
    }

    private static String openExpiry(ApiClient admin, String endpoint) {
        ApiClient.Response opened = admin.post(
                "/api/incidents",
                Map.of(
                        "endpoint", endpoint,
                        "category", "expiry",
                        "subcategory", "expiring",
                        "reason", "certificate expires tomorrow"));
        assertThat(opened.status()).as(opened.body()).isEqualTo(201);
        return opened.json().path("id").asText();
    }

    /** nginx (site {@code web}) on "the service's host" with a certificate expiring tomorrow; a reload action. */
    private TestCertificates.Issued hostWithNginx(String beforeReload) throws Exception {
        TestCertificates.Issued ca = TestCertificates.rootCa("Agent Root").selfSigned();
        TestCertificates.Issued expiring = TestCertificates.leaf("localhost")
                .sans("localhost")
                .expiringIn(Duration.ofDays(1))
                .signedBy(ca);
        Path certs = Files.createDirectories(dir.resolve("host/certs"));
        expiring.writeFullchainPem(certs.resolve("fullchain.pem"));
        expiring.writeKeyPem(certs.resolve("key.pem"));
        nginx = NginxServer.builder(dir.resolve("host/nginx"))
                .site("web", certs.resolve("fullchain.pem"), certs.resolve("key.pem"))
                .start();
        Path reload = dir.resolve("host/reload-nginx.sh");
        Files.writeString(reload, "#!/bin/sh\n" + beforeReload + "exec " + nginx.reloadCommand() + "\n");
        Files.setPosixFilePermissions(reload, PosixFilePermissions.fromString("rwx------"));
        return expiring;
    }

    /** A server node on the test's PostgreSQL database; the test stops it, whatever happens. */
    private ServerProcess server(String database, Path data, String... extra) {
        ServerProcess server =
                ServerProcess.onPostgres(database, data, dir.resolve("server/deploy"), "agent-admin", extra);
        processes.add(server);
        return server;
    }

    /** The agent JVM: the same classes, profile agent, this "host's" directories and reload action. */
    private void agent(int serverPort, String user, String password) throws Exception {
        agent("http://127.0.0.1:" + serverPort, user, password, GROUP, List.of());
    }

    private static String logsOf(ServerProcess server) {
        try {
            return server.logs();
        } catch (Exception e) {
            return ": no log (" + e + ")";
        }
    }

    private String logOf(String relative) {
        try {
            return Files.readString(dir.resolve(relative));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** An agent of {@code group} polling {@code serverUrl}; its log is {@code host/agent-<user>.log}. */
    private ServerProcess agent(String serverUrl, String user, String password, String group, List<String> jvmOptions)
            throws Exception {
        ServerProcess agent = ServerProcess.agent(
                serverUrl,
                user,
                password,
                group,
                dir.resolve("host/agent-data-" + user),
                dir.resolve("host/certs"),
                "--certloop.agent.poll-timeout=5s",
                "--certloop.deployment.reload-actions.nginx=" + dir.resolve("host/reload-nginx.sh"));
        processes.add(agent);
        return agent.start("agent-" + user, jvmOptions);
    }

    private void registerAgentEndpoint(ApiClient admin, String name) {
        Path certs = dir.resolve("host/certs");
        Map<String, Object> endpoint = TestEndpoints.loopback(
                name, nginx.port("web"), certs.resolve("fullchain.pem"), certs.resolve("key.pem"), "nginx");
        endpoint.put(
                "deployment",
                Map.of(
                        "type",
                        "agent",
                        "agentGroup",
                        GROUP,
                        "fullchainPath",
                        certs.resolve("fullchain.pem").toString(),
                        "keyPath",
                        certs.resolve("key.pem").toString(),
                        "reloadAction",
                        "nginx"));
        ApiClient.Response created = admin.post("/api/inventory/endpoints", endpoint);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
    }

    private static JsonNode awaitResolved(ApiClient admin, String incidentId) throws Exception {
        return Await.until(Duration.ofSeconds(150), () -> {
            JsonNode incident = admin.get("/api/incidents/" + incidentId).json();
            return "resolved".equals(incident.path("state").asText()) ? incident : null;
        });
    }

    /** The expected fingerprint after the runbook: new, and what nginx presents (the server verified it too). */
    private String presentedAndExpected(ApiClient admin, String name, TestCertificates.Issued expiring)
            throws Exception {
        String expected = admin.get("/api/inventory/endpoints/" + name)
                .json()
                .path("expectedSha256")
                .asText();
        assertThat(expected).matches("[0-9a-f]{64}").isNotEqualTo(expiring.sha256());
        assertThat(TlsPeek.awaitLeaf("127.0.0.1", nginx.port("web"), expected, Duration.ofSeconds(5))
                        .leafSha256())
                .as("nginx presents the certificate the server verified")
                .isEqualTo(expected);
        return expected;
    }

    /** The key the agent wrote: new, its bytes in no log, data file or row of the server side. */
    private void assertKeyNowhereOnTheServerSide(String database, String expected, Path serverData, String... logs)
            throws Exception {
        Path certs = dir.resolve("host/certs");
        String keyPem = Files.readString(certs.resolve("key.pem"), StandardCharsets.US_ASCII);
        assertThat(keyPem).contains("PRIVATE KEY");
        Await.until(Duration.ofSeconds(30), () -> Files.exists(certs.resolve("key.pem.certloop-prev")) ? null : true);
        byte[] der = Base64.getMimeDecoder()
                .decode(keyPem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
        List<String> secrets = secretsOf(keyPem, der);
        for (String log : logs) {
            assertThat(Files.readString(dir.resolve("server").resolve(log + ".log")))
                    .as(log + " log")
                    .doesNotContain(secrets);
        }
        try (Stream<Path> files = Files.walk(serverData)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                assertThat(bytes).as("server data file %s", file).doesNotContain(secrets);
                assertThat(bytes)
                        .as("server data file %s", file)
                        .doesNotContain(new String(der, StandardCharsets.ISO_8859_1));
            }
        }
        String dump = dump(database);
        assertThat(dump).as("database dump").doesNotContain(secrets);
        assertThat(dump).as("the dump is real").contains(expected);
    }

    private static long count(JsonNode incident, String type) {
        long count = 0;
        for (JsonNode entry : incident.path("timeline")) {
            if (type.equals(entry.path("type").asText())) {
                count++;
            }
        }
        return count;
    }

    /**
     * Over HTTPS, as {@code docs/operations.md} runs it: the server listens with a certificate from a private CA
     * ({@code server.ssl.*}); the agent whose JVM is given that CA ({@code -Djavax.net.ssl.trustStore}) polls; the
     * agent whose JVM is not never gets through. The agent checks the server, it does not trust any certificate.
     */
    @Test
    void anAgentPollsOverHttpsOnlyWhenItTrustsTheServersPrivateCa() throws Exception {
        TestCertificates.Issued root =
                TestCertificates.rootCa("CertLoop Operations Private CA").selfSigned();
        TestCertificates.Issued site =
                TestCertificates.leaf("localhost").sans("localhost").signedBy(root);
        Path tls = Files.createDirectories(dir.resolve("server/tls"));
        site.writeChainPem(tls.resolve("fullchain.pem"));
        site.writeKeyPem(tls.resolve("key.pem"));
        ServerProcess server = server(
                        PostgresTestDatabase.another(),
                        dir.resolve("server/data"),
                        "--server.ssl.certificate=" + tls.resolve("fullchain.pem"),
                        "--server.ssl.certificate-private-key=" + tls.resolve("key.pem"))
                .start("server");
        ApiClient admin = ApiClient.overTls(
                server.port(), TestCertificates.trustingOnly(root.certificate()), "admin", "agent-admin");
        Await.until(Duration.ofSeconds(120), () -> {
            if (!server.isRunning()) {
                throw new AssertionError("the server ended" + logsOf(server));
            }
            try {
                return admin.get("/actuator/health").status() == 200 ? Boolean.TRUE : null;
            } catch (RuntimeException notYet) {
                return null;
            }
        });
        admin.createUser("tls-agent", "agent-secret-5", "agents");
        admin.createUser("blind-agent", "agent-secret-6", "agents");
        Path trustStore = Files.createDirectories(dir.resolve("host")).resolve("trust.p12");
        try (OutputStream out = Files.newOutputStream(trustStore)) {
            TestCertificates.trustStore(root.certificate()).store(out, "changeit".toCharArray());
        }
        String url = "https://localhost:" + server.port();

        ServerProcess blind = agent(url, "blind-agent", "agent-secret-6", "blind-group", List.of());
        agent(
                url,
                "tls-agent",
                "agent-secret-5",
                GROUP,
                List.of(
                        "-Djavax.net.ssl.trustStore=" + trustStore,
                        "-Djavax.net.ssl.trustStorePassword=changeit",
                        "-Djavax.net.ssl.trustStoreType=PKCS12"));
        JsonNode agents = Await.until(Duration.ofSeconds(90), () -> {
            JsonNode list = admin.get("/api/agents").json();
            return list.size() > 0 ? list : null;
        });
        assertThat(agents.findValuesAsText("group")).containsExactly(GROUP);
        assertThat(blind.isRunning()).isTrue();
        Await.until(
                Duration.ofSeconds(30),
                () -> logOf("host/agent-blind-agent.log").contains("certification path") ? Boolean.TRUE : null);
        assertThat(admin.get("/api/agents").json().findValuesAsText("group"))
                .as("the agent that does not trust the server's CA never reached it")
                .containsExactly(GROUP);
    }

    @Test
    void anAgentUserReachesItsStepsAndNothingElse() throws Exception {
        String database = PostgresTestDatabase.another();
        int port = server(database, dir.resolve("server/data"))
                .startAndAwait("server")
                .port();
        ApiClient admin = ApiClient.as(port, "admin", "agent-admin");
        admin.createUser("fence-agent", "agent-secret-2", "agents");
        ApiClient agent = ApiClient.as(port, "fence-agent", "agent-secret-2");

        ApiClient.Response fetch = agent.post(
                "/engine-rest/external-task/fetchAndLock",
                Map.of(
                        "workerId",
                        "host-1/" + GROUP,
                        "maxTasks",
                        1,
                        "topics",
                        List.of(Map.of(
                                "topicName",
                                "certloop-agent-deploy." + GROUP,
                                "lockDuration",
                                1000,
                                "variables",
                                List.of("agentAction")))));
        assertThat(fetch.status()).as(fetch.body()).isEqualTo(200);

        assertThat(agent.post(
                                "/engine-rest/external-task/fetchAndLock",
                                Map.of(
                                        "workerId",
                                        "x",
                                        "maxTasks",
                                        1,
                                        "topics",
                                        List.of(Map.of("topicName", "other-topic", "lockDuration", 1000))))
                        .status())
                .as("another topic")
                .isEqualTo(403);
        assertThat(agent.post("/engine-rest/process-definition/key/expiry-incident/start", Map.of())
                        .status())
                .as("starting a process")
                .isEqualTo(403);
        assertThat(agent.get("/engine-rest/variable-instance").status())
                .as("reading variables")
                .isEqualTo(403);
        assertThat(agent.get("/engine-rest/external-task").status())
                .as("listing external tasks")
                .isEqualTo(403);
        assertThat(agent.post("/engine-rest/external-task/0000/complete", Map.of("workerId", "x"))
                        .status())
                .as("completing a task that is not an agent step")
                .isEqualTo(403);
        assertThat(agent.get("/api/inventory/endpoints").status()).as("the API").isEqualTo(403);
    }

    /** The key as PEM lines and base64/hex pieces of its DER: any of them anywhere means a leak. */
    private static List<String> secretsOf(String pem, byte[] der) {
        String base64 = Base64.getEncoder().encodeToString(der);
        String hex = HexFormat.of().formatHex(der);
        List<String> secrets = new ArrayList<>();
        pem.lines().filter(l -> !l.startsWith("-----") && l.length() > 40).forEach(secrets::add);
        secrets.add(base64.substring(base64.length() / 2, base64.length() / 2 + 40));
        secrets.add(hex.substring(hex.length() / 2, hex.length() / 2 + 64));
        secrets.add(hex.substring(hex.length() / 2, hex.length() / 2 + 64).toUpperCase());
        return secrets;
    }

    /** Every row of every table of the database as text (byte columns as text and hex): a dump to search. */
    private static String dump(String url) throws Exception {
        StringBuilder dump = new StringBuilder();
        try (Connection connection =
                        DriverManager.getConnection(url, PostgresTestDatabase.USER, PostgresTestDatabase.PASSWORD);
                Statement statement = connection.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                try (ResultSet rs = statement.executeQuery("SELECT * FROM \"" + table + "\"")) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= columns; i++) {
                            Object value = rs.getObject(i);
                            if (value instanceof byte[] bytes) {
                                dump.append(new String(bytes, StandardCharsets.ISO_8859_1))
                                        .append('|')
                                        .append(HexFormat.of().formatHex(bytes));
                            } else {
                                dump.append(value);
                            }
                            dump.append('|');
                        }
                        dump.append('\n');
                    }
                }
            }
        }
        return dump.toString();
    }
}
