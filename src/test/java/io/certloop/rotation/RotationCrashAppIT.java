package io.certloop.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.certloop.support.ApiClient;
import io.certloop.support.Await;
import io.certloop.support.NginxServer;
import io.certloop.support.PostgresTestDatabase;
import io.certloop.support.ServerProcess;
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
 * Crash safety of a mass rotation on PostgreSQL: the server is killed with SIGKILL while the second wave's one
 * reload runs (its endpoints issued, their files written, in progress), a second server starts on the same database,
 * and the rotation completes: every endpoint verified, exactly one certificate issued for each, nginx presenting it.
 */
class RotationCrashAppIT {

    private static final int LISTENERS = 6;

    @TempDir
    Path dir;

    private final List<ServerProcess> servers = new ArrayList<>();
    private NginxServer nginx;

    @AfterEach
    void stop() throws InterruptedException {
        for (ServerProcess server : servers) {
            server.kill();
        }
        if (nginx != null) {
            nginx.close();
        }
    }

    @Test
    void aServerKilledMidWaveIsReplacedAndEveryEndpointIsRotatedOnceWithOneCertificate() throws Exception {
        assumeTrue(NginxServer.available(), "Debian nginx is required (bin/test installs it)");
        Path certs = Files.createDirectories(dir.resolve("certs"));
        TestCertificates.Issued legacy =
                TestCertificates.rootCa("Rotation Crash Root").selfSigned();
        NginxServer.Builder builder = NginxServer.builder(dir.resolve("nginx"));
        List<String> names = new ArrayList<>();
        for (int i = 0; i < LISTENERS; i++) {
            Path site = Files.createDirectories(certs.resolve("site-" + i));
            TestCertificates.Issued leaf = TestCertificates.leaf("localhost")
                    .sans("localhost")
                    .expiringIn(Duration.ofDays(300))
                    .signedBy(legacy);
            leaf.writeFullchainPem(site.resolve("fullchain.pem"));
            leaf.writeKeyPem(site.resolve("key.pem"));
            builder.site("c" + i, site.resolve("fullchain.pem"), site.resolve("key.pem"));
            names.add("rotation-crash-" + i);
        }
        nginx = builder.start();

        // every run of the reload action leaves a line, then takes its time: the window in which we kill the server
        Path reloads = dir.resolve("reloads.log");
        Path slowReload = dir.resolve("slow-reload.sh");
        Files.writeString(
                slowReload, "#!/bin/sh\necho reload >> " + reloads + "\nsleep 4\nexec " + nginx.reloadCommand() + "\n");
        Files.setPosixFilePermissions(slowReload, PosixFilePermissions.fromString("rwx------"));

        String database = PostgresTestDatabase.another();
        ServerProcess server = ServerProcess.onPostgres(
                database,
                dir.resolve("data"),
                certs,
                "crash-admin",
                "--certloop.deployment.reload-actions.slow-nginx=" + slowReload,
                // the job lock is raised to a wave step's bound: 5 s of starting endpoints + a deploy (2 x 6 s + 1 s)
                // + verify-within 10 s + 10 s, so the second server takes the dead one's wave over within 40 s
                "--certloop.rotation.wave-step=PT5S",
                "--certloop.deployment.reload-timeout=6s",
                "--certloop.deployment.answer-timeout=1s",
                "--camunda.bpm.job-execution.lock-time-in-millis=5000");
        servers.add(server);
        ServerProcess first = server.startAndAwait("first");
        int port = server.port();
        ApiClient admin = ApiClient.as(port, "admin", "crash-admin");
        TestEndpoints.registerSites(admin, names, nginx, "c", certs, "slow-nginx");
        ApiClient.Response accepted = admin.post(
                "/api/rotations",
                Map.of(
                        "selector",
                        Map.of("endpoints", names),
                        "reason",
                        "crash test: the legacy root is distrusted",
                        "waveSize",
                        LISTENERS));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        String id = accepted.json().path("id").asText();

        // the canary's reload is the first; the second is the wave of the other four: kill the server during it
        Await.until(Duration.ofSeconds(90), () -> lines(reloads) >= 2 ? Boolean.TRUE : null);
        JsonNode atKill = admin.get("/api/rotations/" + id).json();
        first.kill();
        assertThat(atKill.path("counts").path("verified").asInt())
                .as("the canary is verified before the kill: %s", atKill.path("counts"))
                .isEqualTo(2);
        assertThat(atKill.path("counts").path("inProgress").asInt())
                .as("the second wave is in progress at the kill")
                .isEqualTo(LISTENERS - 2);

        server.startAndAwait("second");
        JsonNode done = Await.until(Duration.ofSeconds(180), () -> {
            JsonNode progress = admin.get("/api/rotations/" + id).json();
            return "completed".equals(progress.path("state").asText()) ? progress : null;
        });

        assertThat(done.path("counts").path("verified").asInt()).isEqualTo(LISTENERS);
        assertThat(done.path("counts").path("failed").asInt()).isZero();
        for (JsonNode endpoint : done.path("endpoints")) {
            String name = endpoint.path("endpoint").asText();
            String after = endpoint.path("sha256After").asText();
            assertThat(issuedFingerprints(database, name))
                    .as("%s: exactly one certificate issued for the rotation, the one verified", name)
                    .containsExactly(after);
            assertThat(TlsPeek.awaitLeaf(
                                    "127.0.0.1", nginx.port("c" + names.indexOf(name)), after, Duration.ofSeconds(5))
                            .leafSha256())
                    .as("%s presents it to a fresh probe", name)
                    .isEqualTo(after);
            if (endpoint.path("wave").asInt() == 0) {
                assertThat(endpoint.path("attempts").asInt())
                        .as("%s, verified before the kill, is not touched again", name)
                        .isEqualTo(1);
            }
        }
        List<String> verifiedOnTimeline = new ArrayList<>();
        done.path("timeline").forEach(entry -> {
            if ("endpoint-verified".equals(entry.path("type").asText())) {
                verifiedOnTimeline.add(entry.path("detail").path("endpoint").asText());
            }
        });
        assertThat(verifiedOnTimeline)
                .as("each endpoint verified once on the timeline")
                .hasSize(LISTENERS)
                .doesNotHaveDuplicates();
        assertThat(server.log("second")).doesNotContain("Rotation " + id + ": endpoint");
    }

    private static long lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).size() : 0;
        } catch (java.io.IOException e) {
            return 0;
        }
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
}
