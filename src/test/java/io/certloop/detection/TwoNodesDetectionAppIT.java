package io.certloop.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.certloop.support.ApiClient;
import io.certloop.support.NginxServer;
import io.certloop.support.PostgresTestDatabase;
import io.certloop.support.ServerProcess;
import io.certloop.support.TestCertificates;
import io.certloop.support.TestEndpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, item 5 (second test): two real server JVMs on one PostgreSQL, both with the detection loop on, for
 * several detection intervals while endpoints present findings: each finding opens exactly one incident, and the
 * cycles (counted in both nodes' logs) are one at a time, however many timers fire.
 */
class TwoNodesDetectionAppIT {

    private static final Duration INTERVAL = Duration.ofSeconds(3);
    private static final int ENDPOINTS = 4;
    private static final Pattern CYCLE = Pattern.compile("detection cycle: (\\d+) endpoints, (\\d+) probed");

    @TempDir
    Path dir;

    private final List<ServerProcess> nodes = new ArrayList<>();
    private NginxServer nginx;

    @AfterEach
    void stop() throws Exception {
        for (ServerProcess node : nodes) {
            node.close();
        }
        if (nginx != null) {
            nginx.close();
        }
    }

    @Test
    void bothNodesUpForSeveralIntervalsWithFindingsPresentEachFindingOpensExactlyOneIncident() throws Exception {
        assumeTrue(NginxServer.available(), "Debian nginx is required (bin/test installs it)");
        // endpoints presenting a certificate that expires tomorrow, from a root the probe trusts: one finding each
        TestCertificates.Issued root = TestCertificates.rootCa("Two Nodes Root").selfSigned();
        Path trusted = dir.resolve("root.pem");
        Files.writeString(trusted, root.certificatePem());
        NginxServer.Builder sites = NginxServer.builder(dir.resolve("nginx"));
        for (int i = 0; i < ENDPOINTS; i++) {
            sites.expiringSite("site" + i, dir.resolve("certs").resolve("site" + i), root, Duration.ofDays(1));
        }
        nginx = sites.start();

        // one database, one data directory (one master key) for both nodes, as shared storage would give them
        ServerProcess first = ServerProcess.onPostgres(
                        PostgresTestDatabase.another(),
                        dir.resolve("data"),
                        dir.resolve("certs"),
                        "two-admin",
                        "--certloop.probe.trust.extra-roots=" + trusted,
                        "--certloop.deployment.reload-actions.nginx=" + nginx.reloadCommand())
                .with(
                        "--certloop.probe.detection.enabled=true",
                        "--certloop.probe.detection.initial-delay=PT1S",
                        "--certloop.probe.detection.interval=PT" + INTERVAL.toSeconds() + "S");
        ServerProcess second = first.onAnotherPort();
        nodes.add(first);
        first.startAndAwait("node-a");
        ApiClient admin = ApiClient.as(first.port(), "admin", "two-admin");
        for (int i = 0; i < ENDPOINTS; i++) {
            Path certs = dir.resolve("certs").resolve("site" + i);
            Map<String, Object> endpoint = TestEndpoints.loopback(
                    "two-" + i,
                    nginx.port("site" + i),
                    certs.resolve("fullchain.pem"),
                    certs.resolve("key.pem"),
                    "nginx");
            // a person replaces it: the incident stays open, and the finding stays present all along
            endpoint.put("replacementPath", "manual");
            endpoint.remove("deployment");
            ApiClient.Response created = admin.post("/api/inventory/endpoints", endpoint);
            assertThat(created.status()).as(created.body()).isEqualTo(201);
        }
        nodes.add(second);
        second.startAndAwait("node-b");
        int cyclesWhenBothUp = cycles(first, "node-a") + cycles(second, "node-b");
        long bothUp = System.nanoTime();

        Thread.sleep(INTERVAL.multipliedBy(6).toMillis()); // several intervals, both nodes' timers firing
        int cyclesA = cycles(first, "node-a");
        int cyclesB = cycles(second, "node-b");
        int cycles = cyclesA + cyclesB - cyclesWhenBothUp;
        double intervals = (System.nanoTime() - bothUp) / (double) INTERVAL.toNanos();
        System.out.printf(
                "two nodes: %d cycles in %.1f intervals while both were up (node a %d, node b %d in all)%n",
                cycles, intervals, cyclesA, cyclesB);

        assertThat(cycles).as("detection cycles while both nodes were up").isGreaterThanOrEqualTo(3);
        // a cycle keeps the lock for 0.9 of the interval from its start: at most one per 0.9 interval, plus the edges
        assertThat((double) cycles)
                .as("one cycle at a time over %.1f intervals, not one per node", intervals)
                .isLessThanOrEqualTo(intervals / 0.9 + 2);

        Map<String, Integer> incidents = new TreeMap<>();
        for (ServerProcess node : List.of(first, second)) {
            ApiClient client = ApiClient.as(node.port(), "admin", "two-admin");
            for (int i = 0; i < ENDPOINTS; i++) {
                JsonNode list = client.get("/api/incidents?endpoint=two-" + i + "&limit=1000")
                        .json();
                Map<String, Integer> seen = new TreeMap<>();
                list.forEach(incident -> seen.merge(
                        incident.path("endpoint").asText("two-?") + " "
                                + incident.path("category").asText() + "/"
                                + incident.path("subcategory").asText(),
                        1,
                        Integer::sum));
                if (node == first) {
                    incidents.putAll(seen);
                } else {
                    assertThat(seen).as("both nodes see the same incidents").isEqualTo(filter(incidents, i));
                }
            }
        }
        assertThat(incidents).as("incidents by endpoint and finding").hasSize(ENDPOINTS);
        assertThat(incidents.values())
                .as("incidents per finding: %s", incidents)
                .containsOnly(1);
        assertThat(incidents.keySet()).allSatisfy(key -> assertThat(key).endsWith("expiry/expiring"));
    }

    private static Map<String, Integer> filter(Map<String, Integer> incidents, int endpoint) {
        Map<String, Integer> of = new TreeMap<>();
        incidents.forEach((key, count) -> {
            if (key.startsWith("two-" + endpoint + " ")) {
                of.put(key, count);
            }
        });
        return of;
    }

    /** Detection cycles the node ran so far (its log's "detection cycle:" lines with every endpoint probed). */
    private static int cycles(ServerProcess node, String name) throws Exception {
        Matcher cycle = CYCLE.matcher(node.log(name));
        int count = 0;
        while (cycle.find()) {
            count++;
        }
        return count;
    }
}
