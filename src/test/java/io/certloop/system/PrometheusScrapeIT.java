package io.certloop.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.certloop.detection.DetectionLoop;
import io.certloop.support.ApiClient;
import io.certloop.support.Await;
import io.certloop.support.PostgresIntegrationTest;
import io.certloop.support.TestCertificates;
import io.certloop.support.TestCertificates.Issued;
import io.certloop.support.TlsTestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * {@code /actuator/prometheus} as Prometheus scrapes it: open incidents by category and severity,
 * runbook step durations as a histogram, and no CertLoop series labelled {@code endpoint} (the
 * Prometheus Operator's target label); per-endpoint series carry {@code certloop_endpoint}.
 * (The detection series themselves are scraped in {@code InventoryProbeIT}.)
 */
class PrometheusScrapeIT extends PostgresIntegrationTest {

    private static final Issued ROOT = TestCertificates.rootCa("Scrape Root").selfSigned();

    @Autowired
    private DetectionLoop detection;

    private TlsTestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void openIncidentsAreCountedByCategoryAndSeverityAndRunbookStepsByDurationAndTheExamplesQueryExportedSeries()
            throws Exception {
        server = TlsTestServer.start(TestCertificates.leaf("localhost")
                .expiringIn(Duration.ofDays(1))
                .signedBy(ROOT));
        admin.ensureUser("sam", "sam-pw", "operators");
        ApiClient operator = ApiClient.as(port, "sam", "sam-pw");
        String name = "scrape-" + Long.toHexString(System.nanoTime());
        Map<String, Object> endpoint = new HashMap<>();
        endpoint.put("name", name);
        endpoint.put("host", "127.0.0.1");
        endpoint.put("port", server.port());
        endpoint.put("sni", "localhost");
        endpoint.put("expectedNames", List.of("localhost"));
        endpoint.put("tier", 1);
        endpoint.put("environment", "production");
        endpoint.put("replacementPath", "manual");
        assertThat(operator.post("/api/inventory/endpoints", endpoint).status()).isEqualTo(201);
        double before = openIncidents(scrape(), "expiry", null);

        ApiClient.Response opened = operator.post(
                "/api/incidents", Map.of("endpoint", name, "category", "expiry", "reason", "scrape test"));

        assertThat(opened.status()).as(opened.body()).isEqualTo(201);
        String severity = opened.json().path("severity").path("level").asText();
        // the counts are reused for a second within a scrape
        String metrics = Await.until(Duration.ofSeconds(10), () -> {
            String scraped = scrape();
            return openIncidents(scraped, "expiry", null) == before + 1 ? scraped : null;
        });
        assertThat(metrics)
                .containsPattern("certloop_incidents_open\\{category=\"expiry\",severity=\"" + severity + "\"} [1-9]");
        // every category and level is a series, zero included, so rules need no absent()
        assertThat(metrics).contains("certloop_incidents_open{category=\"key-compromise\",severity=\"SEV4\"} ");

        String step = Await.until(Duration.ofSeconds(30), () -> {
            Matcher m = Pattern.compile("certloop_runbook_step_duration_seconds_count\\{outcome=\"completed\","
                            + "runbook=\"expiry-incident\",step=\"confirmCause\",type=\"serviceTask\"} ([0-9.]+)")
                    .matcher(scrape());
            return m.find() ? m.group(1) : null;
        });
        assertThat(Double.parseDouble(step)).isPositive();
        detection.runOnce();
        String all = scrape();
        assertThat(all)
                .containsPattern("certloop_endpoint_certificate_not_after_timestamp_seconds\\{certloop_endpoint=\""
                        + name + "\"}");
        // every CertLoop series the shipped examples (alerting rules, dashboard) query is one CertLoop exports
        for (String expr : exampleQueries()) {
            Matcher named = Pattern.compile("certloop_[a-z_]+").matcher(expr);
            while (named.find()) {
                if (!named.group().equals("certloop_endpoint")) {
                    assertThat(all)
                            .as("%s in %s", named.group(), expr)
                            .containsPattern("(?m)^" + named.group() + "[{ ]");
                }
            }
        }
        assertThat(all)
                .containsPattern(
                        "certloop_runbook_step_duration_seconds_bucket\\{outcome=\"completed\","
                                + "runbook=\"expiry-incident\",step=\"confirmCause\",type=\"serviceTask\",le=\"\\+Inf\"} [1-9]");
    }

    @Test
    void noCertLoopSeriesIsLabelledEndpoint() {
        String metrics = scrape();

        assertThat(metrics.lines().filter(line -> line.startsWith("certloop_")))
                .isNotEmpty()
                .noneMatch(line -> line.matches("certloop_[a-z_]+\\{(.*,)?endpoint=.*"));
    }

    /** The PromQL of docs/examples: the rules' expressions and the dashboard's queries. */
    private static List<String> exampleQueries() throws java.io.IOException {
        List<String> queries = new java.util.ArrayList<>();
        JsonNode rules = new ObjectMapper(new YAMLFactory())
                .readTree(Path.of("docs/examples/prometheus/certloop-rules.yml").toFile());
        rules.path("groups")
                .forEach(group -> group.path("rules")
                        .forEach(rule -> queries.add(rule.path("expr").asText())));
        JsonNode dashboard = new ObjectMapper()
                .readTree(
                        Path.of("docs/examples/grafana/certloop-dashboard.json").toFile());
        dashboard
                .path("panels")
                .forEach(panel -> panel.path("targets")
                        .forEach(t -> queries.add(t.path("expr").asText())));
        dashboard
                .path("templating")
                .path("list")
                .forEach(v -> queries.add(v.path("definition").asText()));
        assertThat(queries).hasSizeGreaterThan(10).allMatch(q -> !q.isBlank());
        return queries;
    }

    private String scrape() {
        ApiClient.Response response = admin.get("/actuator/prometheus");
        assertThat(response.status()).isEqualTo(200);
        return response.body();
    }

    /** The sum of {@code certloop_incidents_open} over severities of a category (or one severity). */
    private static double openIncidents(String metrics, String category, String severity) {
        Matcher m = Pattern.compile("certloop_incidents_open\\{category=\"" + Pattern.quote(category)
                        + "\",severity=\"(SEV[1-4])\"} ([0-9.]+)")
                .matcher(metrics);
        double sum = 0;
        int series = 0;
        while (m.find()) {
            series++;
            if (severity == null || severity.equals(m.group(1))) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        assertThat(series).as("certloop_incidents_open series of " + category).isEqualTo(4);
        return sum;
    }
}
