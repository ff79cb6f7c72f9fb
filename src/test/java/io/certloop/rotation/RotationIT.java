package io.certloop.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A mass rotation over HTTP against one Debian nginx with {@value #LISTENERS} listeners, each with its own files, all
 * reloaded by the same action, on the internal CA: requests that select nothing or carry a wrong type are refused
 * naming the field; the rotation is paused right after it starts and resumed; then every listener presents a new
 * certificate to a fresh probe, each endpoint was rotated exactly once, and the rotation's timeline checks.
 */
class RotationIT extends PostgresIntegrationTest {

    private static final int LISTENERS = 12;
    private static final String OPERATOR = "rotation-it-operator";
    private static final String AUDITOR = "rotation-it-auditor";

    private NginxServer nginx;

    @AfterEach
    void stopNginx() {
        if (nginx != null) {
            nginx.close();
        }
    }

    @Test
    void everyListenerOfOneNginxIsRotatedOnceVerifiedLiveAcrossAPauseAndAResumption() throws Exception {
        assumeTrue(NginxServer.available(), "Debian nginx is required (bin/test installs it)");
        admin.ensureUser(OPERATOR, OPERATOR + "-pw", "operators");
        admin.ensureUser(AUDITOR, AUDITOR + "-pw", "auditors");
        ApiClient operator = ApiClient.as(port, OPERATOR, OPERATOR + "-pw");
        String run = Long.toString(System.nanoTime(), 36);
        Path certs = Files.createDirectories(deployDir().resolve("rotation-" + run));
        TestCertificates.Issued legacy =
                TestCertificates.rootCa("Rotation Distrusted Root").selfSigned();
        NginxServer.Builder builder = NginxServer.builder(NGINX_PREFIX);
        Map<String, String> oldFingerprints = new HashMap<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < LISTENERS; i++) {
            Path site = Files.createDirectories(certs.resolve("site-" + i));
            TestCertificates.Issued leaf = TestCertificates.leaf("localhost")
                    .sans("localhost")
                    .expiringIn(Duration.ofDays(300))
                    .signedBy(legacy);
            leaf.writeFullchainPem(site.resolve("fullchain.pem"));
            leaf.writeKeyPem(site.resolve("key.pem"));
            builder.site("r" + i, site.resolve("fullchain.pem"), site.resolve("key.pem"));
            names.add("rot-" + run + "-" + i);
            oldFingerprints.put(names.get(i), leaf.sha256());
        }
        nginx = builder.start();
        TestEndpoints.registerSites(admin, names, nginx, "r", certs, "test-nginx");

        // refusals name the field and write nothing
        ApiClient.Response nothing = operator.post(
                "/api/rotations",
                Map.of("selector", Map.of("tier", 3, "endpoints", names), "reason", "select nothing"));
        assertThat(nothing.status()).as(nothing.body()).isEqualTo(400);
        assertThat(nothing.json().path("field").asText()).isEqualTo("selector");
        ApiClient.Response badType = operator.post(
                "/api/rotations",
                "application/json",
                "{\"selector\": {\"tier\": \"first\"}, \"reason\": \"wrong type\"}");
        assertThat(badType.status()).as(badType.body()).isEqualTo(400);
        assertThat(badType.json().path("field").asText()).isEqualTo("selector.tier");
        ApiClient.Response unknown = operator.post(
                "/api/rotations",
                Map.of("selector", Map.of("endpoints", List.of("rot-" + run + "-none")), "reason", "unknown name"));
        assertThat(unknown.status()).as(unknown.body()).isEqualTo(400);
        assertThat(unknown.json().path("field").asText()).isEqualTo("selector.endpoints[0]");
        ApiClient.Response noReason =
                operator.post("/api/rotations", Map.of("selector", Map.of("endpoints", names), "waveSize", 0));
        assertThat(noReason.status()).isEqualTo(400);
        assertThat(noReason.json().path("errors").toString()).contains("reason", "waveSize");

        long start = System.nanoTime();
        ApiClient.Response accepted = operator.post(
                "/api/rotations",
                Map.of(
                        "selector",
                        Map.of("endpoints", names, "replacementPath", "internal-ca"),
                        "reason",
                        "the legacy root is distrusted",
                        "waveSize",
                        5,
                        "maxFailureRate",
                        0.2));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        String id = accepted.json().path("id").asText();
        assertThat(id).matches("ROT-\\d{4}-\\d{6}");
        assertThat(accepted.json().path("waves").asInt())
                .as("a canary of 2, then 5 and 5")
                .isEqualTo(3);

        ApiClient.Response paused = operator.post("/api/rotations/" + id + "/pause", Map.of());
        assertThat(paused.status()).as(paused.body()).isEqualTo(200);
        assertThat(paused.json().path("state").asText()).isEqualTo("paused");
        assertThat(operator.post("/api/rotations/" + id + "/pause", Map.of()).status())
                .as("a paused rotation cannot be paused again")
                .isEqualTo(409);
        // while paused nothing new starts: whatever was in progress settles, then the counts stand still
        JsonNode settled = Await.until(Duration.ofSeconds(30), () -> {
            JsonNode progress = operator.get("/api/rotations/" + id).json();
            return progress.path("counts").path("inProgress").asInt() == 0 ? progress : null;
        });
        Thread.sleep(1500);
        JsonNode still = operator.get("/api/rotations/" + id).json();
        assertThat(still.path("state").asText()).isEqualTo("paused");
        assertThat(still.path("counts").path("verified").asInt())
                .isEqualTo(settled.path("counts").path("verified").asInt())
                .isLessThan(LISTENERS);

        ApiClient.Response resumed = operator.post("/api/rotations/" + id + "/resume", Map.of());
        assertThat(resumed.status()).as(resumed.body()).isEqualTo(200);
        JsonNode done = Await.until(Duration.ofSeconds(120), () -> {
            JsonNode progress = operator.get("/api/rotations/" + id).json();
            return progress.path("state").asText().equals("completed") ? progress : null;
        });
        double seconds = (System.nanoTime() - start) / 1e9;

        assertThat(done.path("counts").path("verified").asInt()).isEqualTo(LISTENERS);
        assertThat(done.path("counts").path("failed").asInt()).isZero();
        assertThat(done.path("counts").path("pending").asInt()).isZero();
        assertThat(done.path("startedAt").isTextual()).isTrue();
        assertThat(done.path("finishedAt").isTextual()).isTrue();
        assertThat(done.path("currentWave").asInt()).isEqualTo(2);
        assertThat(done.path("selector").path("endpoints")).hasSize(LISTENERS);
        for (JsonNode endpoint : done.path("endpoints")) {
            String name = endpoint.path("endpoint").asText();
            int i = names.indexOf(name);
            String after = endpoint.path("sha256After").asText();
            assertThat(endpoint.path("state").asText()).as(name).isEqualTo("verified");
            assertThat(endpoint.path("attempts").asInt())
                    .as("%s rotated exactly once", name)
                    .isEqualTo(1);
            assertThat(endpoint.path("sha256Before").asText()).as(name).isEqualTo(oldFingerprints.get(name));
            assertThat(after).as(name).isNotEqualTo(oldFingerprints.get(name)).hasSize(64);
            assertThat(TlsPeek.awaitLeaf("127.0.0.1", nginx.port("r" + i), after, Duration.ofSeconds(5))
                            .leafSha256())
                    .as("%s presents its new certificate to a fresh probe", name)
                    .isEqualTo(after);
        }
        assertThat(done.path("endpoints").findValuesAsText("sha256After"))
                .as("every listener has its own certificate")
                .doesNotHaveDuplicates();
        // the canary ran first: both its endpoints finished before any other started
        List<JsonNode> timeline = new ArrayList<>();
        done.path("timeline").forEach(timeline::add);
        List<String> types = timeline.stream().map(e -> e.path("type").asText()).toList();
        assertThat(types).startsWith("rotation-requested").endsWith("rotation-finished");
        assertThat(types.stream().filter("endpoint-verified"::equals).count())
                .as("one verification per endpoint on the timeline")
                .isEqualTo(LISTENERS);
        assertThat(types).contains("rotation-paused", "rotation-resumed");
        int firstWave1 = indexOf(timeline, "wave-started", 1);
        assertThat(timeline.subList(0, firstWave1).stream()
                        .filter(e -> e.path("type").asText().equals("endpoint-verified"))
                        .count())
                .as("the canary's two endpoints are verified before wave 1 starts")
                .isEqualTo(2);

        JsonNode audit = ApiClient.as(port, AUDITOR, AUDITOR + "-pw")
                .get("/api/audit/verify")
                .json();
        assertThat(audit.path("failures").findValuesAsText("chainId"))
                .as("the rotation's timeline is an intact hash chain")
                .doesNotContain(id);
        String metrics = admin.get("/actuator/prometheus").body();
        assertThat(metrics).contains("certloop_rotation_endpoints{state=\"verified\"}");
        System.out.printf(
                "rotation: %d listeners verified in %.1f s including the pause (%.1f per second)%n",
                LISTENERS, seconds, LISTENERS / seconds);
    }

    private static int indexOf(List<JsonNode> timeline, String type, int wave) {
        for (int i = 0; i < timeline.size(); i++) {
            JsonNode entry = timeline.get(i);
            if (entry.path("type").asText().equals(type)
                    && entry.path("detail").path("wave").asInt() == wave) {
                return i;
            }
        }
        throw new AssertionError("no " + type + " of wave " + wave + " on the timeline");
    }
}
